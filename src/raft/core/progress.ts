/**
 * The leader's view of one follower's replication (etcd Progress, hashicorp followerReplication).
 * States: `probe` sends one AppendEntries at a time until a match is found; `replicate` pipelines up to
 * `appendsInflightMax` appends optimistically; `snapshot` waits for an InstallSnapshot answer.
 * Invariants: matchIndex < nextIndex; inflight ≥ 0; inflight is 0 outside `replicate`.
 */
import type { Peer } from './messages.ts';
import type { Index } from './types.ts';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export interface Progress {
  peer: Peer;
  nextIndex: Index;
  matchIndex: Index;
  state: ProgressState;
  inflight: number;
  /** Probe: an append is outstanding (reset every heartbeat so a lost probe is resent). */
  probeSent: boolean;
  /** Last tick the follower acknowledged data (or the pipeline (re)started): detects lost appends. */
  lastAckTick: number;
  /** Last tick any response came back (check-quorum / lease). */
  lastContactTick: number;
  /** Highest commit index sent, so an idle follower still learns the commit index. */
  commitSent: Index;
  /** Snapshot index in flight while state is `snapshot`. */
  snapshotIndex: Index;
}

export function newProgress(peer: Peer, lastIndex: Index, nowTick: number): Progress {
  return {
    peer,
    nextIndex: lastIndex + 1,
    matchIndex: 0,
    state: 'probe',
    inflight: 0,
    probeSent: false,
    lastAckTick: nowTick,
    lastContactTick: nowTick,
    commitSent: 0,
    snapshotIndex: 0,
  };
}

export function progressBecomeProbe(p: Progress, nowTick: number): void {
  p.state = 'probe';
  p.inflight = 0;
  p.probeSent = false;
  p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
  p.lastAckTick = nowTick;
}
