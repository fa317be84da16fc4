// Re-entrancy (spec §5.9): conductor_leader must answer while other requests are blocked in a slow
// pause (control loop busy, e.g. inside admin_startSequencer) or a slow commit (Raft apply).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, harness } from './fakes.ts';

const envelope = { parentBeaconBlockRoot: '0x11', executionPayload: { blockNumber: '0x1' } };

test('conductor_leader answers while pause and commit are blocked', async () => {
  const { app, api } = harness();
  let release!: () => void;
  api.gate = new Promise<void>((r) => {
    release = r;
  });
  const settled: string[] = [];
  const pause = call(app, 'conductor_pause').then((r) => {
    settled.push('pause');
    return r;
  });
  const commit = call(app, 'conductor_commitUnsafePayload', [envelope]).then((r) => {
    settled.push('commit');
    return r;
  });
  // Let both requests reach the conductor before asking for leadership.
  for (let i = 0; i < 100 && api.calls.length < 2; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(api.calls.map((c) => c.method).sort(), ['commitUnsafePayload', 'pause']);
  for (let i = 0; i < 5; i++) {
    const leader = await call(app, 'conductor_leader');
    assert.equal(leader.body.result, true);
    const withId = await call(app, 'conductor_leaderWithID');
    assert.equal((withId.body.result as { id: string }).id, 'seq-1');
  }
  assert.deepEqual(settled, [], 'the blocked requests are still pending while leader answered');
  release();
  assert.equal((await pause).body.result, null);
  assert.equal((await commit).body.result, null);
  assert.deepEqual(settled.sort(), ['commit', 'pause']);
});
