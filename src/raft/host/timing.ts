/**
 * Host timing in milliseconds (hashicorp Config names) and its conversion into the core's ticks.
 * Invariant: every tick count is ≥ 1, so a timeout shorter than a tick still fires after one tick.
 */
import { RAFT_CORE_DEFAULTS, type RaftCoreConfig } from '../core/config.ts';

export interface RaftHostTiming {
  readonly tickMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly electionTimeoutMs: number;
  readonly leaseTimeoutMs: number;
  /** A commit index alone is sent to followers once no commit advanced for this long (hashicorp CommitTimeout). */
  readonly commitTimeoutMs: number;
  readonly snapshotIntervalMs: number;
  readonly snapshotThreshold: number;
  readonly trailingLogs: number;
  readonly maxAppendEntries: number;
}

/** hashicorp DefaultConfig with op-conductor's values (hashicorp-raft-wire.md §4.1), 10 ms ticks. */
export const RAFT_HOST_TIMING_DEFAULTS: RaftHostTiming = {
  tickMs: 10,
  heartbeatTimeoutMs: 1000,
  electionTimeoutMs: 1000,
  leaseTimeoutMs: 500,
  commitTimeoutMs: 50,
  snapshotIntervalMs: 120_000,
  snapshotThreshold: 8192,
  trailingLogs: 10240,
  maxAppendEntries: 64,
};

function ticks(ms: number, tickMs: number): number {
  return Math.max(1, Math.ceil(ms / tickMs));
}

export function coreConfigFromTiming(
  id: string,
  addr: string,
  t: RaftHostTiming,
  preVote: boolean,
): RaftCoreConfig {
  const heartbeatTimeoutTicks = ticks(t.heartbeatTimeoutMs, t.tickMs);
  return {
    ...RAFT_CORE_DEFAULTS,
    id,
    addr,
    heartbeatTimeoutTicks,
    electionTimeoutTicks: Math.max(heartbeatTimeoutTicks, ticks(t.electionTimeoutMs, t.tickMs)),
    leaseTimeoutTicks: Math.min(heartbeatTimeoutTicks, ticks(t.leaseTimeoutMs, t.tickMs)),
    heartbeatIntervalTicks: Math.max(1, Math.floor(heartbeatTimeoutTicks / 10)),
    commitTimeoutTicks: ticks(t.commitTimeoutMs, t.tickMs),
    maxAppendEntries: t.maxAppendEntries,
    trailingLogs: t.trailingLogs,
    preVote,
  };
}
