// Lifecycle rules: start in order, stop in reverse; a failed start stops what already started and
// rethrows; a failing stop does not prevent the others; a hung stop is abandoned after the grace;
// the first signal resolves the wait, a second one forces exit.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import {
  type Service,
  type StopSignal,
  startServices,
  stopServices,
  waitForStopSignal,
} from '../../src/cli/lifecycle.ts';
import { silentLogger } from '../../src/logging/logger.ts';

function recorder() {
  const events: string[] = [];
  const svc = (
    name: string,
    opts: { failStart?: boolean; failStop?: boolean; hangStop?: boolean } = {},
  ): Service => ({
    name,
    async start() {
      if (opts.failStart) throw new Error(`${name} cannot start`);
      events.push(`start ${name}`);
    },
    async stop() {
      if (opts.hangStop) return new Promise<void>(() => {});
      events.push(`stop ${name}`);
      if (opts.failStop) throw new Error(`${name} cannot stop`);
    },
  });
  return { events, svc };
}

test('start in order, stop in reverse', async () => {
  const { events, svc } = recorder();
  const services = [svc('raft'), svc('health'), svc('rpc')];
  await startServices(services, silentLogger());
  const r = await stopServices(services, silentLogger());
  assert.equal(r.clean, true);
  assert.deepEqual(events, [
    'start raft',
    'start health',
    'start rpc',
    'stop rpc',
    'stop health',
    'stop raft',
  ]);
});

test('a failed start stops the started services in reverse and rethrows', async () => {
  const { events, svc } = recorder();
  await assert.rejects(
    startServices([svc('a'), svc('b'), svc('c', { failStart: true }), svc('d')], silentLogger()),
    /c cannot start/,
  );
  assert.deepEqual(events, ['start a', 'start b', 'stop b', 'stop a']);
});

test('a failing stop is reported but the rest still stop', async () => {
  const { events, svc } = recorder();
  const r = await stopServices([svc('a'), svc('b', { failStop: true }), svc('c')], silentLogger());
  assert.equal(r.clean, false);
  assert.deepEqual(events, ['stop c', 'stop b', 'stop a']);
});

test('a hung stop is abandoned after the grace period', async () => {
  const { events, svc } = recorder();
  const r = await stopServices([svc('a'), svc('b', { hangStop: true })], silentLogger(), 20);
  assert.equal(r.clean, false);
  assert.deepEqual(events, []);
});

test('first signal resolves, second forces', async () => {
  const emitter = new EventEmitter();
  const source = {
    on: (s: StopSignal, l: () => void) => emitter.on(s, l),
    off: (s: StopSignal, l: () => void) => emitter.off(s, l),
  };
  const forced: StopSignal[] = [];
  const waiter = waitForStopSignal(source, (s) => forced.push(s));
  emitter.emit('SIGTERM');
  assert.equal(await waiter.signal, 'SIGTERM');
  assert.deepEqual(forced, []);
  emitter.emit('SIGINT');
  assert.deepEqual(forced, ['SIGINT']);
  waiter.dispose();
  assert.equal(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM'), 0);
});
