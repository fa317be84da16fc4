// File store recovery: torn and corrupt tails are detected and discarded (never returned as data),
// corruption in a sealed segment refuses to open, truncated bytes never come back.
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FileLogStore, FileStableStore } from '../../src/raft/storage/file-store.ts';
import { StorageError } from '../../src/raft/storage/storage.ts';
import { entries, entry } from './contract.ts';

const root = mkdtempSync(join(tmpdir(), 'file-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => join(root, `n${n++}`);

/** Bytes per record for an entry with `dataBytes` of payload: record header 8 + entry header 32. */
const recordBytes = (dataBytes: number) => 8 + 32 + dataBytes;

function segments(dir: string): string[] {
  return readdirSync(join(dir, 'log'))
    .filter((f) => f.endsWith('.seg'))
    .sort()
    .map((f) => join(dir, 'log', f));
}

function mutate(path: string, at: number, fn: (b: number) => number): void {
  const buf = readFileSync(path);
  buf[at] = fn(buf[at]!);
  writeFileSync(path, buf);
}

async function withStore(
  dir: string,
  segmentBytes: number,
  fn: (s: FileLogStore) => Promise<void>,
): Promise<void> {
  const s = new FileLogStore(dir, { segmentBytes });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

test('a torn final record (zeroed mid-record) is discarded and the log stays usable', async () => {
  const dir = newDir();
  await withStore(dir, 64 * 1024, (s) => s.storeLogs(entries(1, 5, 1, 100)));
  const [seg] = segments(dir);
  const start5 = 4 * recordBytes(100);
  const buf = readFileSync(seg!);
  buf.fill(0, start5 + 60, start5 + recordBytes(100));
  writeFileSync(seg!, buf);
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.lastIndex(), 4);
    assert.equal(s.getLog(5), undefined);
    assert.deepEqual(Buffer.from(s.getLog(4)!.data), Buffer.from(entry(4, 1, 100).data));
    await s.storeLogs([entry(5, 2, 10)]);
  });
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.lastIndex(), 5);
    assert.equal(s.getLog(5)!.term, 2);
  });
});

test('a file truncated mid-record loses only that record; appends roll to a new segment', async () => {
  const dir = newDir();
  await withStore(dir, 64 * 1024, (s) => s.storeLogs(entries(1, 5, 1, 100)));
  const [seg] = segments(dir);
  truncateSync(seg!, 4 * recordBytes(100) + 50);
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.firstIndex(), 1);
    assert.equal(s.lastIndex(), 4);
    await s.storeLogs(entries(5, 6, 2, 100));
  });
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.lastIndex(), 6);
    assert.equal(s.getLog(5)!.term, 2);
    assert.equal(s.getLog(3)!.term, 1);
  });
});

test('a flipped byte in the last segment is detected: that record and later ones are not returned', async () => {
  const dir = newDir();
  await withStore(dir, 64 * 1024, (s) => s.storeLogs(entries(1, 6, 1, 100)));
  const [seg] = segments(dir);
  mutate(seg!, 3 * recordBytes(100) + 8 + 32 + 17, (b) => b ^ 0x10);
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.lastIndex(), 3);
    assert.deepEqual(
      s.getRange(1, 10).map((e) => e.index),
      [1, 2, 3],
    );
  });
});

test('a flipped byte in a sealed segment refuses to open with ERR_CORRUPT', async () => {
  const dir = newDir();
  // 1 KiB segments: a few 200-byte records each, so the first segments are sealed.
  await withStore(dir, 1024, (s) => s.storeLogs(entries(1, 20, 1, 200)));
  const segs = segments(dir);
  assert.ok(segs.length >= 3, `expected several segments, got ${segs.length}`);
  mutate(segs[0]!, 8 + 32 + 5, (b) => b ^ 0x01);
  assert.throws(
    () => new FileLogStore(dir, { segmentBytes: 1024 }),
    (e: unknown) => e instanceof StorageError && e.code === 'ERR_CORRUPT',
  );
});

test('truncated entries never resurface after a same-size rewrite and reopen', async () => {
  const dir = newDir();
  await withStore(dir, 64 * 1024, async (s) => {
    await s.storeLogs(entries(1, 10, 1, 64));
    await s.deleteRange(6, 10);
    await s.storeLogs([entry(6, 2, 64)]);
  });
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.lastIndex(), 6);
    assert.equal(s.getLog(6)!.term, 2);
    assert.equal(s.getLog(7), undefined);
  });
});

test('compaction deletes whole segments only', async () => {
  const dir = newDir();
  await withStore(dir, 1024, async (s) => {
    await s.storeLogs(entries(1, 40, 1, 200));
    const before = segments(dir).length;
    await s.deleteRange(1, 30);
    const afterCompaction = segments(dir).length;
    assert.ok(afterCompaction < before, `segments ${before} -> ${afterCompaction}`);
    assert.equal(s.firstIndex(), 31);
  });
  await withStore(dir, 1024, async (s) => {
    assert.equal(s.firstIndex(), 31);
    assert.equal(s.lastIndex(), 40);
  });
});

test('a corrupt stable file refuses to open with ERR_CORRUPT', () => {
  const dir = newDir();
  mkdirSync(dir);
  writeFileSync(join(dir, 'stable.json'), '{"CurrentTerm":');
  assert.throws(
    () => new FileStableStore(dir),
    (e: unknown) => e instanceof StorageError && e.code === 'ERR_CORRUPT',
  );
});

test('stale records behind a zero header (a cut-short truncation) are cleared on open, never resurrected', async () => {
  const dir = newDir();
  await withStore(dir, 64 * 1024, (s) => s.storeLogs(entries(1, 10, 1, 64)));
  const [seg] = segments(dir);
  // Only the header of record 6 was zeroed before a crash: records 7..10 still lie behind it.
  const buf = readFileSync(seg!);
  buf.fill(0, 5 * recordBytes(64), 5 * recordBytes(64) + 8);
  writeFileSync(seg!, buf);
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.lastIndex(), 5);
    await s.storeLogs([entry(6, 2, 64)]);
  });
  await withStore(dir, 64 * 1024, async (s) => {
    assert.equal(s.lastIndex(), 6);
    assert.equal(s.getLog(6)!.term, 2);
    assert.equal(s.getLog(7), undefined);
  });
});
