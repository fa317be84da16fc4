// Large JSON bodies are decoded in a worker thread: the worker's SSZ must equal the inline codec's and errors
// must map exactly as inline. Large binary bodies are validated inline and committed verbatim (same buffer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelopeJson } from '../../bench/payload-fixture.ts';
import { encodePayloadForCommit } from '../../src/fsm/payload-codec.ts';
import { DecodePool } from '../../src/rpc/offload/decode-pool.ts';
import { defaultPayloadCodec } from '../../src/rpc/payload-codec-port.ts';
import { call, harness } from './fakes.ts';

const SIZE = 600_000;

test('DecodePool: worker-encoded commit equals inline encoding; other bodies and bad JSON are classified', async (t) => {
  const pool = new DecodePool(1);
  t.after(() => pool.close());
  const env = envelopeJson(SIZE);
  const body = Buffer.from(
    JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'conductor_commitUnsafePayload', params: [env] }),
  );
  const res = await pool.decode(body);
  assert.equal(res.kind, 'commit');
  assert.ok(res.kind === 'commit' && res.message.encoded);
  assert.deepEqual(Buffer.from(res.message.encoded.ssz), Buffer.from(encodePayloadForCommit(env).ssz));
  assert.equal(res.message.id, 7);
  assert.equal(body.length > 0, true, 'the caller keeps its body');
  assert.equal(
    (await pool.decode(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"conductor_leader"}'))).kind,
    'other',
  );
  assert.equal((await pool.decode(Buffer.from('{"x":'))).kind, 'parse-error');
  // A body in a shared buffer is read in place by the worker: same answer, and the caller's bytes stay.
  const shared = new Uint8Array(new SharedArrayBuffer(body.length + 16), 8, body.length);
  shared.set(body);
  const inPlace = await pool.decode(shared);
  assert.ok(inPlace.kind === 'commit' && inPlace.message.encoded);
  assert.deepEqual(Buffer.from(inPlace.message.encoded.ssz), Buffer.from(encodePayloadForCommit(env).ssz));
  assert.deepEqual(Buffer.from(shared), body);
});

test('large JSON commit through the server commits the codec bytes; missing data keeps the Go error', async (t) => {
  const h = harness({ codec: defaultPayloadCodec });
  t.after(() => h.app.close());
  const env = envelopeJson(SIZE);
  const ok = await call(h.app, 'conductor_commitUnsafePayload', [env]);
  assert.equal(ok.body.result, null);
  assert.deepEqual(Buffer.from(h.api.committed[0]?.ssz ?? []), Buffer.from(encodePayloadForCommit(env).ssz));
  const { parentBeaconBlockRoot: _drop, ...noRoot } = env;
  const missing = await call(h.app, 'conductor_commitUnsafePayload', [noRoot]);
  assert.deepEqual(missing.body.error, {
    code: -32000,
    message: 'failed to marshal payload envelope: execution payload envelope is missing data',
  });
  const bad = structuredClone(env) as { executionPayload: Record<string, unknown> };
  bad.executionPayload.blockNumber = 'zz';
  const badRes = await call(h.app, 'conductor_commitUnsafePayload', [bad]);
  assert.equal(badRes.body.error?.code, -32602);
  assert.match(badRes.body.error?.message ?? '', /^invalid argument 0: /);
});

test('large binary commit is validated inline and committed verbatim; corrupt SSZ → 500', async (t) => {
  const h = harness({ codec: defaultPayloadCodec });
  t.after(() => h.app.close());
  const ssz = Buffer.from(encodePayloadForCommit(envelopeJson(SIZE)).ssz);
  const res = await h.app.inject({
    method: 'POST',
    url: '/commit-unsafe-payload',
    headers: { 'content-type': 'application/octet-stream' },
    payload: ssz,
  });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(Buffer.from(h.api.committed[0]?.ssz ?? []), ssz);
  const corrupt = await h.app.inject({
    method: 'POST',
    url: '/commit-unsafe-payload',
    headers: { 'content-type': 'application/octet-stream' },
    payload: ssz.subarray(0, 300_000),
  });
  assert.equal(corrupt.statusCode, 500);
  assert.match(corrupt.body, /^invalid ssz payload: /);
});
