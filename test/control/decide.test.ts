/**
 * The §5.5 decision table, exhaustively: all 2^3 (leader, healthy, active) × paused × leader-override
 * inputs against a hand-written expectation, then the stall-rescue and wait-for-recovery rules over
 * every prevState × health error × rollup-boost flag, and the two wedge-fix inputs. The override is
 * fed through decideInputFrom (the loop's own input builder) to prove it never reaches the decision.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ActionKind,
  type DecideInput,
  decide,
  decideInputFrom,
  shouldWaitForHealthRecovery,
} from '../../src/control/decide.ts';
import { type ControlState, initialControlState, type StateSnapshot } from '../../src/control/state.ts';
import { HealthError, HealthErrorCode } from '../../src/health/errors.ts';

const B = [false, true] as const;
const key = (l: boolean, h: boolean, a: boolean) => `${l ? 'T' : 'F'}${h ? 'T' : 'F'}${a ? 'T' : 'F'}`;

// Written out from spec §5.5 with prevState = (F,T,F) (a normal follower) and a plain unhealthy error.
const EXPECTED_UNPAUSED: Record<string, { kind: ActionKind; caseNumber: number }> = {
  FFF: { kind: 'logUnhealthyFollower', caseNumber: 1 },
  FFT: { kind: 'stop', caseNumber: 2 },
  FTF: { kind: 'none', caseNumber: 3 },
  FTT: { kind: 'stop', caseNumber: 4 },
  TFF: { kind: 'startElseTransfer', caseNumber: 5 },
  TFT: { kind: 'stopThenTransfer', caseNumber: 6 },
  TTF: { kind: 'start', caseNumber: 7 },
  TTT: { kind: 'none', caseNumber: 8 },
};

function stateFor(
  leader: boolean,
  healthy: boolean,
  active: boolean,
  paused: boolean,
  override: boolean,
): ControlState {
  const st = initialControlState(paused);
  st.leader = leader;
  st.healthy = healthy;
  st.seqActive = active;
  st.hcerr = healthy ? null : new HealthError(HealthErrorCode.SequencerNotHealthy);
  st.leaderOverride = override;
  return st;
}

const noWedge = { rollupBoostEnabled: false, catchUpExpired: false, recoveryWaitExpired: false };

describe('decide: 8 cases × paused × override', () => {
  for (const leader of B)
    for (const healthy of B)
      for (const active of B)
        for (const paused of B)
          for (const override of B) {
            const k = key(leader, healthy, active);
            test(`${k} paused=${paused} override=${override}`, () => {
              const action = decide(
                decideInputFrom(stateFor(leader, healthy, active, paused, override), noWedge),
              );
              if (paused) assert.deepEqual(action, { kind: 'paused', caseNumber: null });
              else assert.deepEqual(action, EXPECTED_UNPAUSED[k]);
            });
          }
});

const ALL_PREV: StateSnapshot[] = B.flatMap((leader) =>
  B.flatMap((healthy) => B.map((active) => ({ leader, healthy, active }))),
);
const CODES = [
  null,
  HealthErrorCode.SequencerNotHealthy,
  HealthErrorCode.SequencerConnectionDown,
  HealthErrorCode.RollupBoostPartiallyHealthy,
  HealthErrorCode.RollupBoostNotHealthy,
] as const;

function input(over: Partial<DecideInput>): DecideInput {
  return {
    leader: true,
    healthy: false,
    active: false,
    paused: false,
    prevState: { leader: false, healthy: true, active: false },
    hcerrCode: HealthErrorCode.SequencerNotHealthy,
    rollupBoostEnabled: false,
    catchUpExpired: false,
    recoveryWaitExpired: false,
    ...over,
  };
}

describe('decide: case 5 stall rescue and case 6 wait-for-recovery rules', () => {
  test('case 5 rescues only after being a non-sequencing follower, and never on connection-down', () => {
    for (const prevState of ALL_PREV)
      for (const hcerrCode of CODES)
        for (const rollupBoostEnabled of B) {
          const action = decide(input({ active: false, prevState, hcerrCode, rollupBoostEnabled }));
          const rescue =
            !prevState.leader && !prevState.active && hcerrCode !== HealthErrorCode.SequencerConnectionDown;
          assert.equal(
            action.kind,
            rescue ? 'startElseTransfer' : 'transfer',
            JSON.stringify({ prevState, hcerrCode }),
          );
          assert.equal(action.caseNumber, 5);
        }
  });

  test('case 6 waits only right after a rescue, not on connection-down, not on partial rollup-boost when enabled', () => {
    let waits = 0;
    for (const prevState of ALL_PREV)
      for (const hcerrCode of CODES)
        for (const rollupBoostEnabled of B) {
          const i = input({ active: true, prevState, hcerrCode, rollupBoostEnabled });
          const rescued = prevState.leader && !prevState.healthy && !prevState.active;
          const wait =
            rescued &&
            hcerrCode !== HealthErrorCode.SequencerConnectionDown &&
            !(rollupBoostEnabled && hcerrCode === HealthErrorCode.RollupBoostPartiallyHealthy);
          assert.equal(shouldWaitForHealthRecovery(i), wait);
          assert.equal(decide(i).kind, wait ? 'waitForRecovery' : 'stopThenTransfer');
          if (wait) waits++;
        }
    // prevState (T,F,F) only; 5 codes × 2 flags minus connection-down (2) minus partial-with-rollup-boost (1).
    assert.equal(waits, 7);
  });

  test('Go TestRollupBoostPartialFailure inputs stop and transfer; without rollup-boost checks they wait', () => {
    const base = {
      active: true,
      prevState: { leader: true, healthy: false, active: false },
      hcerrCode: HealthErrorCode.RollupBoostPartiallyHealthy,
    };
    assert.equal(decide(input({ ...base, rollupBoostEnabled: true })).kind, 'stopThenTransfer');
    assert.equal(decide(input({ ...base, rollupBoostEnabled: false })).kind, 'waitForRecovery');
  });
});

describe('decide: wedge-fix inputs change only their own row', () => {
  test('catchUpExpired turns only case 7 into a transfer', () => {
    for (const leader of B)
      for (const healthy of B)
        for (const active of B) {
          const base = input({ leader, healthy, active });
          const plain = decide(base);
          const expired = decide({ ...base, catchUpExpired: true });
          if (leader && healthy && !active) {
            assert.deepEqual(plain, { kind: 'start', caseNumber: 7 });
            assert.deepEqual(expired, { kind: 'transfer', caseNumber: 7, reason: 'catchUpTimeout' });
          } else assert.deepEqual(expired, plain);
        }
  });

  test('recoveryWaitExpired turns only a wait into stop-then-transfer', () => {
    for (const prevState of ALL_PREV)
      for (const leader of B)
        for (const healthy of B)
          for (const active of B) {
            const base = input({ leader, healthy, active, prevState });
            const plain = decide(base);
            const expired = decide({ ...base, recoveryWaitExpired: true });
            if (plain.kind === 'waitForRecovery')
              assert.deepEqual(expired, {
                kind: 'stopThenTransfer',
                caseNumber: 6,
                reason: 'recoveryStalled',
              });
            else assert.deepEqual(expired, plain);
          }
  });

  test('paused wins over everything', () => {
    const i = input({ paused: true, catchUpExpired: true, recoveryWaitExpired: true, healthy: true });
    assert.equal(decide(i).kind, 'paused');
  });
});
