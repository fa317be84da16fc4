// The six proxied methods (spec §4): call the backend first, then check leadership; miner_setMaxDASize
// without the leader check; backend JSON-RPC errors pass through with code/message/data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { BackendRpcError, call, harness } from './fakes.ts';

test('eth_getBlockByNumber: tag/hex re-encoded, result opaque, non-leader refused after the call', async () => {
  const { app, api, exec } = harness();
  const block = { number: '0x10', hash: '0xabc', transactions: [] };
  exec.results.set('eth_getBlockByNumber', block);
  assert.deepEqual((await call(app, 'eth_getBlockByNumber', ['latest', false])).body.result, block);
  assert.deepEqual((await call(app, 'eth_getBlockByNumber', ['0xA', true])).body.result, block);
  assert.deepEqual(
    exec.calls.map((c) => c.params),
    [
      ['latest', false],
      ['0xa', true],
    ],
  );
  api.raftLeader = false;
  const refused = await call(app, 'eth_getBlockByNumber', ['latest', false]);
  assert.deepEqual(refused.body.error, {
    code: -32000,
    message: 'refusing to proxy request to non-leader sequencer',
  });
  assert.equal(exec.calls.length, 3, 'the backend is called before the leader check, as in Go');
  api.override = true;
  assert.deepEqual(
    (await call(app, 'eth_getBlockByNumber', ['latest', false])).body.result,
    block,
    'override-aware',
  );
  assert.equal(
    (await call(app, 'eth_getBlockByNumber', ['10', false])).body.error?.message,
    'invalid argument 0: hex string without 0x prefix',
  );
});

test('backend errors win over the leader check and keep their JSON-RPC code and data', async () => {
  const { app, api, node } = harness();
  api.raftLeader = false;
  node.errors.set('optimism_syncStatus', new BackendRpcError(-32001, 'backend busy', { retry: true }));
  assert.deepEqual((await call(app, 'optimism_syncStatus')).body.error, {
    code: -32001,
    message: 'backend busy',
    data: { retry: true },
  });
  node.errors.set('optimism_rollupConfig', new Error('connect ECONNREFUSED 127.0.0.1:9545'));
  assert.deepEqual((await call(app, 'optimism_rollupConfig')).body.error, {
    code: -32000,
    message: 'connect ECONNREFUSED 127.0.0.1:9545',
  });
});

test('node proxies: syncStatus, rollupConfig, sequencerActive with 10 s timeouts and leader gating', async () => {
  const { app, api, node } = harness();
  node.results.set('optimism_syncStatus', { unsafe_l2: { number: 5, hash: '0x5' } });
  node.results.set('optimism_rollupConfig', { l2_chain_id: 10 });
  node.results.set('admin_sequencerActive', true);
  assert.deepEqual((await call(app, 'optimism_syncStatus')).body.result, {
    unsafe_l2: { number: 5, hash: '0x5' },
  });
  assert.deepEqual((await call(app, 'optimism_rollupConfig')).body.result, { l2_chain_id: 10 });
  assert.equal((await call(app, 'admin_sequencerActive')).body.result, true);
  assert.ok(node.calls.every((c) => c.opts?.timeoutMs === 10_000 && c.opts.signal instanceof AbortSignal));
  api.raftLeader = false;
  for (const m of ['optimism_syncStatus', 'optimism_rollupConfig', 'admin_sequencerActive']) {
    assert.equal(
      (await call(app, m)).body.error?.message,
      'refusing to proxy request to non-leader sequencer',
      m,
    );
  }
  assert.equal(
    (await call(app, 'admin_startSequencer', ['0x00'])).body.error?.code,
    -32601,
    'only the listed methods exist',
  );
});

test('optimism_outputAtBlock: hex string parsed and re-sent as hex; bad input → failed to decode block number', async () => {
  const { app, node } = harness();
  node.results.set('optimism_outputAtBlock', { outputRoot: '0x01' });
  assert.deepEqual((await call(app, 'optimism_outputAtBlock', ['0x1F'])).body.result, { outputRoot: '0x01' });
  assert.deepEqual(node.calls.at(-1)?.params, ['0x1f']);
  assert.deepEqual((await call(app, 'optimism_outputAtBlock', ['31'])).body.error, {
    code: -32000,
    message: 'failed to decode block number: hex string without 0x prefix',
  });
  assert.equal(
    (await call(app, 'optimism_outputAtBlock', ['0x10000000000000000'])).body.error?.message,
    'failed to decode block number: hex number > 64 bits',
  );
  assert.equal(
    (await call(app, 'optimism_outputAtBlock', [31])).body.error?.message,
    'invalid argument 0: json: cannot unmarshal number into Go value of type string',
  );
});

test('miner_setMaxDASize: no leader check, logs with Go texts', async () => {
  const lines: { msg: string; level: number }[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const { app, api, exec } = harness({ log });
  api.raftLeader = false;
  exec.results.set('miner_setMaxDASize', true);
  assert.equal((await call(app, 'miner_setMaxDASize', ['0x100', '0x1000'])).body.result, true);
  assert.deepEqual(exec.calls.at(-1)?.params, ['0x100', '0x1000']);
  exec.errors.set(
    'miner_setMaxDASize',
    new BackendRpcError(-32601, 'the method miner_setMaxDASize does not exist/is not available'),
  );
  assert.equal((await call(app, 'miner_setMaxDASize', ['0x1', '0x2'])).body.error?.code, -32601);
  exec.errors.set('miner_setMaxDASize', new Error('socket hang up'));
  assert.equal((await call(app, 'miner_setMaxDASize', ['0x1', '0x2'])).body.error?.message, 'socket hang up');
  const msgs = lines.map((l) => [l.level, l.msg]);
  assert.ok(msgs.some(([lv, m]) => lv === 20 && m === 'successfully proxied miner_setMaxDASize call'));
  assert.ok(msgs.some(([lv, m]) => lv === 20 && m === 'proxy miner_setMaxDASize call returned an RPC error'));
  assert.ok(msgs.some(([lv, m]) => lv === 40 && m === 'proxy miner_setMaxDASize call failed'));
});

test('enableProxy without backends is a construction error', () => {
  assert.throws(() => harness({ proxyBackends: undefined }), /no backend clients/);
});

test('createProxyBackends: real clients against a local backend pass results and JSON-RPC errors through', async (t) => {
  const { createServer } = await import('node:http');
  const { createProxyBackends } = await import('../../src/rpc/proxy/proxy-backends.ts');
  const backend = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const msg = JSON.parse(raw) as { id: number; method: string; params: unknown[] };
      const answer =
        msg.method === 'optimism_outputAtBlock'
          ? { jsonrpc: '2.0', id: msg.id, result: { blockRef: msg.params[0] } }
          : {
              jsonrpc: '2.0',
              id: msg.id,
              error: { code: -32601, message: `the method ${msg.method} does not exist/is not available` },
            };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
  const port = (backend.address() as { port: number }).port;
  const backends = createProxyBackends({
    executionRpc: `http://127.0.0.1:${port}`,
    nodeRpc: `http://127.0.0.1:${port}`,
  });
  t.after(async () => {
    await backends.close();
    await new Promise((r) => backend.close(r));
  });
  const { app } = harness({ proxyBackends: backends });
  assert.deepEqual((await call(app, 'optimism_outputAtBlock', ['0x10'])).body.result, { blockRef: '0x10' });
  assert.deepEqual((await call(app, 'miner_setMaxDASize', ['0x1', '0x2'])).body.error, {
    code: -32601,
    message: 'the method miner_setMaxDASize does not exist/is not available',
  });
});
