/**
 * The control loop's state (Go `OpConductor` fields `leader`, `healthy`, `seqActive`, `hcerr`,
 * `prevState`, `paused`, `leaderOverride`) and the (leader, healthy, active) snapshot.
 *
 * Invariants:
 * - Only the control loop writes `leader`, `healthy`, `hcerr`, `prevState` and `paused`; RPC handlers
 *   read them synchronously (they never wait for the loop). `seqActive` is also written by resume's
 *   refresh, exactly as Go's RPC goroutine stores it. `leaderOverride` is written by RPC only and is never
 *   read by the loop's decision (Go's action() uses the raw raft flag).
 * - `prevState` is the entry snapshot of the last action that succeeded, not the post-action state.
 */
import type { HealthError } from '../health/errors.ts';

export interface StateSnapshot {
  readonly leader: boolean;
  readonly healthy: boolean;
  readonly active: boolean;
}

export interface ControlState {
  /** Raft leadership as last reported by consensus (or cleared by a successful transfer). */
  leader: boolean;
  /** Last health verdict; true until the first failing report. */
  healthy: boolean;
  /** Whether op-node is sequencing, as the conductor believes. */
  seqActive: boolean;
  /** Last health error (set on every report, including null). */
  hcerr: HealthError | null;
  prevState: StateSnapshot;
  paused: boolean;
  /** RPC leader override; affects RPC answers only. */
  leaderOverride: boolean;
}

export function initialControlState(paused: boolean): ControlState {
  return {
    leader: false,
    healthy: true,
    seqActive: false,
    hcerr: null,
    prevState: { leader: false, healthy: true, active: false },
    paused,
    leaderOverride: false,
  };
}

export function snapshotOf(s: ControlState): StateSnapshot {
  return { leader: s.leader, healthy: s.healthy, active: s.seqActive };
}

export function snapshotsEqual(a: StateSnapshot, b: StateSnapshot): boolean {
  return a.leader === b.leader && a.healthy === b.healthy && a.active === b.active;
}

/** Go `state.String()`: `leader: <b>, healthy: <b>, active: <b>`. */
export function formatSnapshot(s: StateSnapshot): string {
  return `leader: ${s.leader}, healthy: ${s.healthy}, active: ${s.active}`;
}
