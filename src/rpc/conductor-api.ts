/**
 * The conductor as the RPC server sees it (Go `rpc/backend.go` → the `conductor` interface of
 * `rpc/api.go`). The control service implements it; RPC tests use a fake. Every method answers from
 * current state and never waits for the control loop's current action (op-node calls
 * `conductor_leader` while the loop is inside `admin_startSequencer`), except pause/resume, which wait
 * for the loop to take them, bounded by the caller's AbortSignal (→ `timeout to pause conductor`).
 */
import type { ClusterMembership, EncodedPayload, ServerInfo } from '../consensus/consensus.ts';

export interface ConductorApi {
  overrideLeader(override: boolean): void;
  leaderOverridden(): boolean;
  pause(signal?: AbortSignal): Promise<void>;
  resume(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  paused(): boolean;
  stopped(): boolean;
  sequencerHealthy(): boolean;
  /** Override-aware: `override || raft leader`. */
  leader(): boolean;
  /** Override-aware: the `N/A (Leader overridden)` record when overridden. */
  leaderWithId(): ServerInfo;
  addServerAsVoter(id: string, addr: string, version: number): Promise<void>;
  addServerAsNonvoter(id: string, addr: string, version: number): Promise<void>;
  removeServer(id: string, version: number): Promise<void>;
  /** Not-leader is swallowed (success), as in Go. */
  transferLeader(): Promise<void>;
  transferLeaderToServer(id: string, addr: string): Promise<void>;
  clusterMembership(): Promise<ClusterMembership>;
  /** `!stopped && !paused`. */
  active(): boolean;
  /** Commit an already-validated payload (JSON decoded or binary SSZ validated at the edge). */
  commitUnsafePayload(payload: EncodedPayload): Promise<void>;
}
