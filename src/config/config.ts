/**
 * The typed configuration the daemon runs with, produced by `parseConfig` from argv + env and then
 * validated by `checkConfig`. Durations are milliseconds (`…Ms`), Go's uint64-seconds flags are
 * seconds (`…S`); every field is filled (defaults applied), so consumers never see `undefined`
 * except where "not configured" is meaningful.
 */
import type { EL_P2P_CHECK_APIS, LOG_FORMATS, LOG_LEVELS, OVERRIDE_FORKS, RAFT_STORES } from './schema.ts';

export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];
export type RaftStoreKind = (typeof RAFT_STORES)[number];
export type ExecutionP2pCheckApi = (typeof EL_P2P_CHECK_APIS)[number];
export type OverrideFork = (typeof OVERRIDE_FORKS)[number];

export interface LogConfig {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Undefined = `log.color` not set: colour follows whether stdout is a terminal (op-service). */
  readonly color: boolean | undefined;
  readonly pid: boolean;
}

export interface HealthCheckConfig {
  readonly intervalS: number;
  readonly unsafeIntervalS: number;
  readonly safeEnabled: boolean;
  readonly safeIntervalS: number;
  readonly minPeerCount: number;
  readonly executionP2pEnabled: boolean;
  readonly executionP2pMinPeerCount: number;
  /** Already defaulted to `execution.rpc` when the flag was empty (Go does the same). */
  readonly executionP2pRpcUrl: string;
  /** Raw flag text; `checkConfig` guarantees `net` | `admin` when executionP2pEnabled (empty → `net`). */
  readonly executionP2pCheckApi: string;
  readonly rollupBoostPartialHealthinessToleranceLimit: number;
  readonly rollupBoostPartialHealthinessToleranceIntervalS: number;
}

export interface ConductorConfig {
  readonly consensusAddr: string;
  readonly consensusPort: number;
  readonly consensusAdvertised: string;

  readonly raftBootstrap: boolean;
  readonly raftServerId: string;
  readonly raftStorageDir: string;
  readonly raftSnapshotIntervalMs: number;
  readonly raftSnapshotThreshold: number;
  readonly raftTrailingLogs: number;
  readonly raftHeartbeatTimeoutMs: number;
  readonly raftLeaseTimeoutMs: number;
  /** Ours: Go fixes it at 1000ms. */
  readonly raftElectionTimeoutMs: number;
  /** Ours. */
  readonly raftStore: RaftStoreKind;

  readonly nodeRpc: string;
  readonly executionRpc: string;
  readonly supervisorRpc: string;

  readonly rollupBoostEnabled: boolean;
  readonly rollupBoostHealthcheckTimeoutMs: number;
  readonly rollupBoostNextEnabled: boolean;
  readonly rollupBoostNextHealthcheckUrl: string;
  /** Flashblocks upstream (`rollupboost.ws-url`); empty = relay disabled. */
  readonly rollupBoostWsUrl: string;
  readonly websocketServerPort: number;

  readonly healthCheck: HealthCheckConfig;
  readonly paused: boolean;

  readonly rpc: {
    readonly addr: string;
    readonly port: number;
    readonly enableAdmin: boolean;
    readonly enableProxy: boolean;
    /** Ours: path of the JWT secret file for cluster-changing methods; empty = no auth (Go behaviour). */
    readonly adminJwtSecretPath: string;
  };
  readonly log: LogConfig;
  readonly metrics: { readonly enabled: boolean; readonly addr: string; readonly port: number };
  readonly pprof: {
    readonly enabled: boolean;
    readonly addr: string;
    readonly port: number;
    readonly path: string;
    readonly type: string;
  };
  readonly network: string;
  readonly rollupConfigPath: string;
  /** Only the forks whose override flag was given. */
  readonly overrides: Readonly<Partial<Record<OverrideFork, number>>>;
}
