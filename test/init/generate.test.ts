/**
 * generate + info/verify through the CLI: a 3-server cluster gets one identical configuration entry
 * per node (Go's exact msgpack bytes), CurrentTerm = initial term, and the self-vote on the initial
 * leader only; every flag works from the environment; each bad input is a one-line error with a
 * non-zero exit and leaves nothing behind; existing state is only replaced with --force.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeConfiguration } from '../../src/init/raftcodec/configuration-codec.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { isOneLineError, runCli, spawnCli } from './cli-harness.ts';

const NODES = '127.0.0.1:50050,127.0.0.1:50051,127.0.0.1:50052';

describe('generate', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'init-generate-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes one configuration entry per node and the leader self-vote (spawned)', async () => {
    const out = join(root, 'spawned');
    const r = await spawnCli([
      'generate',
      '--nodes',
      NODES,
      '--server-ids',
      'a,b,c',
      '--initial-leader',
      'b',
      '--output-dir',
      out,
      '--initial-term',
      '3',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(out).sort(), ['a', 'b', 'c']);
    const want = encodeConfiguration({
      servers: ['a', 'b', 'c'].map((id, i) => ({ suffrage: 0 as const, id, address: `127.0.0.1:5005${i}` })),
    });
    for (const id of ['a', 'b', 'c']) {
      const s = await openNodeStores({ dir: join(out, id), backend: 'lmdb' });
      try {
        assert.equal(s.log.firstIndex(), 1);
        assert.equal(s.log.lastIndex(), 1);
        const e = s.log.getLog(1)!;
        assert.equal(e.term, 3);
        assert.equal(e.type, 5);
        assert.deepEqual(Buffer.from(e.data), Buffer.from(want));
        const hs = s.stable.getHardState();
        assert.equal(hs.currentTerm, 3);
        if (id === 'b')
          assert.deepEqual(
            [hs.lastVoteTerm, hs.lastVoteCandidateAddr, hs.lastVoteCandidateId],
            [3, '127.0.0.1:50051', 'b'],
          );
        else assert.deepEqual([hs.lastVoteTerm, hs.lastVoteCandidateAddr], [0, '']);
      } finally {
        await s.close();
      }
    }
    const v = await runCli(['verify', '--state-dir', join(out, 'b')]);
    assert.equal(v.code, 0, v.err);
    assert.match(v.out, /Role hint:\s+Leader/);
    const j = await runCli(['info', '--state-dir', join(out, 'c'), '--json']);
    const info = JSON.parse(j.out) as {
      roleHint: string;
      currentTerm: number;
      entries: unknown[];
      issues: unknown[];
    };
    assert.deepEqual(
      [info.roleHint, info.currentTerm, info.entries.length, info.issues.length],
      ['follower', 3, 1, 0],
    );
  });

  it('takes every flag from OP_CONDUCTOR_INIT_* and supports the file store', async () => {
    const out = join(root, 'env');
    const r = await runCli(['generate'], {
      env: {
        OP_CONDUCTOR_INIT_NODES: NODES,
        OP_CONDUCTOR_INIT_SERVER_IDS: 'x,y,z',
        OP_CONDUCTOR_INIT_INITIAL_LEADER: 'x',
        OP_CONDUCTOR_INIT_OUTPUT_DIR: out,
        OP_CONDUCTOR_INIT_STORE: 'file',
        OP_CONDUCTOR_INIT_NETWORK: 'op-sepolia',
      },
    });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /network op-sepolia/);
    const v = await runCli(['verify', '--state-dir', join(out, 'x'), '--json']);
    assert.equal(v.code, 0, v.err);
    assert.equal((JSON.parse(v.out) as { format: string }).format, 'file');
  });

  it('--strict-initial-leader writes the configuration on the leader only', async () => {
    const out = join(root, 'strict');
    const r = await runCli([
      'generate',
      '--nodes',
      NODES,
      '--server-ids',
      'a,b,c',
      '--initial-leader',
      'c',
      '--output-dir',
      out,
      '--strict-initial-leader',
    ]);
    assert.equal(r.code, 0, r.err);
    for (const id of ['a', 'b', 'c']) {
      const v = await runCli(['verify', '--state-dir', join(out, id), '--json']);
      assert.equal(v.code, 0, v.out);
      const info = JSON.parse(v.out) as { lastIndex: number; currentTerm: number; roleHint: string };
      assert.deepEqual(
        [info.lastIndex, info.currentTerm, info.roleHint],
        id === 'c' ? [1, 1, 'leader'] : [0, 1, 'follower'],
      );
    }
  });

  it('refuses to overwrite without --force, replaces with it', async () => {
    const out = join(root, 'twice');
    const args = [
      'generate',
      '--nodes',
      NODES,
      '--server-ids',
      'a,b,c',
      '--initial-leader',
      'a',
      '--output-dir',
      out,
    ];
    assert.equal((await runCli(args)).code, 0);
    const again = await runCli([...args, '--initial-term', '9']);
    assert.ok(isOneLineError(again), again.err);
    assert.match(again.err, /already contains state; use --force/);
    const forced = await runCli([...args, '--initial-term', '9', '--force']);
    assert.equal(forced.code, 0, forced.err);
    const j = await runCli(['info', '--state-dir', join(out, 'a'), '--json']);
    assert.equal((JSON.parse(j.out) as { currentTerm: number }).currentTerm, 9);
    assert.deepEqual(readdirSync(out).sort(), ['a', 'b', 'c'], 'no temporary directories left');
    // --force never replaces a dir a running daemon holds.
    const held = await openNodeStores({ dir: join(out, 'b'), backend: 'lmdb' });
    try {
      const locked = await runCli([...args, '--force']);
      assert.ok(isOneLineError(locked), locked.err);
      assert.match(locked.err, /stop the op-conductor/);
    } finally {
      await held.close();
    }
    assert.deepEqual(readdirSync(out).sort(), ['a', 'b', 'c']);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['missing --nodes', ['--server-ids', 'a', '--initial-leader', 'a'], /required flag --nodes/],
    [
      'count mismatch',
      ['--nodes', NODES, '--server-ids', 'a,b', '--initial-leader', 'a'],
      /3 entries but --server-ids has 2/,
    ],
    [
      'duplicate id',
      ['--nodes', NODES, '--server-ids', 'a,b,a', '--initial-leader', 'a'],
      /duplicate server id "a"/,
    ],
    [
      'duplicate address',
      ['--nodes', '127.0.0.1:1,127.0.0.1:1', '--server-ids', 'a,b', '--initial-leader', 'a'],
      /duplicate address/,
    ],
    [
      'leader not an id',
      ['--nodes', NODES, '--server-ids', 'a,b,c', '--initial-leader', 'd'],
      /not one of the --server-ids/,
    ],
    ['no port', ['--nodes', 'host-a', '--server-ids', 'a', '--initial-leader', 'a'], /not in host:port form/],
    ['bad port', ['--nodes', 'host-a:70000', '--server-ids', 'a', '--initial-leader', 'a'], /invalid port/],
    [
      'bad term',
      ['--nodes', 'h:1', '--server-ids', 'a', '--initial-leader', 'a', '--initial-term', '0'],
      /positive integer/,
    ],
    [
      'bad store',
      ['--nodes', 'h:1', '--server-ids', 'a', '--initial-leader', 'a', '--store', 'bolt'],
      /lmdb or file/,
    ],
    ['unknown flag', ['--nodes', 'h:1', '--bogus', 'x'], /not defined: -bogus/],
    ['id as path', ['--nodes', 'h:1', '--server-ids', '../x', '--initial-leader', '../x'], /directory name/],
  ];
  for (const [name, args, re] of bad) {
    it(`bad input: ${name}`, async () => {
      const out = join(root, `bad-${name.replace(/\W/g, '')}`);
      const r = await runCli(['generate', ...args, '--output-dir', out]);
      assert.ok(isOneLineError(r), `${r.code} ${r.err}`);
      assert.match(r.err, re);
      assert.equal(existsSync(out), false, 'nothing written');
    });
  }

  it('bad input is one line and exit 2 from the real process', async () => {
    const r = await spawnCli(['generate', '--nodes', NODES]);
    assert.equal(r.code, 2);
    assert.ok(isOneLineError(r), r.err);
  });
});
