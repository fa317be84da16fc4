// Every conductor_* method: happy path and error path through inject(), with Go's result shapes and texts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PayloadCodecError, PayloadCodecErrorCode } from '../../src/fsm/payload-codec-error.ts';
import { call, fakeCodec, harness } from './fakes.ts';

const envelope = {
  parentBeaconBlockRoot: `0x${'11'.repeat(32)}`,
  executionPayload: { blockNumber: '0x2a' },
};

test('conductor_overrideLeader: sets/clears the flag; no params → -32602 like Go', async () => {
  const { app, api } = harness();
  assert.deepEqual((await call(app, 'conductor_overrideLeader', [true])).body.result, null);
  assert.equal(api.override, true);
  assert.equal((await call(app, 'conductor_leaderOverridden')).body.result, true);
  await call(app, 'conductor_overrideLeader', [false]);
  assert.equal((await call(app, 'conductor_leaderOverridden')).body.result, false);
  const { status, body } = await call(app, 'conductor_overrideLeader', []);
  assert.equal(status, 200);
  assert.deepEqual(body.error, { code: -32602, message: 'missing value for required argument 0' });
  assert.deepEqual((await call(app, 'conductor_overrideLeader', ['yes'])).body.error, {
    code: -32602,
    message: 'invalid argument 0: json: cannot unmarshal string into Go value of type bool',
  });
});

test('conductor_leader / leaderWithID: override-aware, suffrage integer, N/A record', async () => {
  const { app, api } = harness();
  api.raftLeader = false;
  assert.equal((await call(app, 'conductor_leader')).body.result, false);
  assert.deepEqual((await call(app, 'conductor_leaderWithID')).body.result, {
    id: 'seq-1',
    addr: '10.0.0.1:50050',
    suffrage: 0,
  });
  await call(app, 'conductor_overrideLeader', [true]);
  assert.equal((await call(app, 'conductor_leader')).body.result, true);
  assert.deepEqual((await call(app, 'conductor_leaderWithID')).body.result, {
    id: 'N/A (Leader overridden)',
    addr: 'N/A',
    suffrage: 0,
  });
  assert.equal(
    (await call(app, 'conductor_leader', [1])).body.error?.message,
    'too many arguments, want at most 0',
  );
});

test('conductor_pause / resume / paused / active / stop / stopped', async () => {
  const { app, api } = harness();
  assert.equal((await call(app, 'conductor_active')).body.result, true);
  assert.equal((await call(app, 'conductor_pause')).body.result, null);
  assert.equal((await call(app, 'conductor_paused')).body.result, true);
  assert.equal((await call(app, 'conductor_active')).body.result, false);
  assert.equal((await call(app, 'conductor_resume')).body.result, null);
  assert.equal((await call(app, 'conductor_paused')).body.result, false);
  api.failWith.set(
    'resume',
    new Error(
      'cannot resume because failed to get sequencer active status: failed to get sequencer active status: boom',
    ),
  );
  assert.deepEqual((await call(app, 'conductor_resume')).body.error, {
    code: -32000,
    message:
      'cannot resume because failed to get sequencer active status: failed to get sequencer active status: boom',
  });
  assert.equal((await call(app, 'conductor_stopped')).body.result, false);
  assert.equal((await call(app, 'conductor_stop')).body.result, null);
  assert.equal((await call(app, 'conductor_stopped')).body.result, true);
  assert.equal((await call(app, 'conductor_active')).body.result, false);
  api.failWith.set('stop', new Error('failed to stop raft'));
  assert.equal((await call(app, 'conductor_stop')).body.error?.message, 'failed to stop raft');
});

test('conductor_pause / resume bounded by the request timeout → Go texts', async () => {
  const { app, api } = harness({ requestTimeoutMs: 50 });
  api.gate = new Promise(() => {});
  assert.deepEqual((await call(app, 'conductor_pause')).body.error, {
    code: -32000,
    message: 'timeout to pause conductor',
  });
  assert.deepEqual((await call(app, 'conductor_resume')).body.error, {
    code: -32000,
    message: 'timeout to resume conductor',
  });
  const pauseCall = api.calls.find((c) => c.method === 'pause');
  assert.ok(pauseCall?.args[0] instanceof AbortSignal, 'the conductor receives the request signal');
});

test('conductor_sequencerHealthy reflects the last verdict', async () => {
  const { app, api } = harness();
  assert.equal((await call(app, 'conductor_sequencerHealthy')).body.result, true);
  api.healthy = false;
  assert.equal((await call(app, 'conductor_sequencerHealthy')).body.result, false);
});

test('membership changes pass id/addr/version through; raft errors verbatim', async () => {
  const { app, api } = harness();
  assert.equal(
    (await call(app, 'conductor_addServerAsVoter', ['seq-3', '10.0.0.3:50050', 0])).body.result,
    null,
  );
  assert.equal(
    (await call(app, 'conductor_addServerAsNonvoter', ['seq-4', '10.0.0.4:50050', 12])).body.result,
    null,
  );
  assert.equal((await call(app, 'conductor_removeServer', ['seq-4', 13])).body.result, null);
  assert.deepEqual(
    api.calls.filter((c) => c.method !== 'clusterMembership').map((c) => [c.method, ...c.args]),
    [
      ['addServerAsVoter', 'seq-3', '10.0.0.3:50050', 0],
      ['addServerAsNonvoter', 'seq-4', '10.0.0.4:50050', 12],
      ['removeServer', 'seq-4', 13],
    ],
  );
  api.failWith.set('addServerAsVoter', new Error('node is not the leader'));
  assert.deepEqual((await call(app, 'conductor_addServerAsVoter', ['seq-3', 'a:1', 0])).body.error, {
    code: -32000,
    message: 'node is not the leader',
  });
  api.failWith.set('removeServer', new Error('configuration changed since 3 (latest is 9)'));
  assert.equal(
    (await call(app, 'conductor_removeServer', ['seq-3', 3])).body.error?.message,
    'configuration changed since 3 (latest is 9)',
  );
  api.failWith.set('addServerAsNonvoter', new Error('dial tcp 10.0.0.9:50050: connect: connection refused'));
  assert.equal(
    (await call(app, 'conductor_addServerAsNonvoter', ['x', '10.0.0.9:50050', 0])).body.error?.message,
    'dial tcp 10.0.0.9:50050: connect: connection refused',
  );
  assert.equal(
    (await call(app, 'conductor_addServerAsVoter', ['x', 'a:1'])).body.error?.message,
    'missing value for required argument 2',
  );
  assert.equal(
    (await call(app, 'conductor_removeServer', ['x', '0'])).body.error?.message,
    'invalid argument 1: json: cannot unmarshal string into Go value of type uint64',
  );
});

test('conductor_transferLeader / transferLeaderToServer', async () => {
  const { app, api } = harness();
  assert.equal((await call(app, 'conductor_transferLeader')).body.result, null);
  assert.equal(
    (await call(app, 'conductor_transferLeaderToServer', ['seq-2', '10.0.0.2:50050'])).body.result,
    null,
  );
  assert.deepEqual(api.calls.at(-1), { method: 'transferLeaderToServer', args: ['seq-2', '10.0.0.2:50050'] });
  api.failWith.set('transferLeader', new Error('leadership transfer in progress'));
  assert.equal(
    (await call(app, 'conductor_transferLeader')).body.error?.message,
    'leadership transfer in progress',
  );
  api.failWith.set('transferLeaderToServer', new Error('node is not the leader'));
  assert.equal(
    (await call(app, 'conductor_transferLeaderToServer', ['a', 'b'])).body.error?.message,
    'node is not the leader',
  );
});

test('conductor_clusterMembership: servers with integer suffrage and numeric version', async () => {
  const { app, api } = harness();
  assert.deepEqual((await call(app, 'conductor_clusterMembership')).body.result, {
    servers: [
      { id: 'seq-1', addr: '10.0.0.1:50050', suffrage: 0 },
      { id: 'seq-2', addr: '10.0.0.2:50050', suffrage: 1 },
    ],
    version: 7,
  });
  api.failWith.set('clusterMembership', new Error('raft is already shutdown'));
  assert.equal(
    (await call(app, 'conductor_clusterMembership')).body.error?.message,
    'raft is already shutdown',
  );
});

test('conductor_commitUnsafePayload: decoded once, committed; Go error prefixes', async () => {
  const { app, api } = harness();
  assert.equal((await call(app, 'conductor_commitUnsafePayload', [envelope])).body.result, null);
  assert.equal(api.committed.length, 1);
  assert.equal(api.committed[0]?.blockNumber, 42n);
  const missing = await call(app, 'conductor_commitUnsafePayload', [
    { executionPayload: { blockNumber: '0x1' } },
  ]);
  assert.deepEqual(missing.body.error, {
    code: -32000,
    message: 'failed to marshal payload envelope: execution payload envelope is missing data',
  });
  assert.equal(
    (await call(app, 'conductor_commitUnsafePayload', [])).body.error?.message,
    'failed to marshal payload envelope: execution payload envelope is missing data',
  );
  api.failWith.set('commitUnsafePayload', new Error('node is not the leader'));
  assert.deepEqual((await call(app, 'conductor_commitUnsafePayload', [envelope])).body.error, {
    code: -32000,
    message: 'failed to apply payload envelope: node is not the leader',
  });
  api.failWith.set(
    'commitUnsafePayload',
    new Error('failed to apply payload envelope: leadership lost while committing log'),
  );
  assert.equal(
    (await call(app, 'conductor_commitUnsafePayload', [envelope])).body.error?.message,
    'failed to apply payload envelope: leadership lost while committing log',
    'an existing prefix is not doubled',
  );
  assert.equal((await call(app, 'conductor_commitUnsafePayload', ['0xdead'])).body.error?.code, -32602);
});

test('conductor_commitUnsafePayload: a JSON shape error from the codec is -32602 invalid argument 0', async () => {
  const { app } = harness({
    codec: {
      ...fakeCodec,
      encodeForCommit: () => {
        throw new PayloadCodecError(
          PayloadCodecErrorCode.InvalidJson,
          'executionPayload.blockNumber: invalid hex quantity',
        );
      },
    },
  });
  assert.deepEqual((await call(app, 'conductor_commitUnsafePayload', [envelope])).body.error, {
    code: -32602,
    message: 'invalid argument 0: executionPayload.blockNumber: invalid hex quantity',
  });
});

test('a non-Error throw becomes -32603 method handler crashed', async () => {
  const { app, api } = harness();
  api.clusterMembership = async () => {
    throw 'weird';
  };
  assert.deepEqual((await call(app, 'conductor_clusterMembership')).body.error, {
    code: -32603,
    message: 'method handler crashed',
  });
});
