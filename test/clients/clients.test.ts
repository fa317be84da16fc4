/** op-node, supervisor, EL, sequencer-control, rollup-boost clients and the dial policy, against local servers. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DialError, dialCheck } from '../../src/clients/dial.ts';
import { createElClient, createElP2pClient } from '../../src/clients/el-client.ts';
import { createJsonRpcClient, JsonRpcError, RpcTransportError } from '../../src/clients/json-rpc-client.ts';
import { createNodeClient, createSupervisorClient } from '../../src/clients/node-client.ts';
import { createRollupBoostClient, createRollupBoostNextClient } from '../../src/clients/rollup-boost.ts';
import { createSequencerControl } from '../../src/clients/sequencer-client.ts';
import { startRpcServer, type TestRpcServer, unusedPort } from './rpc-test-server.ts';

const H = (b: string) => `0x${b.repeat(64)}` as const;
const ref = (n: number, t: number, b: string) => ({
  hash: H(b),
  number: n,
  timestamp: t,
  parentHash: H('0'),
  l1origin: {},
});

describe('op-node / EL / supervisor JSON-RPC clients', () => {
  let server: TestRpcServer;
  const received: Record<string, unknown[]> = {};
  let sequencerRunning = false;
  before(async () => {
    server = await startRpcServer((method, params) => {
      received[method] = params;
      switch (method) {
        case 'optimism_syncStatus':
          return {
            result: {
              current_l1: {},
              unsafe_l2: ref(10, 1000, 'a'),
              safe_l2: ref(5, 990, 'b'),
              finalized_l2: ref(1, 900, 'c'),
            },
          };
        case 'opp2p_peerStats':
          return { result: { connected: 7, table: 3 } };
        case 'supervisor_syncStatus':
          return { result: { chains: {} } };
        case 'admin_conductorEnabled':
          return { result: true };
        case 'admin_sequencerActive':
          return { result: sequencerRunning };
        case 'admin_startSequencer':
          if (sequencerRunning) return { error: { code: -32000, message: 'sequencer already running' } };
          sequencerRunning = true;
          return { result: null };
        case 'admin_stopSequencer':
          if (!sequencerRunning) return { error: { code: -32000, message: 'sequencer not running' } };
          sequencerRunning = false;
          return { result: H('d') };
        case 'admin_postUnsafePayload':
          return { result: null };
        case 'eth_getBlockByNumber':
          return { result: { hash: H('e'), number: '0x1f', parentHash: H('0') } };
        case 'net_peerCount':
          return { result: '0x19' };
        case 'admin_peers':
          return { result: [{}, {}, {}] };
        default:
          return { error: { code: -32601, message: 'method not found' } };
      }
    });
  });
  after(async () => server.close());

  it('node client: typed sync status and peer stats', async () => {
    const rpc = createJsonRpcClient({ url: server.url });
    try {
      const node = createNodeClient(rpc);
      const ss = await node.syncStatus();
      assert.deepEqual(ss.unsafe_l2, { hash: H('a'), number: 10, timestamp: 1000 });
      assert.deepEqual(ss.safe_l2, { hash: H('b'), number: 5, timestamp: 990 });
      assert.deepEqual(await node.peerStats(), { connected: 7 });
      assert.deepEqual(await createSupervisorClient(rpc).syncStatus(), { chains: {} });
    } finally {
      await rpc.close();
    }
  });

  it('EL client: latest block and both peer-count methods', async () => {
    const rpc = createJsonRpcClient({ url: server.url });
    try {
      assert.deepEqual(await createElClient(rpc).latestBlock(), { hash: H('e'), number: 31n });
      assert.deepEqual(received.eth_getBlockByNumber, ['latest', false]);
      assert.equal(await createElP2pClient(rpc, 'net').peerCount(), 25);
      assert.equal(await createElP2pClient(rpc, 'admin').peerCount(), 3);
    } finally {
      await rpc.close();
    }
  });

  it('sequencer control: admin_* calls with op-node texts passed through', async () => {
    const rpc = createJsonRpcClient({ url: server.url });
    try {
      const ctl = createSequencerControl(createNodeClient(rpc), createElClient(rpc));
      assert.equal(await ctl.conductorEnabled(), true);
      assert.equal(await ctl.sequencerActive(), false);
      await assert.rejects(
        ctl.stopSequencer(),
        (e: unknown) => e instanceof JsonRpcError && e.message === 'sequencer not running',
      );
      await ctl.startSequencer(H('f'));
      assert.deepEqual(received.admin_startSequencer, [H('f')]);
      await assert.rejects(ctl.startSequencer(H('f')), /sequencer already running/);
      assert.equal(await ctl.stopSequencer(), H('d'));
      const env = { parentBeaconBlockRoot: H('1'), executionPayload: { blockNumber: '0x1' } };
      await ctl.postUnsafePayload(env as never);
      assert.deepEqual(received.admin_postUnsafePayload, [env]);
      assert.deepEqual(await ctl.latestBlock(), { hash: H('e'), number: 31n });
    } finally {
      await rpc.close();
    }
  });

  it('rejects malformed results at the edge', async () => {
    const bad = await startRpcServer((method) => {
      if (method === 'optimism_syncStatus')
        return { result: { unsafe_l2: { hash: '0x12', number: 1, timestamp: 1 } } };
      if (method === 'opp2p_peerStats') return { result: { connected: -1 } };
      if (method === 'net_peerCount') return { result: 12 };
      return { result: 'yes' };
    });
    const rpc = createJsonRpcClient({ url: bad.url });
    try {
      const node = createNodeClient(rpc);
      await assert.rejects(
        node.syncStatus(),
        (e: unknown) => e instanceof RpcTransportError && /unsafe_l2\.hash/.test(e.message),
      );
      await assert.rejects(node.peerStats(), /connected is not a non-negative integer/);
      await assert.rejects(node.conductorEnabled(), /result is not a boolean/);
      await assert.rejects(createElP2pClient(rpc, 'net').peerCount(), /not a hex quantity/);
    } finally {
      await rpc.close();
      await bad.close();
    }
  });
});

describe('rollup-boost checkers', () => {
  let status = 200;
  let body = '';
  let lastPath = '';
  let url = '';
  const srv = createServer((req, res) => {
    lastPath = req.url ?? '';
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  before(async () => {
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  after(async () => {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  });

  it('legacy: /healthz status codes', async () => {
    const c = createRollupBoostClient(url, { timeoutMs: 2_000 });
    try {
      for (const [code, want] of [
        [200, 'healthy'],
        [206, 'partial'],
        [503, 'unhealthy'],
      ] as const) {
        status = code;
        assert.equal(await c.healthcheck(), want);
      }
      assert.equal(lastPath, '/healthz');
      status = 500;
      await assert.rejects(c.healthcheck(), /unexpected status code: 500/);
    } finally {
      await c.close();
    }
  });

  it('next: JSON rollup_boost_health', async () => {
    const c = createRollupBoostNextClient(`${url}/health`, { timeoutMs: 2_000 });
    try {
      status = 200;
      for (const [v, want] of [
        ['Healthy', 'healthy'],
        ['PartialContent', 'partial'],
        ['ServiceUnavailable', 'unhealthy'],
      ] as const) {
        body = JSON.stringify({ version: '1', rollup_boost_health: v });
        assert.equal(await c.healthcheck(), want);
      }
      assert.equal(lastPath, '/health');
      body = JSON.stringify({ rollup_boost_health: 'Weird' });
      await assert.rejects(c.healthcheck(), /unexpected rollup_boost_health: "Weird"/);
      body = '{not json';
      await assert.rejects(c.healthcheck(), /failed to decode response/);
      status = 206;
      await assert.rejects(c.healthcheck(), /unexpected status code: 206/);
    } finally {
      await c.close();
    }
  });
});

describe('dial policy', () => {
  it('succeeds against a listening port and fails after the attempts otherwise', async () => {
    const s = await startRpcServer(() => ({ result: null }));
    try {
      await dialCheck(s.url);
    } finally {
      await s.close();
    }
    const port = await unusedPort();
    await assert.rejects(
      dialCheck(`http://127.0.0.1:${port}`, { attempts: 2, backoffMs: 10, timeoutMs: 1_000 }),
      (e: unknown) =>
        e instanceof DialError && e.message.startsWith(`failed to dial address (http://127.0.0.1:${port})`),
    );
  });
});
