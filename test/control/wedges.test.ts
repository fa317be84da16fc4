/**
 * The two places where we do better than Go (docs/differences.md, "Control loop"):
 * - optimism#22143: a new leader whose op-node is ≥ 2 blocks behind the FSM head retries start until
 *   catchUpTimeoutMs has passed, then hands leadership to a follower (Go retries forever).
 * - optimism#18845: a rescued leader that stays unhealthy waits for recovery only while its EL head keeps
 *   advancing; after recoveryStallTimeoutMs without progress it stops and transfers (Go waits forever).
 * Time comes from the injected clock; each test also shows the Go behaviour holds inside the bound.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { catchUpTimeoutMsDefault, recoveryStallTimeoutMsDefault } from '../../src/control/loop.ts';
import { HealthError, HealthErrorCode } from '../../src/health/errors.ts';
import { block, envelope, hash, ok } from './fakes.ts';
import { makeSuite, type Suite } from './harness.ts';

let s: Suite | undefined;
afterEach(async () => {
  const suite = s;
  s = undefined;
  if (!suite) return;
  await suite.tearDown();
  assert.deepEqual(suite.cons.script.unexpected, []);
  assert.deepEqual(suite.ctrl.script.unexpected, []);
});

const notHealthy = () => new HealthError(HealthErrorCode.SequencerNotHealthy);

describe('catch-up bound (optimism#22143)', () => {
  test('a leader 3 blocks behind retries start, then transfers once the bound has passed', async () => {
    const suite = makeSuite();
    s = suite;
    await suite.enableSynchronization();
    suite.cons.script.setDefault('latestUnsafePayload', ok(envelope(5, hash(5))));
    suite.ctrl.script.setDefault('latestBlock', ok(block(2, hash(2))));

    await suite.updateLeaderStatusAndExecuteAction(true); // t=0: first failure starts the clock
    for (const t of [1000, 5000, catchUpTimeoutMsDefault - 1]) {
      suite.clock.nowMs = t;
      await suite.executeAction();
    }
    assert.equal(
      suite.cons.script.count('transferLeader'),
      0,
      'Go behaviour inside the bound: keep retrying',
    );
    assert.equal(suite.cons.script.count('latestUnsafePayload'), 4);
    assert.equal(
      suite.ctrl.script.count('postUnsafePayload'),
      0,
      'a ≥2-block gap is not repaired by posting',
    );
    assert.equal(suite.ctrl.script.count('startSequencer'), 0);
    const retries = suite.logs.filter(
      (l) => l.msg === 'failed to execute step, queueing another one to retry',
    );
    assert.equal(retries.length, 4);
    assert.equal(retries[0]?.err, 'unsafe head mismatch');

    suite.cons.script.expect('transferLeader', ok(undefined));
    suite.clock.nowMs = catchUpTimeoutMsDefault;
    await suite.executeAction();
    assert.equal(suite.cons.script.count('transferLeader'), 1);
    assert.equal(suite.conductor.loop.state.leader, false);
    assert.equal(suite.cons.script.count('latestUnsafePayload'), 4, 'no further start attempt at expiry');
    const warn = suite.logs.find(
      (l) =>
        l.msg === 'sequencer could not catch up with the unsafe head in consensus, transferring leadership',
    );
    assert.equal(warn?.waited_ms, catchUpTimeoutMsDefault);
    assert.deepEqual(suite.conductor.loop.state.prevState, { leader: true, healthy: true, active: false });
  });

  test('a leader that catches up within the bound starts normally and never transfers', async () => {
    const suite = makeSuite({ catchUpTimeoutMs: 3000 });
    s = suite;
    await suite.enableSynchronization();
    suite.cons.script.setDefault('latestUnsafePayload', ok(envelope(5, hash(5))));
    suite.ctrl.script.expect('latestBlock', ok(block(2, hash(2))), ok(block(3, hash(3))));
    await suite.updateLeaderStatusAndExecuteAction(true);
    suite.clock.nowMs = 2000;
    await suite.executeAction();
    // Caught up: heads match at t=2999, start succeeds, the timer resets.
    suite.ctrl.script.expect('latestBlock', ok(block(5, hash(5))));
    suite.ctrl.script.expect('startSequencer', ok(undefined));
    suite.clock.nowMs = 2999;
    await suite.executeAction();
    assert.equal(suite.conductor.loop.state.seqActive, true);
    assert.equal(suite.cons.script.count('transferLeader'), 0);
    assert.deepEqual(suite.ctrl.script.args('startSequencer'), [[hash(5)]]);
  });
});

describe('recovery-stall bound (optimism#18845)', () => {
  async function rescuedUnhealthyLeader(suite: Suite): Promise<void> {
    await suite.enableSynchronization();
    const st = suite.conductor.loop.state;
    st.healthy = false;
    st.hcerr = notHealthy();
    st.prevState = { leader: false, healthy: false, active: false };
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(1, hash(1))));
    suite.ctrl.script.expect('latestBlock', ok(block(1, hash(1))));
    suite.ctrl.script.expect('startSequencer', ok(undefined));
    await suite.updateLeaderStatusAndExecuteAction(true); // stall rescue: start while unhealthy
    assert.deepEqual(st.prevState, { leader: true, healthy: false, active: false });
    assert.equal(st.seqActive, true);
  }

  test('waits while the EL head advances, then stops and transfers once it stalls for the bound', async () => {
    const suite = makeSuite();
    s = suite;
    await rescuedUnhealthyLeader(suite);
    suite.ctrl.script.expect('latestBlock', ok(block(10, hash(10))));
    await suite.updateHealthStatusAndExecuteAction(notHealthy()); // t=0: wait, progress seen
    suite.clock.nowMs = 20_000;
    suite.ctrl.script.expect('latestBlock', ok(block(11, hash(11))));
    await suite.executeAction(); // head advanced: progress at t=20s
    suite.clock.nowMs = 20_000 + recoveryStallTimeoutMsDefault - 1;
    suite.ctrl.script.expect('latestBlock', ok(block(11, hash(11))));
    await suite.executeAction(); // no progress yet, still inside the bound
    assert.equal(suite.ctrl.script.count('stopSequencer'), 0, 'Go behaviour inside the bound: wait');
    assert.equal(suite.cons.script.count('transferLeader'), 0);
    const waits = suite.logs.filter(
      (l) =>
        l.msg === 'failed to execute step, queueing another one to retry' &&
        l.err === 'waiting for sequencing to become healthy by itself',
    );
    assert.equal(waits.length, 3);

    suite.clock.nowMs = 20_000 + recoveryStallTimeoutMsDefault;
    suite.ctrl.script.expect('stopSequencer', ok(hash(11)));
    suite.cons.script.expect('transferLeader', ok(undefined));
    await suite.executeAction();
    const st = suite.conductor.loop.state;
    assert.deepEqual(
      { leader: st.leader, healthy: st.healthy, active: st.seqActive },
      {
        leader: false,
        healthy: false,
        active: false,
      },
    );
    const warn = suite.logs.find(
      (l) => l.msg === 'sequencer is not recovering by itself, transferring leadership',
    );
    assert.equal(warn?.stalled_ms, recoveryStallTimeoutMsDefault);
  });

  test('a leader whose EL head keeps advancing waits past the bound (it is recovering)', async () => {
    const suite = makeSuite({ recoveryStallTimeoutMs: 1000 });
    s = suite;
    await rescuedUnhealthyLeader(suite);
    let n = 20;
    suite.ctrl.script.expect('latestBlock', ok(block(n, hash(n))));
    await suite.updateHealthStatusAndExecuteAction(notHealthy());
    for (let i = 1; i <= 5; i++) {
      n++;
      suite.ctrl.script.expect('latestBlock', ok(block(n, hash(n))));
      suite.clock.nowMs = i * 900;
      await suite.executeAction();
    }
    assert.equal(suite.ctrl.script.count('stopSequencer'), 0);
    assert.equal(suite.cons.script.count('transferLeader'), 0);
    assert.equal(suite.conductor.loop.state.seqActive, true);
  });
});
