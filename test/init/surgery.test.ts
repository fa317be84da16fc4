/**
 * recover and edit-unsafehead through the CLI on a generated node that committed three payloads
 * (blocks 100, 102, 101: the FSM keeps 102): recover must leave one snapshot with the new membership
 * and block 102 and an empty log, after a backup; edit-unsafehead must install a LOWER block (which an
 * appended entry could not) keeping the membership; bad input and a locked dir must change nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LogType } from '../../src/raft/core/types.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { runCli } from './cli-harness.ts';
import { envelopeJson, sszPayload } from './ssz-payloads.ts';

interface Info {
  entries: unknown[];
  firstIndex: number;
  lastIndex: number;
  snapshots: Array<{ members: string[]; index: number }>;
  unsafeHead?: { number: string; from: string };
  latestConfiguration?: { servers: Array<{ id: string }> };
  issues: string[];
}

async function info(dir: string): Promise<Info> {
  const r = await runCli(['info', '--state-dir', dir, '--json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as Info;
}

describe('recover and edit-unsafehead', () => {
  let root: string;
  let node: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'init-surgery-'));
    const g = await runCli([
      'generate',
      '--nodes',
      '127.0.0.1:50050,127.0.0.1:50051,127.0.0.1:50052',
      '--server-ids',
      'a,b,c',
      '--initial-leader',
      'a',
      '--output-dir',
      join(root, 'state'),
    ]);
    assert.equal(g.code, 0, g.err);
    node = join(root, 'state', 'a');
    const s = await openNodeStores({ dir: node, backend: 'lmdb' });
    try {
      await s.log.storeLogs(
        [100, 102, 101].map((b, i) => ({
          index: 2 + i,
          term: 1,
          type: LogType.Command,
          data: sszPayload(b),
        })),
      );
    } finally {
      await s.close();
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('info shows the blocks of command entries', async () => {
    const i = await info(node);
    assert.equal(i.lastIndex, 4);
    assert.deepEqual(i.unsafeHead, {
      number: '102',
      hash: `0x${(102).toString(16).padStart(64, '0')}`,
      from: 'log',
    });
  });

  it('recover: new membership, latest payload, empty log, backup first', async () => {
    const backups = join(root, 'bk');
    const r = await runCli([
      'recover',
      '--state-dir',
      node,
      '--members',
      'a=127.0.0.1:50050,d=127.0.0.1:50060',
      '--backup-dir',
      backups,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /WARNING/);
    assert.match(r.out, /unsafe head:\s+block 102/);
    assert.equal(readdirSync(backups).length, 1);
    const i = await info(node);
    assert.equal(i.entries.length, 0);
    assert.equal(i.snapshots[0]?.index, 4);
    assert.deepEqual(i.snapshots[0]?.members, ['a@127.0.0.1:50050', 'd@127.0.0.1:50060']);
    assert.deepEqual(i.unsafeHead?.number, '102');
    assert.deepEqual(
      i.latestConfiguration?.servers.map((s) => s.id),
      ['a', 'd'],
    );
    assert.deepEqual(i.issues, []);
    // The backup still holds the old state.
    const old = await info(join(backups, readdirSync(backups)[0]!));
    assert.equal(old.lastIndex, 4);
  });

  it('edit-unsafehead installs a lower block and keeps the membership', async () => {
    const file = join(root, 'payload.json');
    writeFileSync(file, JSON.stringify(envelopeJson(50)));
    const r = await runCli([
      'edit-unsafehead',
      '--state-dir',
      node,
      '--payload',
      file,
      '--backup-dir',
      join(root, 'bk'),
    ]);
    assert.equal(r.code, 0, r.err);
    const i = await info(node);
    assert.equal(i.unsafeHead?.number, '50');
    assert.deepEqual(
      i.latestConfiguration?.servers.map((s) => s.id),
      ['a', 'd'],
    );
    assert.equal(readdirSync(join(root, 'bk')).length, 2);
  });

  it('bad input and a locked dir change nothing', async () => {
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{"executionPayload": 1');
    const cases: Array<[string[], RegExp]> = [
      [['recover', '--state-dir', node, '--members', 'd=127.0.0.1:50060'], /does not include this node/],
      [['recover', '--state-dir', node, '--members', 'a:127.0.0.1:1'], /id=host:port/],
      [['recover', '--state-dir', join(root, 'nope'), '--members', 'nope=h:1'], /does not exist/],
      [['edit-unsafehead', '--state-dir', node, '--payload', bad], /cannot read payload/],
      [
        ['edit-unsafehead', '--state-dir', node, '--payload', join(root, 'missing.json')],
        /cannot read payload/,
      ],
      [['edit-unsafehead', '--state-dir', node], /required flag --payload/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args);
      assert.equal(r.code === 0, false, args.join(' '));
      const lines = r.err.split('\n').filter((l) => !l.startsWith('WARNING'));
      assert.equal(lines.length, 1, r.err);
      assert.match(lines[0]!, re);
    }
    const held = await openNodeStores({ dir: node, backend: 'lmdb' });
    try {
      const r = await runCli([
        'recover',
        '--state-dir',
        node,
        '--members',
        'a=127.0.0.1:50050',
        '--backup-dir',
        join(root, 'bk3'),
      ]);
      assert.ok(r.code !== 0);
      assert.match(r.err, /stop the op-conductor/);
    } finally {
      await held.close();
    }
    const i = await info(node);
    assert.equal(i.unsafeHead?.number, '50');
    assert.deepEqual(
      i.latestConfiguration?.servers.map((s) => s.id),
      ['a', 'd'],
    );
  });
});
