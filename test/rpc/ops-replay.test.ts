// Replays the exact JSON-RPC calls op-conductor-ops makes (ecosystem.md §1.4/§1.5): bodies of the form
// {"id":1,"jsonrpc":"2.0","method":…,"params":[…]}, one POST each, reading resp.json()["result"] after
// raise_for_status(). Every answer must be HTTP 200 with a `result` key (or `error` on failure).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness } from './fakes.ts';

async function opsCall(app: ReturnType<typeof harness>['app'], method: string, params: unknown[]) {
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ id: 1, jsonrpc: '2.0', method, params }),
  });
  assert.equal(res.statusCode, 200, `${method}: raise_for_status()`);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(body.id, 1);
  return body;
}

test('op-conductor-ops status / update-cluster-membership / transfer / pause / resume / override sequence', async () => {
  const { app, api } = harness();
  // status: per sequencer
  for (const m of ['conductor_active', 'conductor_leader', 'conductor_sequencerHealthy']) {
    const b = await opsCall(app, m, []);
    assert.equal(typeof b.result, 'boolean', m);
  }
  const membership = (await opsCall(app, 'conductor_clusterMembership', [])).result as {
    servers: { id: string; suffrage: number }[];
  };
  // ops compares int(not voting) with suffrage
  assert.equal(membership.servers.find((s) => s.id === 'seq-2')?.suffrage, Number(!false));
  assert.equal(membership.servers.find((s) => s.id === 'seq-1')?.suffrage, Number(!true));
  // update-cluster-membership: suffrage mismatch → remove then re-add; then re-add everyone (must succeed)
  for (const [m, params] of [
    ['conductor_removeServer', ['seq-2', 0]],
    ['conductor_addServerAsVoter', ['seq-2', '10.0.0.2:50050', 0]],
    ['conductor_addServerAsVoter', ['seq-1', '10.0.0.1:50050', 0]],
    ['conductor_addServerAsNonvoter', ['seq-3', '10.0.0.3:50050', 0]],
    ['conductor_transferLeaderToServer', ['seq-2', '10.0.0.2:50050']],
    ['conductor_pause', []],
    ['conductor_resume', []],
    ['conductor_overrideLeader', [true]],
    ['conductor_overrideLeader', [false]],
  ] as [string, unknown[]][]) {
    const b = await opsCall(app, m, params);
    assert.ok(Object.hasOwn(b, 'result'), `${m} must answer a result key`);
    assert.equal(b.result, null, m);
  }
  assert.deepEqual(
    api.calls.map((c) => c.method),
    [
      'clusterMembership',
      'removeServer',
      'addServerAsVoter',
      'addServerAsVoter',
      'addServerAsNonvoter',
      'transferLeaderToServer',
      'pause',
      'resume',
      'overrideLeader',
      'overrideLeader',
    ],
  );
  // a failing command answers HTTP 200 + error (ops prints it instead of crashing)
  api.failWith.set('transferLeaderToServer', new Error('node is not the leader'));
  const failed = await opsCall(app, 'conductor_transferLeaderToServer', ['seq-2', '10.0.0.2:50050']);
  assert.deepEqual(failed.error, { code: -32000, message: 'node is not the leader' });
});
