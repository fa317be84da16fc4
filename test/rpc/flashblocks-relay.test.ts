// Flashblocks relay against a local upstream WS server on 127.0.0.1:0: leader-only forwarding, upstream
// closed while follower and redialled on leadership, large text frames, init dial retries, slow-client drop.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { silentLogger } from '../../src/logging/logger.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { FlashblocksRelay } from '../../src/rpc/ws/flashblocks-relay.ts';
import { FlashblocksHub } from '../../src/rpc/ws/hub.ts';

// Generous: the CI box is shared; these bound the waits, they do not assert speed.
const WAIT_MS = 15_000;

async function waitFor(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function upstreamServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as AddressInfo).port;
  return { wss, url: `ws://127.0.0.1:${port}/ws` };
}

const fast = {
  pollMs: 20,
  redialMs: 50,
  dialTimeoutMs: 1000,
  pingIntervalMs: 50,
  pongTimeoutMs: 10_000,
  initialDialBackoffMs: 10,
};

test('relays upstream text frames (incl. > 32 KiB) to clients only while leader; upstream follows leadership', async (t) => {
  const up = await upstreamServer();
  let leader = true;
  const metrics = createMetrics();
  const relay = new FlashblocksRelay({
    upstreamUrl: up.url,
    host: '127.0.0.1',
    port: 0,
    leader: () => leader,
    log: silentLogger(),
    metrics,
    ...fast,
  });
  t.after(async () => {
    await relay.stop();
    for (const c of up.wss.clients) c.terminate();
    await new Promise((r) => up.wss.close(r));
  });
  const port = await relay.start();
  const client = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  t.after(() => client.terminate());
  const received: { text: string; binary: boolean }[] = [];
  client.on('message', (d, isBinary) => received.push({ text: d.toString(), binary: isBinary }));
  await new Promise<void>((r) => client.once('open', () => r()));
  await waitFor('client registered', () => relay.clientCount === 1);
  assert.match(await metrics.registry.metrics(), /op_conductor_websocket_clients_connected 1/);

  const big = JSON.stringify({ diff: 'x'.repeat(100 * 1024) });
  const broadcast = (m: string) => {
    for (const c of up.wss.clients) c.send(m);
  };
  broadcast('{"index":0}');
  broadcast(big);
  await waitFor('two messages', () => received.length === 2);
  assert.deepEqual(received[0], { text: '{"index":0}', binary: false });
  assert.equal(received[1]?.text, big);

  leader = false;
  await waitFor(
    'upstream closed while follower',
    () => up.wss.clients.size === 0 && !relay.upstreamConnected,
  );
  broadcast('{"index":1}');
  leader = true;
  await waitFor('upstream redialled as leader', () => up.wss.clients.size === 1);
  broadcast('{"index":2}');
  await waitFor('third message', () => received.length === 3);
  assert.equal(received[2]?.text, '{"index":2}', 'nothing from the follower period leaks through');
  const text = await metrics.registry.metrics();
  const attempts =
    /op_conductor_rollup_boost_connection_attempts_count\{success="true",source="([^"]+)"\} (\d+)/.exec(text);
  assert.equal(attempts?.[1], up.url, 'source label is the upstream URL');
  assert.ok(Number(attempts?.[2]) >= 2, 'initial dial + redial after regaining leadership');

  // keepalive: the idle client survives many ping intervals (no idle teardown)
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(client.readyState, WebSocket.OPEN);
  assert.equal(relay.clientCount, 1);
});

test('initial dial retries as configured, then start() fails and counts failed attempts', async () => {
  const up = await upstreamServer();
  const url = up.url;
  await new Promise((r) => up.wss.close(r));
  const metrics = createMetrics();
  const relay = new FlashblocksRelay({
    upstreamUrl: url,
    host: '127.0.0.1',
    port: 0,
    leader: () => true,
    log: silentLogger(),
    metrics,
    ...fast,
    initialDialAttempts: 3,
  });
  await assert.rejects(relay.start(), /failed to connect to rollup boost websocket/);
  assert.match(
    await metrics.registry.metrics(),
    /rollup_boost_connection_attempts_count\{success="false",source="[^"]+"\} 3/,
  );
  await relay.stop();
});

test('hub drops a client whose send buffer is full and keeps serving the others', () => {
  const metrics = createMetrics();
  const hub = new FlashblocksHub({ log: silentLogger(), metrics, clientBufferMessages: 4 });
  const fakeWs = (completes: boolean) => {
    const sent: string[] = [];
    let closed = false;
    const ws = {
      sent,
      get closed() {
        return closed;
      },
      once() {},
      send(m: string, _o: unknown, cb: () => void) {
        sent.push(m);
        if (completes) cb();
      },
      close() {
        closed = true;
      },
      terminate() {
        closed = true;
      },
    };
    return ws;
  };
  const slow = fakeWs(false);
  const quick = fakeWs(true);
  hub.register(slow as unknown as WebSocket);
  hub.register(quick as unknown as WebSocket);
  for (let i = 0; i < 10; i++) hub.broadcast(String(i));
  assert.equal(slow.sent.length, 4);
  assert.equal(slow.closed, true);
  assert.equal(quick.sent.length, 10);
  assert.equal(hub.size, 1);
});
