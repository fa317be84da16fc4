/**
 * The pure-TS bbolt reader against files written by a real hashicorp raft-boltdb cluster (Go, via
 * gobolt-fixture): every bucket's keys and values must equal what Go's own bolt library reads, byte
 * for byte, including values on overflow pages and a log compacted by a snapshot. Then damaged files
 * (truncated, broken metas, random byte flips) must fail with ERR_BBOLT_CORRUPT, never hang or crash.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type BboltEntry, BboltReader } from '../../src/init/bbolt/bbolt-reader.ts';
import { bufferSource } from '../../src/init/bbolt/byte-source.ts';
import { InitError } from '../../src/init/errors.ts';
import { type GoDbDump, type GoDump, type GoKv, runGobolt } from './gobolt-fixture.ts';

function hexList(entries: Iterable<BboltEntry>): GoKv[] {
  return [...entries].map((e) => ({
    key: Buffer.from(e.key).toString('hex'),
    value: Buffer.from(e.value).toString('hex'),
  }));
}

function readAll(buf: Uint8Array): { logs: GoKv[]; conf: GoKv[] } {
  const r = BboltReader.open(bufferSource(buf));
  return { logs: hexList(r.bucketEntries('logs')), conf: hexList(r.bucketEntries('conf')) };
}

describe('bbolt reader on real raft-boltdb files', () => {
  let fixture: { dir: string; dump: GoDump } | undefined;
  before(() => {
    fixture = runGobolt(300);
  });
  after(() => {
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('reads every key and value exactly as Go bolt does', (t) => {
    if (!fixture) return t.skip('go not installed');
    let values = 0;
    let overflowValues = 0;
    for (const id of ['n1', 'n2', 'n3']) {
      for (const file of ['log', 'stable'] as const) {
        const buf = readFileSync(join(fixture.dir, id, `raft-${file}.db`));
        const got = readAll(buf);
        const want: GoDbDump = fixture.dump[id]![file];
        assert.deepEqual(got.logs, want.logs, `${id} ${file} logs`);
        assert.deepEqual(got.conf, want.conf, `${id} ${file} conf`);
        values += got.logs.length + got.conf.length;
        overflowValues += got.logs.filter((kv) => kv.value.length / 2 > 4096).length;
      }
    }
    assert.ok(values > 600, `read ${values} values`);
    assert.ok(overflowValues > 50, 'some values span overflow pages');
  });

  it('lists the raft-boltdb buckets and picks the newest meta', (t) => {
    if (!fixture) return t.skip('go not installed');
    const r = BboltReader.open(bufferSource(readFileSync(join(fixture.dir, 'n1', 'raft-log.db'))));
    assert.deepEqual(r.bucketNames(), ['conf', 'logs']);
    assert.equal(r.meta.pageSize, 4096);
    assert.ok(r.meta.txid > 1n);
  });

  it('falls back to the other meta page when one is damaged', (t) => {
    if (!fixture) return t.skip('go not installed');
    const buf = new Uint8Array(readFileSync(join(fixture.dir, 'n2', 'raft-stable.db')));
    const good = BboltReader.open(bufferSource(buf)).meta;
    // Damage the meta the reader chose (txid parity says which page holds it).
    const page = Number(good.txid % 2n);
    buf[page * good.pageSize + 16 + 50] = buf[page * good.pageSize + 16 + 50]! ^ 0xff;
    const r = BboltReader.open(bufferSource(buf));
    assert.equal(r.meta.txid, good.txid - 1n);
    assert.deepEqual(r.bucketNames(), ['conf', 'logs']);
  });

  it('rejects a file with both metas damaged with the bbolt error text', (t) => {
    if (!fixture) return t.skip('go not installed');
    const buf = new Uint8Array(readFileSync(join(fixture.dir, 'n2', 'raft-stable.db')));
    buf[16 + 20] = buf[16 + 20]! ^ 0xff;
    buf[4096 + 16 + 20] = buf[4096 + 16 + 20]! ^ 0xff;
    assert.throws(
      () => BboltReader.open(bufferSource(buf)),
      (e: unknown) =>
        e instanceof InitError && e.code === 'ERR_BBOLT_CORRUPT' && /checksum error/.test(e.message),
    );
  });

  it('rejects a truncated file', (t) => {
    if (!fixture) return t.skip('go not installed');
    const buf = readFileSync(join(fixture.dir, 'n1', 'raft-log.db'));
    for (const len of [0, 10, 4096, 4096 * 5, buf.byteLength >> 1]) {
      assert.throws(
        () => readAll(buf.subarray(0, len)),
        (e: unknown) => e instanceof InitError && e.code === 'ERR_BBOLT_CORRUPT',
        `length ${len}`,
      );
    }
  });

  it('never crashes or loops on random byte damage', (t) => {
    if (!fixture) return t.skip('go not installed');
    const orig = new Uint8Array(readFileSync(join(fixture.dir, 'n3', 'raft-log.db')));
    const meta = BboltReader.open(bufferSource(orig)).meta;
    const used = meta.highWaterPgid * meta.pageSize;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: used - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (flips) => {
          const buf = orig.slice();
          for (const [at, x] of flips) buf[at] = buf[at]! ^ x;
          try {
            readAll(buf);
          } catch (e) {
            assert.ok(e instanceof InitError, `unexpected ${String(e)}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
