/**
 * PURE: the control loop's decision (Go `OpConductor.action()`'s switch, spec §5.5) as a data table.
 *
 * Invariants:
 * - Paused ⇒ `paused` (the consumed action is dropped; resume queues a fresh one).
 * - The row is chosen by (leader, healthy, active) only; `leader` is the raw raft flag. The RPC leader
 *   override is not an input (decideInputFrom ignores it), as in Go.
 * - Case 5's stall rescue and case 6's wait-for-recovery follow Go's rules exactly. The two wedge fixes
 *   (docs/differences.md) only change the outcome when their expiry input is true:
 *   `catchUpExpired` turns case 7's start into a transfer (optimism#22143) and `recoveryWaitExpired`
 *   turns case 6's wait into stop-then-transfer (optimism#18845). With both false the table is Go's.
 * - No I/O, no clock: the caller measures time and passes booleans.
 */
import { HealthErrorCode } from '../health/errors.ts';
import type { ControlState, StateSnapshot } from './state.ts';

export type CaseNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export type ActionKind =
  | 'paused'
  | 'none'
  | 'logUnhealthyFollower'
  | 'stop'
  | 'start'
  | 'startElseTransfer'
  | 'transfer'
  | 'waitForRecovery'
  | 'stopThenTransfer';

/** Why a wedge fix overrode Go's choice (absent when the action is Go's). */
export type ActionReason = 'catchUpTimeout' | 'recoveryStalled';

export interface Action {
  readonly kind: ActionKind;
  /** The §5.5 row, or null when paused. */
  readonly caseNumber: CaseNumber | null;
  readonly reason?: ActionReason;
}

export interface DecideInput {
  readonly leader: boolean;
  readonly healthy: boolean;
  readonly active: boolean;
  readonly paused: boolean;
  readonly prevState: StateSnapshot;
  /** Code of the last health error, null when the last report was healthy. */
  readonly hcerrCode: HealthErrorCode | null;
  /** Either rollup-boost health flavour (legacy or "next") is enabled. */
  readonly rollupBoostEnabled: boolean;
  /** Case 7 has failed to start on an unrepairable unsafe-head mismatch for longer than the catch-up bound. */
  readonly catchUpExpired: boolean;
  /** Case 6 has waited for recovery without the EL head advancing for longer than the stall bound. */
  readonly recoveryWaitExpired: boolean;
}

export interface DecideOptions {
  readonly rollupBoostEnabled: boolean;
  readonly catchUpExpired: boolean;
  readonly recoveryWaitExpired: boolean;
}

/** Build decide's input from the loop state. `leaderOverride` is deliberately not read. */
export function decideInputFrom(state: Readonly<ControlState>, options: DecideOptions): DecideInput {
  return {
    leader: state.leader,
    healthy: state.healthy,
    active: state.seqActive,
    paused: state.paused,
    prevState: state.prevState,
    hcerrCode: state.hcerr === null ? null : state.hcerr.code,
    rollupBoostEnabled: options.rollupBoostEnabled,
    catchUpExpired: options.catchUpExpired,
    recoveryWaitExpired: options.recoveryWaitExpired,
  };
}

/**
 * Case 5's stall rescue applies when we were a non-sequencing follower before (the active sequencer
 * stalled and handed over) and op-node is reachable.
 */
export function shouldTryStallRescue(input: DecideInput): boolean {
  return (
    !input.prevState.leader &&
    !input.prevState.active &&
    input.hcerrCode !== HealthErrorCode.SequencerConnectionDown
  );
}

/** Go `shouldWaitForHealthRecovery()`: only right after a stall rescue, and not for connection-down or partial rollup-boost. */
export function shouldWaitForHealthRecovery(input: DecideInput): boolean {
  const p = input.prevState;
  if (!p.leader || p.healthy || p.active) return false;
  if (input.hcerrCode === HealthErrorCode.SequencerConnectionDown) return false;
  if (input.rollupBoostEnabled && input.hcerrCode === HealthErrorCode.RollupBoostPartiallyHealthy)
    return false;
  return true;
}

interface CaseRow {
  readonly caseNumber: CaseNumber;
  readonly leader: boolean;
  readonly healthy: boolean;
  readonly active: boolean;
  readonly choose: (input: DecideInput) => Action;
}

const fixed = (kind: ActionKind, caseNumber: CaseNumber) => (): Action => ({ kind, caseNumber });

/** The §5.5 table, indexed by leader·4 + healthy·2 + active. */
export const DECISION_TABLE: readonly CaseRow[] = [
  { caseNumber: 1, leader: false, healthy: false, active: false, choose: fixed('logUnhealthyFollower', 1) },
  { caseNumber: 2, leader: false, healthy: false, active: true, choose: fixed('stop', 2) },
  { caseNumber: 3, leader: false, healthy: true, active: false, choose: fixed('none', 3) },
  { caseNumber: 4, leader: false, healthy: true, active: true, choose: fixed('stop', 4) },
  {
    caseNumber: 5,
    leader: true,
    healthy: false,
    active: false,
    choose: (i) => ({ kind: shouldTryStallRescue(i) ? 'startElseTransfer' : 'transfer', caseNumber: 5 }),
  },
  {
    caseNumber: 6,
    leader: true,
    healthy: false,
    active: true,
    choose: (i) => {
      if (!shouldWaitForHealthRecovery(i)) return { kind: 'stopThenTransfer', caseNumber: 6 };
      if (i.recoveryWaitExpired)
        return { kind: 'stopThenTransfer', caseNumber: 6, reason: 'recoveryStalled' };
      return { kind: 'waitForRecovery', caseNumber: 6 };
    },
  },
  {
    caseNumber: 7,
    leader: true,
    healthy: true,
    active: false,
    choose: (i) =>
      i.catchUpExpired
        ? { kind: 'transfer', caseNumber: 7, reason: 'catchUpTimeout' }
        : { kind: 'start', caseNumber: 7 },
  },
  { caseNumber: 8, leader: true, healthy: true, active: true, choose: fixed('none', 8) },
];

const PAUSED: Action = { kind: 'paused', caseNumber: null };

export function decide(input: DecideInput): Action {
  if (input.paused) return PAUSED;
  const index = (input.leader ? 4 : 0) + (input.healthy ? 2 : 0) + (input.active ? 1 : 0);
  const row = DECISION_TABLE[index]!;
  return row.choose(input);
}
