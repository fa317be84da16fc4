// The metrics server serves the registry's text exposition at any path on 127.0.0.1:0, and stops
// promptly even with a keep-alive scraper connected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../src/logging/logger.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { createMetricsServer } from '../../src/metrics/server.ts';

const FETCH_TIMEOUT_MS = 5_000;

test('serves op_conductor_* metrics at any path', async () => {
  const metrics = createMetrics();
  metrics.up.set(1);
  metrics.info.set({ version: 'v0.1.0' }, 1);
  const server = createMetricsServer({
    registry: metrics.registry,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
  });
  await server.start();
  try {
    const port = server.address()?.port;
    assert.ok(port);
    for (const path of ['/', '/metrics', '/anything/else']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      const body = await res.text();
      assert.match(body, /^op_conductor_up 1$/m);
      assert.match(body, /^op_conductor_info\{version="v0.1.0"\} 1$/m);
    }
    const post = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    assert.equal(post.status, 405);
    await post.text();
  } finally {
    await server.stop();
  }
  assert.equal(server.address(), undefined);
});
