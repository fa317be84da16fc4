/**
 * Go `op-conductor/conductor/service_test.go`, scenario by scenario. Each test drives the conductor
 * through fakes with a step gate (one event per step, as Go's `next` channel does), seeds state the way
 * the Go test stores into the conductor's atomics, and asserts the same state, prevState and call counts.
 * Retry backoff is 0 (rng → 0), as in Go's suite.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { HealthError, HealthErrorCode } from '../../src/health/errors.ts';
import { block, envelope, fail, hash, ok } from './fakes.ts';
import { makeSuite, type Suite } from './harness.ts';

const notHealthy = () => new HealthError(HealthErrorCode.SequencerNotHealthy);

let s: Suite | undefined;
afterEach(async () => {
  if (!s) return;
  const suite = s;
  s = undefined;
  await suite.tearDown();
  assert.equal(suite.cons.script.count('shutdown'), 1, 'consensus shut down once');
  assert.deepEqual(suite.cons.script.unexpected, [], 'no unexpected consensus calls');
  assert.deepEqual(suite.ctrl.script.unexpected, [], 'no unexpected sequencer calls');
});

function setState(suite: Suite, leader: boolean, healthy: boolean, active: boolean): void {
  const st = suite.conductor.loop.state;
  st.leader = leader;
  st.healthy = healthy;
  st.seqActive = active;
}

function assertState(suite: Suite, leader: boolean, healthy: boolean, active: boolean): void {
  const st = suite.conductor.loop.state;
  assert.deepEqual(
    { leader: st.leader, healthy: st.healthy, active: st.seqActive },
    { leader, healthy, active },
  );
}

describe('OpConductorTestSuite (Go service_test.go)', () => {
  test('TestControlLoop1: pause -> resume -> stop', async () => {
    s = makeSuite({ synchronized: false });
    await s.disableSynchronization();
    await s.conductor.pause(AbortSignal.timeout(2000));
    assert.equal(s.conductor.paused(), true);
    // Health updates are still consumed while paused.
    s.hmon.emit(null);
    s.hmon.emit(null);
    s.ctrl.script.expect('sequencerActive', ok(false));
    await s.conductor.resume(AbortSignal.timeout(2000));
    assert.equal(s.conductor.paused(), false);
    await s.conductor.stop();
    assert.equal(s.conductor.stopped(), true);
    assert.equal(s.hmon.stops, 1);
  });

  test('TestControlLoop2: pause -> pause -> resume -> resume', async () => {
    s = makeSuite({ synchronized: false });
    await s.disableSynchronization();
    await s.conductor.pause(AbortSignal.timeout(2000));
    assert.equal(s.conductor.paused(), true);
    await s.conductor.pause(AbortSignal.timeout(2000));
    assert.equal(s.conductor.paused(), true);
    await s.conductor.resume(AbortSignal.timeout(2000));
    assert.equal(s.conductor.paused(), false);
    await s.conductor.resume(AbortSignal.timeout(2000));
    assert.equal(s.conductor.paused(), false);
    await s.conductor.stop();
    assert.equal(s.conductor.stopped(), true);
  });

  test('TestControlLoop3: pause -> stop', async () => {
    s = makeSuite({ synchronized: false });
    await s.disableSynchronization();
    await s.conductor.pause(AbortSignal.timeout(2000));
    assert.equal(s.conductor.paused(), true);
    await s.conductor.stop();
    assert.equal(s.conductor.stopped(), true);
    assert.equal(s.conductor.active(), false);
  });

  test('TestScenario1: unhealthy follower elected with a mismatched head transfers leadership', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, false, false, false);
    s.conductor.loop.state.hcerr = notHealthy();
    s.conductor.loop.state.prevState = { leader: false, healthy: false, active: false };

    s.cons.script.expect('transferLeader', ok(undefined));
    s.cons.script.expect('latestUnsafePayload', ok(envelope(3, hash(4, 5, 6))));
    s.ctrl.script.expect('latestBlock', ok(block(1, hash(1, 2, 3))));

    await s.updateLeaderStatusAndExecuteAction(true);

    assertState(s, false, false, false);
    assert.equal(s.conductor.loop.state.hcerr?.code, HealthErrorCode.SequencerNotHealthy);
    assert.deepEqual(s.conductor.loop.state.prevState, { leader: true, healthy: false, active: false });
    assert.equal(s.cons.script.count('transferLeader'), 1);
    assert.equal(s.ctrl.script.count('startSequencer'), 0);
  });

  test('TestScenario1Err: unhealthy follower elected, FSM read fails, transfers leadership', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, false, false, false);
    s.conductor.loop.state.hcerr = notHealthy();
    s.conductor.loop.state.prevState = { leader: false, healthy: false, active: false };

    s.cons.script.expect('latestUnsafePayload', fail('fake connection error'));
    s.cons.script.expect('transferLeader', ok(undefined));

    await s.updateLeaderStatusAndExecuteAction(true);

    assertState(s, false, false, false);
    assert.equal(s.conductor.loop.state.hcerr?.code, HealthErrorCode.SequencerNotHealthy);
    assert.deepEqual(s.conductor.loop.state.prevState, { leader: true, healthy: false, active: false });
    assert.equal(s.cons.script.count('transferLeader'), 1);
    const rescueLog = s.logs.find(
      (l) => l.msg === 'failed to start sequencer, transferring leadership instead',
    );
    assert.equal(rescueLog?.err, 'unable to retrieve unsafe head from consensus: fake connection error');
  });

  test('TestScenario2: unhealthy follower becoming healthy stays follower', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, false, false, false);
    await s.updateHealthStatusAndExecuteAction(null);
    assertState(s, false, true, false);
    assert.equal(s.ctrl.script.count('startSequencer'), 0);
  });

  test('TestScenario3: healthy follower elected leader starts at the FSM head hash', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    s.cons.script.expect('latestUnsafePayload', ok(envelope(1, hash(1, 2, 3))));
    s.ctrl.script.expect('latestBlock', ok(block(1, hash(1, 2, 3))));
    s.ctrl.script.expect('startSequencer', ok(undefined));

    assertState(s, false, true, false);
    await s.updateLeaderStatusAndExecuteAction(true);

    assertState(s, true, true, true);
    assert.deepEqual(s.ctrl.script.args('startSequencer'), [[hash(1, 2, 3)]]);
    assert.equal(s.ctrl.script.count('latestBlock'), 1);
  });

  test('TestScenario4: 1-block-behind leader posts the FSM payload, retries on failure, then starts', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    const fsmHead = envelope(2, hash(1, 2, 3));
    const nodeHead = block(1, hash(2, 3, 4));
    s.cons.script.expect('latestUnsafePayload', ok(fsmHead));
    s.ctrl.script.expect('latestBlock', ok(nodeHead));
    s.ctrl.script.expect('postUnsafePayload', fail('simulated PostUnsafePayload failure'));

    await s.updateLeaderStatusAndExecuteAction(true);

    assertState(s, true, true, false);
    assert.equal(s.cons.script.count('latestUnsafePayload'), 1);
    assert.equal(s.ctrl.script.count('latestBlock'), 1);
    assert.equal(s.ctrl.script.count('postUnsafePayload'), 1);
    assert.equal(s.ctrl.script.count('startSequencer'), 0);

    s.cons.script.expect('latestUnsafePayload', ok(fsmHead));
    s.ctrl.script.expect('latestBlock', ok(nodeHead));
    s.ctrl.script.expect('postUnsafePayload', ok(undefined));
    s.ctrl.script.expect('startSequencer', ok(undefined));

    await s.executeAction();

    assertState(s, true, true, true);
    assert.equal(s.cons.script.count('latestUnsafePayload'), 2);
    assert.equal(s.ctrl.script.count('latestBlock'), 2);
    assert.equal(s.ctrl.script.count('postUnsafePayload'), 2);
    assert.deepEqual(s.ctrl.script.args('postUnsafePayload')[1], [fsmHead]);
    assert.deepEqual(s.ctrl.script.args('startSequencer'), [[hash(1, 2, 3)]]);
  });

  test('TestScenario5: healthy follower becoming unhealthy does nothing', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, false, true, false);
    await s.updateHealthStatusAndExecuteAction(notHealthy());
    assertState(s, false, false, false);
    assert.ok(s.logs.some((l) => l.msg === 'server (follower) is not healthy' && l.server === 'SequencerA'));
  });

  test('TestScenario6: leader losing leadership stops sequencing', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, true, true, true);
    s.ctrl.script.expect('stopSequencer', ok(hash()));
    await s.updateLeaderStatusAndExecuteAction(false);
    assertState(s, false, true, false);
    assert.equal(s.ctrl.script.count('stopSequencer'), 1);
  });

  test('TestScenario7: unhealthy active leader stops and transfers', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, true, true, true);
    s.cons.script.expect('transferLeader', ok(undefined));
    s.ctrl.script.expect('stopSequencer', ok(hash()));
    await s.updateHealthStatusAndExecuteAction(notHealthy());
    assertState(s, false, false, false);
    assert.equal(s.ctrl.script.count('stopSequencer'), 1);
    assert.equal(s.cons.script.count('transferLeader'), 1);
  });

  test('TestFailureAndRetry1: stop+transfer fail, then stop succeeds, then transfer succeeds', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, true, true, true);
    s.conductor.loop.state.prevState = { leader: true, healthy: true, active: true };

    s.cons.script.expect('transferLeader', fail('error'));
    s.ctrl.script.expect('stopSequencer', fail('error'));
    await s.updateHealthStatusAndExecuteAction(notHealthy());

    assertState(s, true, false, true);
    assert.equal(s.conductor.loop.state.hcerr?.code, HealthErrorCode.SequencerNotHealthy);
    assert.deepEqual(s.conductor.loop.state.prevState, { leader: true, healthy: true, active: true });
    assert.equal(s.ctrl.script.count('stopSequencer'), 1);
    assert.equal(s.cons.script.count('transferLeader'), 1);
    const retry = s.logs.find((l) => l.msg === 'failed to execute step, queueing another one to retry');
    assert.equal(
      retry?.err,
      '2 errors occurred:\n\t* failed to stop sequencer: error\n\t* error\n\n',
      'case 6 combines both errors in go-multierror format',
    );
    assert.equal(retry?.status, 'leader: true, healthy: false, active: true');

    s.ctrl.script.expect('stopSequencer', ok(hash()));
    s.cons.script.expect('transferLeader', fail('error'));
    await s.executeAction();

    assertState(s, true, false, false);
    assert.deepEqual(s.conductor.loop.state.prevState, { leader: true, healthy: true, active: true });
    assert.equal(s.ctrl.script.count('stopSequencer'), 2);
    assert.equal(s.cons.script.count('transferLeader'), 2);

    s.cons.script.expect('transferLeader', ok(undefined));
    await s.executeAction();

    assertState(s, false, false, false);
    assert.deepEqual(s.conductor.loop.state.prevState, { leader: true, healthy: false, active: false });
    assert.equal(s.ctrl.script.count('stopSequencer'), 2);
    assert.equal(s.cons.script.count('transferLeader'), 3);
  });

  test('TestFailureAndRetry2: stop fails but transfer succeeds, then stop succeeds as follower', async () => {
    s = makeSuite();
    await s.enableSynchronization();
    setState(s, true, true, true);
    s.conductor.loop.state.prevState = { leader: true, healthy: true, active: true };

    s.cons.script.expect('transferLeader', ok(undefined));
    s.ctrl.script.expect('stopSequencer', fail('error'));
    await s.updateHealthStatusAndExecuteAction(notHealthy());

    assertState(s, false, false, true);
    assert.deepEqual(s.conductor.loop.state.prevState, { leader: true, healthy: true, active: true });
    assert.equal(s.ctrl.script.count('stopSequencer'), 1);
    assert.equal(s.cons.script.count('transferLeader'), 1);

    s.ctrl.script.expect('stopSequencer', ok(hash()));
    await s.executeAction();

    assertState(s, false, false, false);
    assert.deepEqual(s.conductor.loop.state.prevState, { leader: false, healthy: false, active: true });
    assert.equal(s.ctrl.script.count('stopSequencer'), 2);
    assert.equal(s.cons.script.count('transferLeader'), 1);
  });

  for (const [name, fsmNumber, fsmHash] of [
    ['TestFailureAndRetry3', 1, hash(1, 2, 3)],
    ['TestFailureAndRetry4', 2, hash(4, 5, 6)],
  ] as const) {
    test(`${name}: stall rescue starts an unhealthy new leader, which then waits for recovery`, async () => {
      const suite = makeSuite();
      s = suite;
      await suite.enableSynchronization();
      setState(suite, false, true, false);
      suite.conductor.loop.state.prevState = { leader: false, healthy: true, active: false };

      // 1. become unhealthy
      await suite.updateHealthStatusAndExecuteAction(notHealthy());
      assertState(suite, false, false, false);
      assert.deepEqual(suite.conductor.loop.state.prevState, {
        leader: false,
        healthy: false,
        active: false,
      });

      // 2 & 3. gained leadership, (post unsafe payload and) start sequencing
      const fsmHead = envelope(fsmNumber, fsmHash);
      suite.cons.script.expect('latestUnsafePayload', ok(fsmHead));
      suite.ctrl.script.expect('latestBlock', ok(block(1, hash(1, 2, 3))));
      if (fsmNumber === 2) suite.ctrl.script.expect('postUnsafePayload', ok(undefined));
      suite.ctrl.script.expect('startSequencer', ok(undefined));
      await suite.updateLeaderStatusAndExecuteAction(true);

      assertState(suite, true, false, true);
      assert.deepEqual(suite.conductor.loop.state.prevState, { leader: true, healthy: false, active: false });
      assert.equal(suite.cons.script.count('latestUnsafePayload'), 1);
      assert.equal(suite.ctrl.script.count('latestBlock'), 1);
      assert.equal(suite.ctrl.script.count('postUnsafePayload'), fsmNumber === 2 ? 1 : 0);
      assert.deepEqual(suite.ctrl.script.args('startSequencer'), [[fsmHash]]);

      // 4. stay unhealthy for a bit while catching up: wait, do not stop or transfer
      suite.ctrl.script.setDefault('latestBlock', ok(block(5, hash(9))));
      await suite.updateHealthStatusAndExecuteAction(notHealthy());
      assertState(suite, true, false, true);
      assert.deepEqual(suite.conductor.loop.state.prevState, { leader: true, healthy: false, active: false });
      assert.equal(suite.ctrl.script.count('stopSequencer'), 0);
      assert.equal(suite.cons.script.count('transferLeader'), 0);

      // 5. become healthy again; the retry loop keeps an action queued, so step until settled (bounded).
      suite.hmon.emit(null);
      for (let i = 0; i < 10 && suite.conductor.loop.pendingEvents > 0; i++) {
        const st = suite.conductor.loop.state;
        const settled =
          st.leader && st.healthy && st.seqActive && st.prevState.healthy && st.prevState.active;
        if (settled) break;
        await suite.executeAction();
      }
      assertState(suite, true, true, true);
      assert.deepEqual(suite.conductor.loop.state.prevState, { leader: true, healthy: true, active: true });
      assert.equal(suite.ctrl.script.count('startSequencer'), 1);
    });
  }

  test('TestConductorRestart: restarted follower with an active sequencer stops it', async () => {
    s = makeSuite();
    setState(s, false, true, true);
    s.ctrl.script.expect('sequencerActive', ok(true));
    s.ctrl.script.expect('stopSequencer', ok(hash()));
    await s.enableSynchronization();
    assertState(s, false, true, false);
    assert.equal(s.ctrl.script.count('stopSequencer'), 1);
  });

  test('TestHandleInitError: init failure cleans up and returns the init error alone', async () => {
    const suite = makeSuite({ handshakeAttempts: 3, handshakeBackoffMs: 0 });
    suite.ctrl.script.setDefault(
      'conductorEnabled',
      fail('dial tcp 127.0.0.1:1: connect: connection refused'),
    );
    await assert.rejects(suite.conductor.start(), (e: Error) => {
      assert.equal(
        e.message,
        'failed to initialize sequencer control: failed to connect to sequencer: ' +
          'operation failed permanently after 3 attempts: dial tcp 127.0.0.1:1: connect: connection refused',
      );
      assert.ok(!e.message.includes('errors occurred'), 'not a multierror: cleanup succeeded');
      return true;
    });
    assert.equal(suite.ctrl.script.count('conductorEnabled'), 3);
    assert.equal(suite.conductor.stopped(), true);
    assert.equal(suite.cons.script.count('shutdown'), 1);
    assert.equal(suite.hmon.starts, 0);
  });

  for (const [name, code] of [
    ['TestRollupBoostHealthFailure', HealthErrorCode.RollupBoostNotHealthy],
    ['TestRollupBoostConnectionDown', HealthErrorCode.RollupBoostConnectionDown],
    ['TestSupervisorConnectionDown', HealthErrorCode.SupervisorConnectionDown],
  ] as const) {
    test(`${name}: active leader stops and transfers`, async () => {
      const suite = makeSuite();
      s = suite;
      await suite.enableSynchronization();
      setState(suite, true, true, true);
      suite.conductor.loop.state.prevState = { leader: true, healthy: true, active: true };
      suite.ctrl.script.expect('stopSequencer', ok(hash()));
      suite.cons.script.expect('transferLeader', ok(undefined));
      await suite.updateHealthStatusAndExecuteAction(new HealthError(code));
      assertState(suite, false, false, false);
      assert.equal(suite.conductor.loop.state.hcerr?.code, code);
      assert.equal(suite.ctrl.script.count('stopSequencer'), 1);
      assert.equal(suite.cons.script.count('transferLeader'), 1);
    });
  }

  test('TestRollupBoostPartialFailure: partial rollup-boost does not wait for recovery', async () => {
    s = makeSuite({ rollupBoostEnabled: true });
    await s.enableSynchronization();
    setState(s, true, false, true);
    s.conductor.loop.state.prevState = { leader: true, healthy: false, active: false };
    s.ctrl.script.expect('stopSequencer', ok(hash()));
    s.cons.script.expect('transferLeader', ok(undefined));
    await s.updateHealthStatusAndExecuteAction(new HealthError(HealthErrorCode.RollupBoostPartiallyHealthy));
    assertState(s, false, false, false);
    assert.equal(s.conductor.loop.state.hcerr?.code, HealthErrorCode.RollupBoostPartiallyHealthy);
    assert.equal(s.ctrl.script.count('stopSequencer'), 1);
    assert.equal(s.cons.script.count('transferLeader'), 1);
  });
});
