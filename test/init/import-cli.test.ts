/**
 * import-bolt end to end through the real process: a Go raft-boltdb node's state (a few hundred
 * applies, a snapshot, a leadership change) imported into our lmdb and file stores must hold every
 * entry byte-identical to Go's own dump, the same term and vote, and pass verify; info reads Go dirs
 * directly; damaged Go files give one-line errors, a non-zero exit and no target directory.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeGoLog } from '../../src/init/raftcodec/raft-log-codec.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { isOneLineError, runCli, spawnCli } from './cli-harness.ts';
import { type GoDump, type GoKv, runGobolt } from './gobolt-fixture.ts';
import { sszPayload } from './ssz-payloads.ts';

describe('import-bolt CLI', () => {
  let fixture: { dir: string; dump: GoDump } | undefined;
  before(() => {
    // Real SSZ payloads (blocks 1000, 1001, …; every 9th spans several pages), as a Go conductor stores.
    fixture = runGobolt(
      300,
      Array.from({ length: 300 }, (_, i) => sszPayload(1000 + i, i % 9 === 0 ? 9000 : 0)),
    );
  });
  after(() => {
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  for (const backend of ['lmdb', 'file'] as const) {
    it(`imports into ${backend} with identical entries, term and vote`, async (t) => {
      if (!fixture) return t.skip('go not installed');
      // The node that was leader when the snapshot was taken: it has a snapshot and a compacted log.
      const id = ['n1', 'n2', 'n3'].find((n) => readdirSync(join(fixture!.dir, n, 'snapshots')).length > 0)!;
      const target = join(fixture.dir, `ours-${backend}`, id);
      const r = await spawnCli([
        'import-bolt',
        '--from',
        join(fixture.dir, id),
        '--state-dir',
        target,
        '--store',
        backend,
      ]);
      assert.equal(r.code, 0, r.err);
      const goLogs: readonly GoKv[] = fixture.dump[id]!.log.logs;
      assert.match(r.out, new RegExp(`imported ${goLogs.length} entries`));
      const s = await openNodeStores({ dir: target, backend });
      try {
        for (const kv of goLogs) {
          const want = decodeGoLog(Buffer.from(kv.value, 'hex'));
          const got = s.log.getLog(want.index)!;
          assert.deepEqual([got.index, got.term, got.type], [want.index, want.term, want.type]);
          assert.ok(Buffer.from(got.data).equals(Buffer.from(want.data)), `entry ${want.index} data`);
        }
        assert.equal(s.log.lastIndex(), want(goLogs.at(-1)!.key));
        const conf = new Map(
          fixture.dump[id]!.stable.conf.map((kv) => [Buffer.from(kv.key, 'hex').toString(), kv.value]),
        );
        const hs = s.stable.getHardState();
        assert.equal(hs.currentTerm, want(conf.get('CurrentTerm')!));
        assert.equal(hs.lastVoteTerm, want(conf.get('LastVoteTerm')!));
        assert.equal(hs.lastVoteCandidateAddr, Buffer.from(conf.get('LastVoteCand')!, 'hex').toString());
        assert.ok(s.snapshots.openLatest(), 'snapshot imported');
      } finally {
        await s.close();
      }
      const v = await runCli(['verify', '--state-dir', target, '--json']);
      assert.equal(v.code, 0, v.out);
      const info = JSON.parse(v.out) as { unsafeHead?: { number: string } };
      assert.equal(info.unsafeHead?.number, '1299', 'the last applied block is the unsafe head');
    });
  }

  it('info reads a Go dir directly and verify flags a damaged entry', async (t) => {
    if (!fixture) return t.skip('go not installed');
    const i = await runCli(['info', '--state-dir', join(fixture.dir, 'n2'), '--json']);
    assert.equal(i.code, 0, i.err);
    const info = JSON.parse(i.out) as { format: string; entries: unknown[]; currentTerm: number };
    assert.equal(info.format, 'go-bolt');
    assert.equal(info.entries.length, fixture.dump['n2']!.log.logs.length);
    // Damage one msgpack value in a copy: flip the map header of some entry in the file.
    const copy = join(fixture.dir, 'damaged', 'n2');
    cpSync(join(fixture.dir, 'n2'), copy, { recursive: true });
    const file = join(copy, 'raft-log.db');
    const buf = readFileSync(file);
    const needle = Buffer.from(fixture.dump['n2']!.log.logs[5]!.value, 'hex').subarray(0, 24);
    const at = buf.indexOf(needle);
    assert.ok(at > 0);
    buf[at] = 0xc1;
    writeFileSync(file, buf);
    const v = await runCli(['verify', '--state-dir', copy]);
    assert.ok(isOneLineError(v), v.err);
    assert.match(v.err, /verify: \d+ problem/);
    const imp = await runCli(['import-bolt', '--from', copy, '--state-dir', join(fixture.dir, 'never')]);
    assert.ok(isOneLineError(imp), imp.err);
    assert.match(imp.err, /msgpack/);
    assert.equal(existsSync(join(fixture.dir, 'never')), false);
  });

  it('bad input: truncated file, missing dir, missing flag', async (t) => {
    if (!fixture) return t.skip('go not installed');
    const copy = join(fixture.dir, 'trunc', 'n3');
    cpSync(join(fixture.dir, 'n3'), copy, { recursive: true });
    truncateSync(join(copy, 'raft-log.db'), 4096 * 3);
    const cases: Array<[string[], RegExp]> = [
      [['import-bolt', '--from', copy, '--state-dir', join(fixture.dir, 't1')], /truncated/],
      [
        ['import-bolt', '--from', join(fixture.dir, 'missing'), '--state-dir', join(fixture.dir, 't2')],
        /not found/,
      ],
      [['import-bolt', '--state-dir', join(fixture.dir, 't3')], /required flag --from/],
    ];
    for (const [args, re] of cases) {
      const r = await spawnCli(args);
      assert.ok(isOneLineError(r), r.err);
      assert.match(r.err, re);
    }
    for (const d of ['t1', 't2', 't3']) assert.equal(existsSync(join(fixture.dir, d)), false);
  });
});

function want(hex: string): number {
  return Number.parseInt(hex, 16);
}
