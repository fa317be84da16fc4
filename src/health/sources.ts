/**
 * What the health monitor reads, as narrow interfaces (Go's RollupClient.SyncStatus, p2p.API.PeerStats,
 * SupervisorHealthAPI, ElP2PClient, RollupBoostHealthChecker). src/clients implements them over
 * JSON-RPC/HTTP; tests pass fakes. Timestamps and numbers are plain JS numbers (unix seconds and
 * block numbers stay far below 2^53).
 */

export interface L2BlockRefLite {
  readonly hash: `0x${string}`;
  readonly number: number;
  readonly timestamp: number;
}

/** The part of op-node's `optimism_syncStatus` the conductor uses. */
export interface SyncStatus {
  readonly unsafe_l2: L2BlockRefLite;
  readonly safe_l2: L2BlockRefLite;
}

export interface PeerStats {
  readonly connected: number;
}

export interface NodeHealthSource {
  syncStatus(signal?: AbortSignal): Promise<SyncStatus>;
  peerStats(signal?: AbortSignal): Promise<PeerStats>;
}

export interface SupervisorHealthSource {
  /** `supervisor_syncStatus`; only success/failure matters. */
  syncStatus(signal?: AbortSignal): Promise<unknown>;
}

export interface ElP2pSource {
  /** EL peer count via `net_peerCount` or `admin_peers`. */
  peerCount(signal?: AbortSignal): Promise<number>;
}

export type RollupBoostStatus = 'healthy' | 'partial' | 'unhealthy';

export interface RollupBoostHealthSource {
  healthcheck(signal?: AbortSignal): Promise<RollupBoostStatus>;
}
