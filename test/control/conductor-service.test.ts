/**
 * The conductor service beyond Go's scenarios: re-entrancy (RPC reads answer while the loop awaits
 * op-node, spec §5.9), bounded pause/resume, the leader override, RPC delegation rules, the startup
 * handshake branches, bootstrap pause, ordered/idempotent stop, exact log texts and metrics.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FsmApplyError } from '../../src/consensus/raft-consensus.ts';
import { retryBackoffDelayMs } from '../../src/control/loop.ts';
import { UnsafePayloadConflictError } from '../../src/fsm/unsafe-payload-conflict-error.ts';
import { HealthError, HealthErrorCode } from '../../src/health/errors.ts';
import { RaftError, RaftErrorCode } from '../../src/raft/core/errors.ts';
import { block, envelope, fail, hash, ok } from './fakes.ts';
import { makeSuite, withTimeout } from './harness.ts';

/** Yield to the event loop until `cond` holds (bounded). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error(`condition never held: ${what}`);
}

async function metricValue(
  suite: ReturnType<typeof makeSuite>,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = suite.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const data = await metric.get();
  const match = data.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

describe('re-entrancy (spec §5.9)', () => {
  test('leader() and other reads answer while startSequencer is blocked; pause times out', async () => {
    const suite = makeSuite();
    await suite.enableSynchronization();
    let release!: () => void;
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(7, hash(7))));
    suite.ctrl.script.expect('latestBlock', ok(block(7, hash(7))));
    suite.ctrl.script.expect('startSequencer', { wait: blocked });
    suite.cons.knownLeader = { id: 'SequencerA', addr: '127.0.0.1:50050', suffrage: 0 };

    suite.cons.emitLeader(true);
    await suite.stepper.step(); // leader event
    const action = suite.executeAction(); // blocks inside admin_startSequencer
    await until(() => suite.ctrl.script.count('startSequencer') === 1, 'startSequencer called');

    // op-node's conductor_leader call-back during admin_startSequencer must answer now.
    assert.equal(suite.conductor.leader(), true);
    assert.deepEqual(suite.conductor.leaderWithId(), {
      id: 'SequencerA',
      addr: '127.0.0.1:50050',
      suffrage: 0,
    });
    assert.equal(suite.conductor.sequencerHealthy(), true);
    assert.equal(suite.conductor.paused(), false);
    assert.equal(suite.conductor.active(), true);
    await assert.rejects(suite.conductor.pause(AbortSignal.timeout(30)), {
      message: 'timeout to pause conductor',
    });
    assert.equal(suite.conductor.paused(), false, 'a timed-out pause is withdrawn, never applied later');

    release();
    await action;
    assert.equal(suite.conductor.loop.state.seqActive, true);
    assert.equal(suite.conductor.loop.pendingEvents, 0, 'the withdrawn pause request is gone');
    await suite.tearDown();
  });
});

describe('RPC surface', () => {
  test('override changes RPC answers only; the loop still acts on the raw raft flag', async () => {
    const suite = makeSuite();
    await suite.enableSynchronization();
    suite.conductor.overrideLeader(true);
    assert.equal(suite.conductor.leaderOverridden(), true);
    assert.equal(suite.conductor.leader(), true);
    assert.deepEqual(suite.conductor.leaderWithId(), {
      id: 'N/A (Leader overridden)',
      addr: 'N/A',
      suffrage: 0,
    });
    // Follower with an active sequencer: case 4 stops it despite the override.
    suite.conductor.loop.state.seqActive = true;
    suite.ctrl.script.expect('stopSequencer', ok(hash(1)));
    suite.conductor.loop.queueAction();
    await suite.executeAction();
    assert.equal(suite.ctrl.script.count('stopSequencer'), 1);
    suite.conductor.overrideLeader(false);
    assert.equal(suite.conductor.leader(), false);
    await suite.tearDown();
  });

  test('transferLeader swallows not-leader and surfaces other errors; commit is not gated by pause', async () => {
    const suite = makeSuite({ paused: true });
    await suite.enableSynchronization();
    suite.cons.script.expect('transferLeader', { err: new RaftError(RaftErrorCode.NotLeader) });
    await suite.conductor.transferLeader();
    suite.cons.script.expect('transferLeader', {
      err: new RaftError(RaftErrorCode.LeadershipTransferInProgress),
    });
    await assert.rejects(suite.conductor.transferLeader(), { message: 'leadership transfer in progress' });
    suite.cons.script.expect('transferLeaderTo', { err: new RaftError(RaftErrorCode.NotLeader) });
    await assert.rejects(suite.conductor.transferLeaderToServer('B', '127.0.0.1:1'), {
      message: 'node is not the leader',
    });
    const payload = { ssz: new Uint8Array([1]), blockNumber: 1n, blockHash: hash(1) };
    suite.cons.script.expect('commitUnsafePayload', ok(undefined));
    await suite.conductor.commitUnsafePayload(payload);
    assert.deepEqual(suite.cons.script.args('commitUnsafePayload'), [[payload]]);
    assert.equal(suite.conductor.active(), false);
    await suite.tearDown();
  });

  test('resume refreshes seqActive first, with the Go error text on failure', async () => {
    const suite = makeSuite({ synchronized: false, paused: true });
    await suite.disableSynchronization();
    suite.ctrl.script.expect('sequencerActive', fail('connection refused'));
    await assert.rejects(suite.conductor.resume(AbortSignal.timeout(1000)), {
      message:
        'cannot resume because failed to get sequencer active status: failed to get sequencer active status: connection refused',
    });
    assert.equal(suite.conductor.paused(), true);
    suite.ctrl.script.expect('sequencerActive', ok(false));
    await suite.conductor.resume(AbortSignal.timeout(1000));
    assert.equal(suite.conductor.paused(), false);
    await suite.tearDown();
  });

  test('pause and resume after stop fail at once with the timeout errors', async () => {
    const suite = makeSuite({ synchronized: false });
    await suite.disableSynchronization();
    await suite.conductor.stop();
    await assert.rejects(withTimeout(suite.conductor.pause(), 1000, 'pause'), {
      message: 'timeout to pause conductor',
    });
    await assert.rejects(withTimeout(suite.conductor.resume(), 1000, 'resume'), {
      message: 'timeout to resume conductor',
    });
  });
});

describe('startup', () => {
  test('an op-node without admin_conductorEnabled (-32601) is treated as enabled, with the Go warning', async () => {
    const suite = makeSuite();
    const err = Object.assign(
      new Error('the method admin_conductorEnabled does not exist/is not available'),
      {
        code: -32601,
      },
    );
    suite.ctrl.script.expect('conductorEnabled', { err });
    await suite.enableSynchronization();
    assert.ok(
      suite.logs.some(
        (l) =>
          l.msg ===
          'Warning: conductorEnabled method not found, please upgrade your op-node to the latest version, continuing...',
      ),
    );
    assert.equal(suite.hmon.starts, 1);
    await suite.tearDown();
  });

  test('conductor disabled on op-node is fatal with the Go text', async () => {
    const suite = makeSuite();
    suite.ctrl.script.expect('conductorEnabled', ok(false));
    await assert.rejects(suite.conductor.start(), {
      message: 'failed to initialize sequencer control: conductor is not enabled on sequencer, exiting...',
    });
    assert.equal(suite.conductor.stopped(), true);
  });

  test('handshake retries with backoff until op-node answers', async () => {
    const suite = makeSuite({ handshakeAttempts: 5, handshakeBackoffMs: 1 });
    suite.ctrl.script.expect(
      'conductorEnabled',
      fail('connection refused'),
      fail('connection refused'),
      ok(true),
    );
    suite.ctrl.script.expect('sequencerActive', ok(true));
    suite.ctrl.script.expect('stopSequencer', ok(hash(1)));
    await suite.enableSynchronization();
    assert.equal(suite.ctrl.script.count('conductorEnabled'), 3);
    assert.ok(suite.logs.some((l) => l.msg === 'sequencer active status updated' && l.active === true));
    await suite.tearDown();
  });

  test('bootstrap pause: warns, starts paused, the startup action does nothing', async () => {
    const suite = makeSuite({ pausedAfterBootstrap: true });
    await suite.enableSynchronization();
    assert.ok(suite.logs.some((l) => l.msg === 'Raft cluster bootstrapped, pausing conductor.'));
    assert.equal(suite.conductor.paused(), true);
    assert.equal(suite.conductor.active(), false);
    suite.cons.emitLeader(true);
    await suite.stepper.step();
    await suite.executeAction();
    assert.equal(suite.conductor.loop.state.leader, true, 'leadership is still tracked while paused');
    assert.equal(suite.cons.script.count('latestUnsafePayload'), 0);
    await suite.tearDown();
  });

  test('a leadership change reported before start is not lost', async () => {
    const suite = makeSuite();
    suite.cons.emitLeader(true);
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(1, hash(1))));
    suite.ctrl.script.expect('latestBlock', ok(block(1, hash(1))));
    suite.ctrl.script.expect('startSequencer', ok(undefined));
    await suite.conductor.start();
    await suite.stepper.step(); // buffered leader event
    await suite.executeAction();
    assert.equal(suite.conductor.loop.state.seqActive, true);
    await suite.tearDown();
  });
});

describe('stop', () => {
  test('ordered, idempotent; a failed part is aggregated and leaves the conductor not stopped', async () => {
    const suite = makeSuite({ synchronized: false });
    const order: string[] = [];
    let rpcFails = true;
    suite.conductor.attachStoppables({
      flashblocks: { stop: () => void order.push('flashblocks') },
      rpcServer: {
        stop: async () => {
          order.push('rpc');
          if (rpcFails) throw new Error('address in use');
        },
      },
      metricsServer: { stop: async () => void order.push('metrics') },
    });
    const origShutdown = suite.cons.shutdown.bind(suite.cons);
    suite.cons.shutdown = () => {
      order.push('consensus');
      return origShutdown();
    };
    const origHealthStop = suite.hmon.stop.bind(suite.hmon);
    suite.hmon.stop = () => {
      order.push('health');
      return origHealthStop();
    };
    await suite.disableSynchronization();

    await assert.rejects(suite.conductor.stop(), {
      message: '1 error occurred:\n\t* failed to stop rpc server: address in use\n\n',
    });
    assert.deepEqual(order, ['flashblocks', 'rpc', 'health', 'consensus', 'metrics']);
    assert.equal(suite.conductor.stopped(), false);
    assert.ok(suite.logs.some((l) => l.msg === 'failed to stop OpConductor'));

    rpcFails = false;
    await suite.conductor.stop();
    assert.equal(suite.conductor.stopped(), true);
    await suite.conductor.stop();
    assert.ok(suite.logs.some((l) => l.msg === 'OpConductor already stopped'));
    assert.equal(suite.cons.listenerCount, 0, 'leader subscription released');
  });
});

describe('logs and metrics', () => {
  test('Go log texts and fields, and the loop metrics', async () => {
    const suite = makeSuite();
    await suite.enableSynchronization();
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(1, hash(1))));
    suite.ctrl.script.expect('latestBlock', ok(block(1, hash(1))));
    suite.ctrl.script.expect('startSequencer', ok(undefined));
    await suite.updateLeaderStatusAndExecuteAction(true);
    suite.ctrl.script.expect('stopSequencer', ok(hash(1)));
    suite.cons.script.expect('transferLeader', ok(undefined));
    await suite.updateHealthStatusAndExecuteAction(new HealthError(HealthErrorCode.SequencerNotHealthy));

    const find = (msg: string) => suite.logs.find((l) => l.msg === msg);
    assert.equal(find('Leadership status changed')?.server, 'SequencerA');
    assert.equal(find('Leadership status changed')?.leader, true);
    assert.equal(find('Sequencer is unhealthy')?.err, 'sequencer is not healthy');
    assert.equal(find('Health state changed')?.old, true);
    assert.equal(find('Health state changed')?.new, false);
    const changed = suite.logs.filter((l) => l.msg === 'state changed');
    assert.deepEqual(
      changed.map((l) => [l.prev_state, l.new_state]),
      [
        ['leader: false, healthy: true, active: false', 'leader: true, healthy: true, active: false'],
        ['leader: true, healthy: true, active: false', 'leader: true, healthy: false, active: true'],
      ],
    );
    assert.equal(find('stopped sequencer')?.latestHead, hash(1));

    assert.equal(await metricValue(suite, 'op_conductor_sequencer_starts_count', { success: 'true' }), 1);
    assert.equal(await metricValue(suite, 'op_conductor_sequencer_stops_count', { success: 'true' }), 1);
    assert.equal(await metricValue(suite, 'op_conductor_leader_transfers_count', { success: 'true' }), 1);
    assert.equal(
      await metricValue(suite, 'op_conductor_state_changes_count', {
        leader: 'true',
        healthy: 'true',
        active: 'false',
      }),
      1,
    );
    const loop = await suite.metrics.loopExecutionTime.get();
    const count = loop.values.find((v) => v.metricName === 'op_conductor_loop_execution_time_count');
    assert.equal(count?.value, 5, 'startup action + 2 × (event + action)');
    await suite.tearDown();
  });

  test('"already running"/"not running" count as done with success=false', async () => {
    const suite = makeSuite();
    await suite.enableSynchronization();
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(1, hash(1))));
    suite.ctrl.script.expect('latestBlock', ok(block(1, hash(1))));
    suite.ctrl.script.expect('startSequencer', fail('sequencer already running'));
    await suite.updateLeaderStatusAndExecuteAction(true);
    assert.equal(suite.conductor.loop.state.seqActive, true);
    suite.ctrl.script.expect('stopSequencer', fail('sequencer not running'));
    await suite.updateLeaderStatusAndExecuteAction(false);
    assert.equal(suite.conductor.loop.state.seqActive, false);
    assert.equal(await metricValue(suite, 'op_conductor_sequencer_starts_count', { success: 'false' }), 1);
    assert.equal(await metricValue(suite, 'op_conductor_sequencer_stops_count', { success: 'false' }), 1);
    assert.ok(suite.logs.some((l) => l.msg === 'sequencer already started.'));
    assert.ok(suite.logs.some((l) => l.msg === 'sequencer already stopped'));
    await suite.tearDown();
  });

  test('retry backoff is Go rand.Intn(2000): 0..1999 ms', () => {
    assert.equal(
      retryBackoffDelayMs(() => 0, 2000),
      0,
    );
    assert.equal(
      retryBackoffDelayMs(() => 0.5, 2000),
      1000,
    );
    assert.equal(
      retryBackoffDelayMs(() => 0.9999999, 2000),
      1999,
    );
  });
});

describe('head repair after the FSM refused a conflicting payload', () => {
  const refused = (): FsmApplyError =>
    new FsmApplyError(
      new UnsafePayloadConflictError(
        { blockNumber: 8n, blockHash: hash(8), timestamp: 0n },
        { blockNumber: 8n, blockHash: hash(0x88), timestamp: 0n },
      ),
    );
  const payload = { ssz: new Uint8Array([1]), blockNumber: 8n, blockHash: hash(0x88) };

  /** A sequencing leader at block 7. */
  async function sequencingLeader(): Promise<ReturnType<typeof makeSuite>> {
    const suite = makeSuite();
    await suite.enableSynchronization();
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(7, hash(7))));
    suite.ctrl.script.expect('latestBlock', ok(block(7, hash(7))));
    suite.ctrl.script.expect('startSequencer', ok(undefined));
    await suite.updateLeaderStatusAndExecuteAction(true);
    assert.equal(suite.conductor.loop.state.seqActive, true);
    return suite;
  }

  test('op-node behind the committed head gets it posted; the sequencer is neither started nor stopped', async () => {
    const suite = await sequencingLeader();
    suite.cons.script.expect('commitUnsafePayload', { err: refused() });
    await assert.rejects(
      suite.conductor.commitUnsafePayload(payload),
      /conflicts with the committed unsafe head 8/,
    );
    assert.equal(suite.conductor.loop.pendingEvents, 1, 'one repair queued');
    suite.cons.script.expect('commitUnsafePayload', { err: refused() });
    await assert.rejects(suite.conductor.commitUnsafePayload(payload));
    assert.equal(suite.conductor.loop.pendingEvents, 1, 'repairs coalesce');

    suite.cons.script.expect('latestUnsafePayload', ok(envelope(8, hash(8))));
    suite.ctrl.script.expect('latestBlock', ok(block(7, hash(7))));
    suite.ctrl.script.expect('postUnsafePayload', ok(undefined));
    await suite.stepper.step();
    assert.deepEqual(suite.ctrl.script.args('postUnsafePayload'), [[envelope(8, hash(8))]]);
    assert.equal(suite.ctrl.script.count('startSequencer'), 1);
    assert.equal(suite.ctrl.script.count('stopSequencer'), 0);
    assert.equal(suite.conductor.loop.state.seqActive, true);
    assert.ok(suite.logs.some((l) => l.msg.startsWith('op-node is behind the committed unsafe head')));
    assert.deepEqual(suite.ctrl.script.unexpected, []);
    await suite.tearDown();
  });

  test('op-node holding another block at the committed height is reported, not overwritten', async () => {
    const suite = await sequencingLeader();
    suite.cons.script.expect('commitUnsafePayload', { err: refused() });
    await assert.rejects(suite.conductor.commitUnsafePayload(payload));
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(8, hash(8))));
    suite.ctrl.script.expect('latestBlock', ok(block(8, hash(0x88))));
    await suite.stepper.step();
    assert.equal(suite.ctrl.script.count('postUnsafePayload'), 0);
    const line = suite.logs.find((l) => l.msg === 'failed to repair the unsafe head of op-node');
    assert.equal(line?.err, 'unsafe head mismatch');
    assert.equal(suite.conductor.loop.pendingEvents, 0, 'not retried by itself');
    await suite.tearDown();
  });

  test('other commit errors queue nothing; a repair on a follower reads nothing', async () => {
    const suite = await sequencingLeader();
    suite.cons.script.expect('commitUnsafePayload', { err: new RaftError(RaftErrorCode.NotLeader) });
    await assert.rejects(suite.conductor.commitUnsafePayload(payload), { message: 'node is not the leader' });
    assert.equal(suite.conductor.loop.pendingEvents, 0);

    suite.cons.script.expect('commitUnsafePayload', { err: refused() });
    await assert.rejects(suite.conductor.commitUnsafePayload(payload));
    suite.cons.emitLeader(false);
    suite.cons.script.expect('latestUnsafePayload', ok(envelope(8, hash(8))));
    suite.ctrl.script.expect('latestBlock', ok(block(8, hash(8))));
    await suite.stepper.step(); // the repair, taken first: still leader, heads agree, nothing posted
    suite.ctrl.script.expect('stopSequencer', ok(hash(7)));
    await suite.stepper.step(); // leader=false
    await suite.executeAction(); // stop
    assert.equal(suite.conductor.loop.state.seqActive, false);
    suite.cons.script.expect('commitUnsafePayload', { err: refused() });
    await assert.rejects(suite.conductor.commitUnsafePayload(payload));
    const reads = suite.cons.script.count('latestUnsafePayload');
    await suite.stepper.step();
    assert.equal(suite.cons.script.count('latestUnsafePayload'), reads, 'a follower does not repair');
    assert.equal(suite.ctrl.script.count('postUnsafePayload'), 0);
    assert.deepEqual([...suite.cons.script.unexpected, ...suite.ctrl.script.unexpected], []);
    await suite.tearDown();
  });
});
