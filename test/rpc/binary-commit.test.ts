// POST /commit-unsafe-payload (Base fork): content-type rules, size cap, empty body, method, validation,
// verbatim bytes, plain-text errors, duration metric.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness } from './fakes.ts';

const URL_PATH = '/commit-unsafe-payload';
const good = Buffer.from([1, 2, 3, 4]);

test('valid SSZ → 200 empty body, bytes passed verbatim, success metric', async () => {
  const { app, api, metrics } = harness();
  for (const headers of [{ 'content-type': 'application/octet-stream' }, {}, { 'content-type': '' }]) {
    const res = await app.inject({ method: 'POST', url: URL_PATH, headers, payload: good });
    assert.equal(res.statusCode, 200, JSON.stringify(headers));
    assert.equal(res.body, '');
  }
  assert.equal(api.committed.length, 3);
  assert.deepEqual(Buffer.from(api.committed[0]?.ssz ?? []), good);
  const text = await metrics.registry.metrics();
  assert.match(text, /op_conductor_binary_commit_request_duration_seconds_count\{success="true"\} 3/);
});

test('wrong content type → 415; non-POST → 405 with Allow: POST; empty → 400', async () => {
  const { app, metrics } = harness();
  const ct = await app.inject({
    method: 'POST',
    url: URL_PATH,
    headers: { 'content-type': 'application/json' },
    payload: good,
  });
  assert.equal(ct.statusCode, 415);
  assert.equal(ct.body, 'unsupported content-type "application/json", want application/octet-stream\n');
  const get = await app.inject({ method: 'GET', url: URL_PATH });
  assert.equal(get.statusCode, 405);
  assert.equal(get.headers.allow, 'POST');
  const empty = await app.inject({
    method: 'POST',
    url: URL_PATH,
    headers: { 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(0),
  });
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.body, 'empty payload\n');
  assert.match(
    await metrics.registry.metrics(),
    /binary_commit_request_duration_seconds_count\{success="false"\} 3/,
  );
});

test('over the cap → 413 payload too large', async () => {
  const { app, api } = harness({ bodyBytesMax: 1024 });
  const res = await app.inject({
    method: 'POST',
    url: URL_PATH,
    headers: { 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(1025, 1),
  });
  assert.equal(res.statusCode, 413);
  assert.equal(res.body, 'payload too large: 1025 > 1024\n');
  assert.equal(api.committed.length, 0);
});

test('invalid SSZ and commit failures → 500 plain text with Go prefixes', async () => {
  const { app, api } = harness();
  const bad = await app.inject({
    method: 'POST',
    url: URL_PATH,
    headers: { 'content-type': 'application/octet-stream' },
    payload: Buffer.from([9, 9]),
  });
  assert.equal(bad.statusCode, 500);
  assert.equal(bad.body, 'invalid ssz payload: incorrect size\n');
  assert.match(String(bad.headers['content-type']), /^text\/plain/);
  api.failWith.set('commitUnsafePayload', new Error('node is not the leader'));
  const nl = await app.inject({
    method: 'POST',
    url: URL_PATH,
    headers: { 'content-type': 'application/octet-stream' },
    payload: good,
  });
  assert.equal(nl.statusCode, 500);
  assert.equal(nl.body, 'failed to apply payload envelope: node is not the leader\n');
});
