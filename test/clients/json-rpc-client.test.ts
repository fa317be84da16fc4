import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createJsonRpcClient,
  isMethodNotFound,
  JsonRpcError,
  RpcTransportError,
} from '../../src/clients/json-rpc-client.ts';
import { startRpcServer, type TestRpcServer, unusedPort } from './rpc-test-server.ts';

describe('json-rpc-client', () => {
  let server: TestRpcServer;
  before(async () => {
    server = await startRpcServer((method, params, req) => {
      switch (method) {
        case 'echo':
          return {
            result: {
              params,
              auth: req.headers.authorization ?? null,
              custom: req.headers['x-custom'] ?? null,
            },
          };
        case 'fail':
          return { error: { code: -32000, message: 'sequencer not running', data: { why: 1 } } };
        case 'missing':
          return { error: { code: -32601, message: 'the method missing does not exist/is not available' } };
        case 'http500':
          return { raw: { status: 500, body: 'boom' } };
        case 'http400rpc':
          return {
            raw: {
              status: 400,
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'bad params' } }),
            },
          };
        case 'garbage':
          return { raw: { status: 200, body: 'not json' } };
        case 'wrongId':
          return { raw: { status: 200, body: JSON.stringify({ jsonrpc: '2.0', id: 999999, result: 1 }) } };
        case 'hang':
          return { hang: true };
        default:
          return { error: { code: -32601, message: 'method not found' } };
      }
    });
  });
  after(async () => server.close());

  it('returns the result and sends params and headers', async () => {
    const c = createJsonRpcClient({ url: server.url, headers: { 'x-custom': 'yes' } });
    try {
      const r = await c.call<{ params: unknown[]; custom: string }>('echo', [1, 'a', { b: true }]);
      assert.deepEqual(r.params, [1, 'a', { b: true }]);
      assert.equal(r.custom, 'yes');
    } finally {
      await c.close();
    }
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    const opened = server.connections();
    const c = createJsonRpcClient({ url: server.url });
    try {
      for (let i = 0; i < 20; i++) await c.call('echo', [i]);
      // undici may open a second socket while the first is being released; never one per call.
      assert.ok(server.connections() - opened <= 2, `opened ${server.connections() - opened} connections`);
    } finally {
      await c.close();
    }
  });

  it('sends basic auth from URL credentials', async () => {
    const c = createJsonRpcClient({ url: server.url.replace('http://', 'http://user:pa%20ss@') });
    try {
      const r = await c.call<{ auth: string }>('echo', []);
      assert.equal(r.auth, `Basic ${Buffer.from('user:pa ss').toString('base64')}`);
    } finally {
      await c.close();
    }
  });

  it('throws JsonRpcError with the server code, message and data', async () => {
    const c = createJsonRpcClient({ url: server.url });
    try {
      await assert.rejects(c.call('fail', []), (e: unknown) => {
        assert.ok(e instanceof JsonRpcError);
        assert.equal(e.code, -32000);
        assert.equal(e.message, 'sequencer not running');
        assert.deepEqual(e.data, { why: 1 });
        return true;
      });
      await assert.rejects(c.call('missing', []), (e: unknown) => isMethodNotFound(e));
      await assert.rejects(
        c.call('http400rpc', []),
        (e: unknown) => e instanceof JsonRpcError && e.code === -32602,
      );
    } finally {
      await c.close();
    }
  });

  it('throws RpcTransportError for HTTP errors, garbage and id mismatch', async () => {
    const c = createJsonRpcClient({ url: server.url });
    try {
      await assert.rejects(
        c.call('http500', []),
        (e: unknown) => e instanceof RpcTransportError && e.kind === 'http' && e.status === 500,
      );
      await assert.rejects(
        c.call('garbage', []),
        (e: unknown) => e instanceof RpcTransportError && e.kind === 'invalid-response',
      );
      await assert.rejects(
        c.call('wrongId', []),
        (e: unknown) => e instanceof RpcTransportError && e.kind === 'invalid-response',
      );
    } finally {
      await c.close();
    }
  });

  it('times out a hanging call with kind timeout', async () => {
    const c = createJsonRpcClient({ url: server.url, timeoutMs: 5_000 });
    try {
      await assert.rejects(
        c.call('hang', [], { timeoutMs: 100 }),
        (e: unknown) => e instanceof RpcTransportError && e.kind === 'timeout',
      );
    } finally {
      await c.close();
    }
  });

  it('honours the caller signal with kind aborted', async () => {
    const c = createJsonRpcClient({ url: server.url });
    try {
      const ac = new AbortController();
      const p = c.call('hang', [], { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(p, (e: unknown) => e instanceof RpcTransportError && e.kind === 'aborted');
    } finally {
      await c.close();
    }
  });

  it('reports a refused connection as kind connection', async () => {
    const c = createJsonRpcClient({ url: `http://127.0.0.1:${await unusedPort()}` });
    try {
      await assert.rejects(
        c.call('echo', []),
        (e: unknown) => e instanceof RpcTransportError && e.kind === 'connection',
      );
    } finally {
      await c.close();
    }
  });

  it('refuses calls after close', async () => {
    const c = createJsonRpcClient({ url: server.url });
    await c.close();
    await assert.rejects(c.call('echo', []), RpcTransportError);
  });
});
