/**
 * backup / restore through the CLI: a timestamped copy of a generated cluster dir, refused while a
 * store holds the node dir's LOCK (a running daemon), and restore that asks for confirmation (refused
 * with no stdin, accepted with "yes" on stdin or --force) and brings the old state back.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { isOneLineError, runCli, spawnCli } from './cli-harness.ts';

const gen = (out: string, term: string) => [
  'generate',
  '--nodes',
  '127.0.0.1:50050,127.0.0.1:50051',
  '--server-ids',
  'a,b',
  '--initial-leader',
  'a',
  '--output-dir',
  out,
  '--initial-term',
  term,
  '--force',
];

async function termOf(dir: string): Promise<number> {
  const r = await runCli(['info', '--state-dir', dir, '--json']);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as { currentTerm: number }).currentTerm;
}

describe('backup and restore', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'init-backup-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('backs up, refuses while locked, and restores with confirmation', async () => {
    const state = join(root, 'raft-state');
    const backups = join(root, 'backups');
    assert.equal((await runCli(gen(state, '1'))).code, 0);
    const b = await runCli(['backup', '--state-dir', state, '--backup-dir', backups], {
      now: new Date(Date.UTC(2025, 6, 7, 12, 0, 0)),
    });
    assert.equal(b.code, 0, b.err);
    const path = join(backups, 'raft-backup-20250707-120000');
    assert.match(b.out, /raft-backup-20250707-120000/);
    assert.deepEqual(readdirSync(path).sort(), ['a', 'b']);
    assert.equal(existsSync(join(path, 'a', 'LOCK')), false);

    // A daemon holding node a's stores: backup must refuse, and create nothing.
    const held = await openNodeStores({ dir: join(state, 'a'), backend: 'lmdb' });
    try {
      const locked = await runCli(['backup', '--state-dir', state, '--backup-dir', join(root, 'b2')]);
      assert.ok(isOneLineError(locked), locked.err);
      assert.match(locked.err, /stop the op-conductor/);
      assert.equal(existsSync(join(root, 'b2')) && readdirSync(join(root, 'b2')).length > 0, false);
    } finally {
      await held.close();
    }

    // Change the state, then restore: refused without confirmation, done with "yes" on stdin.
    assert.equal((await runCli(gen(state, '7'))).code, 0);
    assert.equal(await termOf(join(state, 'a')), 7);
    const noInput = await spawnCli(['restore', '--backup-dir', path, '--state-dir', state]);
    assert.ok(isOneLineError(noInput), noInput.err);
    assert.match(noInput.err, /no input on stdin; use --force/);
    assert.equal(await termOf(join(state, 'a')), 7, 'untouched after refusal');
    const no = await runCli(['restore', '--backup-dir', path, '--state-dir', state], { answer: 'no' });
    assert.match(no.err, /cancelled/);
    const yes = await spawnCli(['restore', '--backup-dir', path, '--state-dir', state], { input: 'yes\n' });
    assert.equal(yes.code, 0, yes.err);
    assert.equal(await termOf(join(state, 'a')), 1);
    assert.equal(await termOf(join(state, 'b')), 1);

    assert.equal((await runCli(gen(state, '4'))).code, 0);
    const forced = await runCli(['restore', '--backup-dir', path, '--state-dir', state, '--force']);
    assert.equal(forced.code, 0, forced.err);
    assert.equal(await termOf(join(state, 'a')), 1);
    assert.deepEqual(
      readdirSync(root).filter((n) => n.startsWith('.')),
      [],
      'no temporary directories left',
    );
  });

  it('bad input: missing dirs and non-backups are one-line errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['backup', '--state-dir', join(root, 'nope'), '--backup-dir', join(root, 'bk')], /does not exist/],
      [['backup', '--state-dir', root], /required flag --backup-dir/],
      [
        ['restore', '--backup-dir', join(root, 'nope'), '--state-dir', join(root, 's'), '--force'],
        /does not exist/,
      ],
      [
        [
          'restore',
          '--backup-dir',
          mkdtempSync(join(root, 'empty-')),
          '--state-dir',
          join(root, 's'),
          '--force',
        ],
        /holds no raft state/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args);
      assert.ok(isOneLineError(r), `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
    assert.equal(existsSync(join(root, 's')), false);
  });
});
