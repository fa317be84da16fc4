// Opt-in admin auth: cluster-changing methods need an HS256 Bearer JWT with a fresh iat; the methods
// op-node/kona/monitors call stay open; refusals are JSON-RPC errors with HTTP 200.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAdminJwtSecret, signAdminJwt, verifyAdminJwt } from '../../src/rpc/auth/admin-jwt.ts';
import { call, harness } from './fakes.ts';

const secret = parseAdminJwtSecret(`0x${'ab'.repeat(32)}`);
const NOW_MS = 1_700_000_000_000;
const nowSec = NOW_MS / 1000;
const bearer = (iat: number, key = secret) => ({ authorization: `Bearer ${signAdminJwt(key, iat)}` });

const ADMIN: [string, unknown[]][] = [
  ['conductor_pause', []],
  ['conductor_resume', []],
  ['conductor_stop', []],
  ['conductor_overrideLeader', [true]],
  ['conductor_addServerAsVoter', ['a', 'b:1', 0]],
  ['conductor_addServerAsNonvoter', ['a', 'b:1', 0]],
  ['conductor_removeServer', ['a', 0]],
  ['conductor_transferLeader', []],
  ['conductor_transferLeaderToServer', ['a', 'b:1']],
];
const OPEN = [
  'conductor_leader',
  'conductor_leaderWithID',
  'conductor_active',
  'conductor_paused',
  'conductor_stopped',
  'conductor_sequencerHealthy',
  'conductor_clusterMembership',
  'conductor_leaderOverridden',
  'health_status',
];

test('admin methods refuse without/with a bad token (HTTP 200, -32000) and run with a good one', async () => {
  const { app, api } = harness({ adminJwtSecret: secret, nowMs: () => NOW_MS });
  for (const [m, params] of ADMIN) {
    const none = await call(app, m, params);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.error, { code: -32000, message: 'unauthorized: missing token' }, m);
    const stale = await call(app, m, params, bearer(nowSec - 61));
    assert.equal(stale.body.error?.message, 'unauthorized: stale token', m);
    const wrongKey = await call(app, m, params, bearer(nowSec, parseAdminJwtSecret('cd'.repeat(32))));
    assert.equal(wrongKey.body.error?.message, 'unauthorized: invalid token', m);
  }
  assert.equal(api.calls.length, 0, 'no admin call reached the conductor');
  for (const [m, params] of ADMIN) {
    const ok = await call(app, m, params, bearer(nowSec + 30));
    assert.equal(ok.body.error, undefined, m);
  }
  assert.equal(api.calls.length, ADMIN.length);
});

test('read-only and op-node methods stay open, including commitUnsafePayload', async () => {
  const { app } = harness({ adminJwtSecret: secret, nowMs: () => NOW_MS });
  for (const m of OPEN) assert.equal((await call(app, m)).body.error, undefined, m);
  const commit = await call(app, 'conductor_commitUnsafePayload', [
    { parentBeaconBlockRoot: '0x11', executionPayload: { blockNumber: '0x1' } },
  ]);
  assert.equal(commit.body.result, null);
});

test('without a secret configured every method is open (drop-in default)', async () => {
  const { app } = harness();
  for (const [m, params] of ADMIN) assert.equal((await call(app, m, params)).body.error, undefined, m);
});

test('verifyAdminJwt: geth texts for each failure', () => {
  const now = 1000;
  assert.deepEqual(verifyAdminJwt(undefined, secret, now), { ok: false, reason: 'missing token' });
  assert.deepEqual(verifyAdminJwt('Basic abc', secret, now), { ok: false, reason: 'missing token' });
  assert.deepEqual(verifyAdminJwt('Bearer a.b', secret, now), { ok: false, reason: 'invalid token' });
  assert.deepEqual(verifyAdminJwt(`Bearer ${signAdminJwt(secret, now)}`, secret, now), { ok: true });
  assert.deepEqual(verifyAdminJwt(`Bearer ${signAdminJwt(secret, now + 61)}`, secret, now), {
    ok: false,
    reason: 'future token',
  });
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const none = `${enc({ alg: 'none' })}.${enc({ iat: now })}.`;
  assert.deepEqual(verifyAdminJwt(`Bearer ${none}`, secret, now), { ok: false, reason: 'invalid token' });
  assert.throws(() => parseAdminJwtSecret('abcd'), /32 bytes/);
});
