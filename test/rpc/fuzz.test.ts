// Fuzz: ≥ 10,000 malformed or hostile requests (bad JSON, wrong types, huge numbers, nested batches,
// oversized hex). The server must never crash and must answer every one with HTTP 200 and well-formed
// JSON-RPC (or an empty body when the request held only notifications).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { harness } from './fakes.ts';

const FUZZ_RUNS = 10_000;
const METHODS = [
  'conductor_leader',
  'conductor_overrideLeader',
  'conductor_addServerAsVoter',
  'conductor_removeServer',
  'conductor_commitUnsafePayload',
  'conductor_transferLeaderToServer',
  'conductor_clusterMembership',
  'eth_getBlockByNumber',
  'optimism_outputAtBlock',
  'miner_setMaxDASize',
  'rpc_modules',
  'nope_nope',
  '',
];

const hugeNumber = fc.oneof(
  fc.constant(1e308),
  fc.constant(-1e308),
  fc.constant(2 ** 64),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.double(),
);
const oversizedHex = fc.integer({ min: 1, max: 200 }).map((n) => `0x${'f'.repeat(n)}`);
const paramValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hugeNumber,
  oversizedHex,
  fc.boolean(),
  fc.string(),
);
const message = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), fc.integer()),
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), hugeNumber, fc.jsonValue({ maxDepth: 1 })),
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string(), fc.integer()),
    params: fc.oneof(fc.array(paramValue, { maxLength: 4 }), paramValue),
  },
  { requiredKeys: [] },
);
const nestedBatch: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, message, fc.array(tie('node'), { maxLength: 4 })),
})).node;

const body = fc.oneof(
  fc.string().map((s) => ({ raw: s })),
  fc.jsonValue().map((v) => ({ raw: JSON.stringify(v) })),
  message.map((m) => ({ raw: JSON.stringify(m) })),
  fc.array(message, { maxLength: 6 }).map((m) => ({ raw: JSON.stringify(m) })),
  nestedBatch.map((m) => ({ raw: JSON.stringify(m) })),
  message.map((m) => ({ raw: JSON.stringify(m).slice(0, -1) })),
);

function assertResponse(v: unknown) {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), 'response object');
  const r = v as Record<string, unknown>;
  assert.equal(r.jsonrpc, '2.0');
  assert.ok(Object.hasOwn(r, 'id'), 'id present');
  assert.notEqual(Object.hasOwn(r, 'result'), Object.hasOwn(r, 'error'), 'exactly one of result/error');
  if (r.error !== undefined) {
    const e = r.error as Record<string, unknown>;
    assert.ok(Number.isInteger(e.code), 'integer code');
    assert.equal(typeof e.message, 'string');
  }
}

test(`fuzz: ${FUZZ_RUNS} malformed requests → no crash, valid JSON-RPC answers`, async () => {
  const { app, exec, node } = harness({ requestTimeoutMs: 20 });
  for (const b of [exec, node])
    for (const m of ['eth_getBlockByNumber', 'optimism_outputAtBlock', 'miner_setMaxDASize'])
      b.results.set(m, {});
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(body, async ({ raw }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/json' },
        payload: raw,
      });
      assert.equal(res.statusCode, 200);
      if (res.body === '') return; // only notifications (or a stray response object) were sent
      const parsed: unknown = JSON.parse(res.body);
      if (Array.isArray(parsed)) {
        assert.ok(parsed.length > 0);
        parsed.forEach(assertResponse);
      } else assertResponse(parsed);
      answered++;
    }),
    { numRuns: FUZZ_RUNS },
  );
  assert.ok(answered > FUZZ_RUNS / 2, `most requests get an answer (${answered})`);
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200, 'server still alive');
});
