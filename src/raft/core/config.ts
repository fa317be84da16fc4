/**
 * Configuration of one core, with every timeout in ticks (the host chooses the tick length) and every
 * queue bound named. Validation follows hashicorp's ValidateConfig where it applies to ticks.
 */
import { assert } from './assert.ts';
import type { ServerAddress, ServerId } from './types.ts';

export interface RaftCoreConfig {
  readonly id: ServerId;
  readonly addr: ServerAddress;
  /** Follower: campaign after a random [HT, 2HT) without leader contact. */
  readonly heartbeatTimeoutTicks: number;
  /** Candidate: restart the election after a random [ET, 2ET); also the leadership-transfer bound. */
  readonly electionTimeoutTicks: number;
  /** Leader: step down when no quorum contact within this (check-quorum). */
  readonly leaseTimeoutTicks: number;
  /** Leader: heartbeat period (hashicorp HT/10). */
  readonly heartbeatIntervalTicks: number;
  /**
   * Leader: a commit index the followers have not seen yet is sent on its own (an AppendEntries without
   * entries) only once no commit has advanced for this many ticks (hashicorp CommitTimeout); until then it
   * rides on the next append. 0 sends it at once. Saves two round trips per commit under load.
   */
  readonly commitTimeoutTicks?: number;
  /** Entries per AppendEntries (hashicorp MaxAppendEntries, 1..1024). */
  readonly maxAppendEntries: number;
  /** Bytes of entry data per AppendEntries (at least one entry is always sent). */
  readonly appendEntriesBytesMax: number;
  /** Entries kept in the log below a snapshot. */
  readonly trailingLogs: number;
  /** Use pre-vote before a real election (hashicorp 1.7 default). */
  readonly preVote: boolean;
  /** Bounds on leader queues: pending proposals, their data bytes, pipelined appends per follower. */
  readonly proposalsInflightMax: number;
  readonly uncommittedBytesMax: number;
  readonly appendsInflightMax: number;
  readonly configChangesQueuedMax: number;
  /**
   * Bytes of entry data kept in memory; older durable, applied entries are re-read through the fetcher (a
   * follower that lags further than this reads from the log store, which is what the store is for).
   */
  readonly entryCacheBytesMax?: number;
  /** Deliberate bugs for the simulator's mutation tests. Never set in production. */
  readonly mutations?: RaftMutations;
}

export interface RaftMutations {
  /** Grant votes without checking the candidate's term nor an earlier vote in the same term. */
  readonly skipVoteTermCheck?: boolean;
  /** Commit any index a quorum holds, even from an earlier term (Raft paper figure 8 bug). */
  readonly commitPreviousTermByCounting?: boolean;
}

export const RAFT_CORE_DEFAULTS = {
  maxAppendEntries: 64,
  appendEntriesBytesMax: 8 * 1024 * 1024,
  trailingLogs: 10240,
  preVote: true,
  proposalsInflightMax: 4096,
  uncommittedBytesMax: 256 * 1024 * 1024,
  appendsInflightMax: 16,
  configChangesQueuedMax: 16,
  // 8 MiB: all of a 100 KB-block log, 8 blocks (2 s at 4 × 1 MB/s) of 1 MB ones. At 64 MiB the soak's leader
  // kept ~60 MB of 1 MB payloads that die in the old generation: RssAnon 169 → 129 MiB at 8 MiB.
  entryCacheBytesMax: 8 * 1024 * 1024,
  commitTimeoutTicks: 5,
} as const;

export function validateRaftCoreConfig(c: RaftCoreConfig): void {
  assert(c.id !== '', 'local ID cannot be empty');
  assert(c.heartbeatTimeoutTicks >= 1, 'heartbeat timeout must be ≥ 1 tick');
  assert(c.electionTimeoutTicks >= c.heartbeatTimeoutTicks, 'election timeout must be ≥ heartbeat timeout');
  assert(
    c.leaseTimeoutTicks >= 1 && c.leaseTimeoutTicks <= c.heartbeatTimeoutTicks,
    'lease timeout must be in [1, heartbeat timeout]',
  );
  assert(c.heartbeatIntervalTicks >= 1, 'heartbeat interval must be ≥ 1 tick');
  assert((c.commitTimeoutTicks ?? 0) >= 0, 'commit timeout must be ≥ 0 ticks');
  assert(c.maxAppendEntries >= 1 && c.maxAppendEntries <= 1024, 'MaxAppendEntries must be in 1..1024');
  assert(c.trailingLogs >= 0, 'trailing logs must be ≥ 0');
  assert(c.proposalsInflightMax >= 1 && c.appendsInflightMax >= 1, 'queue bounds must be ≥ 1');
}
