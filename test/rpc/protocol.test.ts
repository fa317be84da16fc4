// JSON-RPC over HTTP with go-ethereum's rules: codes/texts, HTTP 200 for every JSON-RPC error, batches,
// notifications, content types, body cap, health endpoints and RPC metrics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, harness } from './fakes.ts';

const JSON_CT = { 'content-type': 'application/json' };

async function post(payload: string | Buffer, headers: Record<string, string> = JSON_CT) {
  const { app } = harness();
  return app.inject({ method: 'POST', url: '/', headers, payload });
}

test('invalid JSON → -32700 parse error, HTTP 200, id null', async () => {
  const res = await post('{"jsonrpc":"2.0",');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body), {
    jsonrpc: '2.0',
    id: null,
    error: { code: -32700, message: 'parse error' },
  });
});

test('unknown method → -32601 with the Go text, HTTP 200', async () => {
  const { app } = harness();
  const { status, body } = await call(app, 'conductor_nope');
  assert.equal(status, 200);
  assert.deepEqual(body.error, {
    code: -32601,
    message: 'the method conductor_nope does not exist/is not available',
  });
});

test('invalid requests → -32600 invalid request, keeping a usable id', async () => {
  const cases: [unknown, unknown][] = [
    [{ jsonrpc: '1.0', id: 3, method: 'conductor_leader' }, 3],
    [{ jsonrpc: '2.0', id: 4 }, 4],
    [{ jsonrpc: '2.0', id: { a: 1 }, method: 'conductor_leader' }, null],
    [{ jsonrpc: '2.0', id: 5, method: 7 }, 5],
    [42, null],
    [null, null],
  ];
  for (const [msg, id] of cases) {
    const res = await post(JSON.stringify(msg));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(res.body), {
      jsonrpc: '2.0',
      id,
      error: { code: -32600, message: 'invalid request' },
    });
  }
});

test('string and null ids are echoed; void methods answer result null', async () => {
  const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 'abc', method: 'conductor_pause' }));
  assert.deepEqual(JSON.parse(res.body), { jsonrpc: '2.0', id: 'abc', result: null });
  const res2 = await post(JSON.stringify({ jsonrpc: '2.0', id: null, method: 'conductor_leader' }));
  assert.deepEqual(JSON.parse(res2.body), { jsonrpc: '2.0', id: null, result: true });
});

test('a notification runs but gets no answer (empty 200)', async () => {
  const { app, api } = harness();
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: JSON_CT,
    payload: JSON.stringify({ jsonrpc: '2.0', method: 'conductor_overrideLeader', params: [true] }),
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, '');
  assert.equal(api.override, true);
});

test('batches: in-order answers, mixed errors, notifications omitted, empty batch error', async () => {
  const batch = [
    { jsonrpc: '2.0', id: 1, method: 'conductor_leader' },
    { jsonrpc: '2.0', method: 'conductor_pause' },
    { jsonrpc: '2.0', id: 2, method: 'conductor_nope' },
    [{ jsonrpc: '2.0', id: 9, method: 'conductor_leader' }],
    { jsonrpc: '2.0', id: 3, method: 'conductor_paused' },
  ];
  const res = await post(JSON.stringify(batch));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body), [
    { jsonrpc: '2.0', id: 1, result: true },
    {
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32601, message: 'the method conductor_nope does not exist/is not available' },
    },
    { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } },
    { jsonrpc: '2.0', id: 3, result: true },
  ]);
  const empty = await post('[]');
  assert.deepEqual(JSON.parse(empty.body), {
    jsonrpc: '2.0',
    id: null,
    error: { code: -32600, message: 'empty batch' },
  });
});

test('oversized batches are refused with -32600 batch too large', async () => {
  const batch = Array.from({ length: 1001 }, (_, i) => ({
    jsonrpc: '2.0',
    id: i,
    method: 'conductor_leader',
  }));
  const res = await post(JSON.stringify(batch));
  assert.deepEqual(JSON.parse(res.body), [
    { jsonrpc: '2.0', id: 0, error: { code: -32600, message: 'batch too large' } },
  ]);
});

test('content type rules: json variants accepted, others 415 with Go text', async () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'conductor_leader' });
  for (const ct of [
    'application/json',
    'application/json; charset=utf-8',
    'application/json-rpc',
    'application/jsonrequest',
  ]) {
    const res = await post(body, { 'content-type': ct });
    assert.equal(res.statusCode, 200, ct);
    assert.equal(JSON.parse(res.body).result, true);
  }
  for (const headers of [{ 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
    const res = await post(body, headers);
    assert.equal(res.statusCode, 415);
    assert.equal(res.body, 'invalid content type, only application/json is supported\n');
  }
});

test('HTTP methods: empty GET is a 200 probe, PUT/DELETE 405, other paths 404', async () => {
  const { app } = harness();
  const get = await app.inject({ method: 'GET', url: '/' });
  assert.equal(get.statusCode, 200);
  assert.equal(get.body, '');
  const put = await app.inject({ method: 'PUT', url: '/', headers: JSON_CT, payload: '{}' });
  assert.equal(put.statusCode, 405);
  assert.equal(put.body, 'method not allowed\n');
  const nf = await app.inject({ method: 'POST', url: '/other', headers: JSON_CT, payload: '{}' });
  assert.equal(nf.statusCode, 404);
});

test('body over the cap → 413 with Go text; a 2 MB body is accepted', async () => {
  const { app } = harness({ bodyBytesMax: 1024 * 1024 });
  const big = await app.inject({
    method: 'POST',
    url: '/',
    headers: JSON_CT,
    payload: Buffer.alloc(1024 * 1024 + 1, 32),
  });
  assert.equal(big.statusCode, 413);
  assert.equal(big.body, `content length too large (${1024 * 1024 + 1}>${1024 * 1024})\n`);
  const h = harness();
  const pad = 'x'.repeat(2 * 1024 * 1024);
  const ok = await h.app.inject({
    method: 'POST',
    url: '/',
    headers: JSON_CT,
    payload: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'conductor_leader', pad }),
  });
  assert.equal(JSON.parse(ok.body).result, true);
});

test('GET /healthz → {"version":…} + newline; health_status and rpc_modules', async () => {
  const { app } = harness();
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(res.body, '{"version":"v0.0.0-test"}\n');
  assert.equal((await call(app, 'health_status')).body.result, 'v0.0.0-test');
  assert.deepEqual((await call(app, 'rpc_modules')).body.result, {
    admin: '1.0',
    conductor: '1.0',
    eth: '1.0',
    health: '1.0',
    miner: '1.0',
    optimism: '1.0',
    rpc: '1.0',
  });
  const noProxy = harness({ enableProxy: false });
  assert.deepEqual((await call(noProxy.app, 'rpc_modules')).body.result, {
    conductor: '1.0',
    health: '1.0',
    rpc: '1.0',
  });
  assert.equal((await call(noProxy.app, 'optimism_syncStatus')).body.error?.code, -32601);
});

test('RPC metrics carry rpc="main", the method, and error "<nil>" or "rpc_<code>"', async () => {
  const { app, metrics } = harness();
  await call(app, 'conductor_leader');
  await call(app, 'conductor_overrideLeader');
  await call(app, 'totally_unknown');
  const text = await metrics.registry.metrics();
  assert.match(text, /op_conductor_rpc_server_requests_total\{rpc="main",method="conductor_leader"\} 1/);
  assert.match(
    text,
    /op_conductor_rpc_server_responses_total\{rpc="main",method="conductor_leader",error="<nil>"\} 1/,
  );
  assert.match(
    text,
    /op_conductor_rpc_server_responses_total\{rpc="main",method="conductor_overrideLeader",error="rpc_-32602"\} 1/,
  );
  assert.match(
    text,
    /op_conductor_rpc_server_responses_total\{rpc="main",method="unknown",error="rpc_-32601"\} 1/,
  );
  assert.match(
    text,
    /op_conductor_rpc_server_request_duration_seconds_count\{rpc="main",method="conductor_leader"\} 1/,
  );
  assert.match(text, /op_conductor_rpc_server_results_size_total\{rpc="main",method="conductor_leader"\} 4/);
});

test('closeRpcServer: conductor_stop that closes its own server finishes within the grace period', async () => {
  const { listenRpcServer, closeRpcServer } = await import('../../src/rpc/server.ts');
  const h = harness();
  let closed: Promise<void> | undefined;
  h.api.stop = async () => {
    closed = closeRpcServer(h.app, 200);
    await closed;
  };
  const { port } = await listenRpcServer(h.app, { host: '127.0.0.1', port: 0 });
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: JSON_CT,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'conductor_stop' }),
    signal: AbortSignal.timeout(5_000),
  }).then(
    (r) => r.text(),
    (e: unknown) => `connection cut: ${String(e)}`,
  );
  await closed;
  assert.ok(closed, 'stop ran');
  assert.ok(res.length > 0, 'the request ended (answered or cut) instead of hanging');
  assert.equal(h.app.server.listening, false);
});
