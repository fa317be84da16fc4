/**
 * import-bolt in-process with memory stores: the state of each node of a real Go raft-boltdb cluster
 * (a few hundred applies incl. page-spanning values, a snapshot that compacted the leader's log, a
 * leadership transfer) must come out with identical entries (compared with Go's own dump, decoded
 * independently), identical term and vote, and the newest snapshot; bad sources must fail cleanly
 * and leave the target untouched.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InitError } from '../../src/init/errors.ts';
import { importBolt } from '../../src/init/import-bolt.ts';
import { decodeGoLog } from '../../src/init/raftcodec/raft-log-codec.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type GoDump, type GoKv, runGobolt } from './gobolt-fixture.ts';
import { memoryOpener } from './memory-opener.ts';

describe('import-bolt (memory stores)', () => {
  let fixture: { dir: string; dump: GoDump } | undefined;
  before(() => {
    fixture = runGobolt(300);
  });
  after(() => {
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('imports every node with identical entries, term and vote', async (t) => {
    if (!fixture) return t.skip('go not installed');
    let snapshots = 0;
    for (const id of ['n1', 'n2', 'n3']) {
      const { open, byDir } = memoryOpener();
      const target = join(fixture.dir, 'ts', id);
      const res = await importBolt({
        from: join(fixture.dir, id),
        stateDir: target,
        backend: 'memory',
        force: false,
        openStores: open,
        logger: silentLogger(),
      });
      const stores = [...byDir.values()][0]!;
      const goLogs: readonly GoKv[] = fixture.dump[id]!.log.logs;
      assert.equal(res.entries, goLogs.length);
      assert.equal(stores.log.firstIndex(), Number.parseInt(goLogs[0]!.key, 16));
      assert.equal(stores.log.lastIndex(), Number.parseInt(goLogs.at(-1)!.key, 16));
      for (const kv of goLogs) {
        const want = decodeGoLog(Buffer.from(kv.value, 'hex'));
        const got = stores.log.getLog(want.index);
        assert.ok(got, `entry ${want.index}`);
        assert.equal(got.term, want.term);
        assert.equal(got.type, want.type);
        assert.equal(Buffer.from(got.data).toString('hex'), Buffer.from(want.data).toString('hex'));
      }
      const conf: Map<string, string> = new Map(
        fixture.dump[id]!.stable.conf.map((kv) => [Buffer.from(kv.key, 'hex').toString(), kv.value]),
      );
      const hs = stores.stable.getHardState();
      assert.equal(hs.currentTerm, Number.parseInt(conf.get('CurrentTerm')!, 16));
      assert.equal(hs.lastVoteTerm, Number.parseInt(conf.get('LastVoteTerm')!, 16));
      assert.equal(hs.lastVoteCandidateAddr, Buffer.from(conf.get('LastVoteCand')!, 'hex').toString());
      assert.match(hs.lastVoteCandidateId, /^n[123]$/);
      assert.ok(hs.currentTerm >= 2, 'a leadership change happened');
      if (res.snapshot) {
        snapshots++;
        const snap = stores.snapshots.openLatest();
        assert.equal(snap?.meta.index, res.snapshot.index);
        assert.ok(stores.log.firstIndex() > 1, 'the snapshot compacted the log');
      }
      assert.ok(existsSync(target));
    }
    assert.equal(snapshots, 1, 'the leader at the time took one snapshot');
  });

  it('refuses to overwrite a non-empty target without --force', async (t) => {
    if (!fixture) return t.skip('go not installed');
    const target = join(fixture.dir, 'occupied');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'keep'), 'x');
    const { open } = memoryOpener();
    const opts = {
      from: join(fixture.dir, 'n2'),
      stateDir: target,
      backend: 'memory' as const,
      openStores: open,
      logger: silentLogger(),
    };
    await assert.rejects(
      importBolt({ ...opts, force: false }),
      (e: unknown) => e instanceof InitError && e.code === 'ERR_EXISTS',
    );
    assert.deepEqual(readdirSync(target), ['keep']);
    await importBolt({ ...opts, force: true });
    assert.deepEqual(readdirSync(target), []);
  });

  it('fails cleanly on a missing dir and on a truncated raft-log.db', async (t) => {
    if (!fixture) return t.skip('go not installed');
    const { open } = memoryOpener();
    const base = { backend: 'memory' as const, force: false, openStores: open, logger: silentLogger() };
    await assert.rejects(
      importBolt({ ...base, from: join(fixture.dir, 'nope'), stateDir: join(fixture.dir, 'x1') }),
      (e: unknown) => e instanceof InitError && e.code === 'ERR_NOT_FOUND',
    );
    truncateSync(join(fixture.dir, 'n3', 'raft-log.db'), 4096 * 6);
    await assert.rejects(
      importBolt({ ...base, from: join(fixture.dir, 'n3'), stateDir: join(fixture.dir, 'x2') }),
      (e: unknown) => e instanceof InitError && e.code === 'ERR_BBOLT_CORRUPT' && /truncated/.test(e.message),
    );
    assert.equal(existsSync(join(fixture.dir, 'x2')), false);
    assert.deepEqual(
      readdirSync(fixture.dir).filter((n) => n.startsWith('.x2')),
      [],
      'no temporary directory left behind',
    );
  });
});
