// The storage contract suite (src/raft/storage/storage.ts): one behavioural suite, run against every
// backend by contract.test.ts. A backend passes only if it behaves exactly like the others.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { HardState, LogEntry, LogType } from '../../src/raft/core/types.ts';
import { HARD_STATE_EMPTY } from '../../src/raft/core/types.ts';
import type { NodeStores, StorageErrorCode } from '../../src/raft/storage/storage.ts';
import { StorageError } from '../../src/raft/storage/storage.ts';

export interface StoreFactory {
  readonly name: string;
  /** True when data survives close + reopen (all but memory). */
  readonly durable: boolean;
  open(dir: string): Promise<NodeStores>;
}

const MiB = 1024 * 1024;

export function entry(index: number, term = 1, bytes = 16, type: LogType = 0): LogEntry {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (index * 31 + i) & 0xff;
  return { index, term, type, data };
}

export function entries(lo: number, hi: number, term = 1, bytes = 16): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = lo; i <= hi; i++) out.push(entry(i, term, bytes));
  return out;
}

export async function rejectsWith(p: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof StorageError && e.code === code);
}

export function throwsWith(fn: () => unknown, code: StorageErrorCode): void {
  assert.throws(fn, (e: unknown) => e instanceof StorageError && e.code === code);
}

function indexes(es: readonly LogEntry[]): number[] {
  return es.map((e) => e.index);
}

function assertSameEntry(actual: LogEntry | undefined, expected: LogEntry): void {
  assert.ok(actual !== undefined, `entry ${expected.index} missing`);
  assert.equal(actual.index, expected.index);
  assert.equal(actual.term, expected.term);
  assert.equal(actual.type, expected.type);
  assert.deepEqual(Buffer.from(actual.data), Buffer.from(expected.data));
  assert.deepEqual(
    actual.extensions === undefined ? undefined : Buffer.from(actual.extensions),
    expected.extensions === undefined ? undefined : Buffer.from(expected.extensions),
  );
  assert.equal(actual.appendedAtMs, expected.appendedAtMs);
}

export function runStorageContract(factory: StoreFactory): void {
  describe(`storage contract: ${factory.name}`, () => {
    const root = mkdtempSync(join(tmpdir(), `store-contract-${factory.name}-`));
    let n = 0;
    const open: NodeStores[] = [];
    const fresh = async (): Promise<{ s: NodeStores; dir: string }> => {
      const dir = join(root, `n${n++}`);
      const s = await factory.open(dir);
      open.push(s);
      return { s, dir };
    };
    const reopen = async (s: NodeStores, dir: string): Promise<NodeStores> => {
      await s.close();
      const again = await factory.open(dir);
      open.push(again);
      return again;
    };
    after(async () => {
      for (const s of open) await s.close().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    });

    test('empty log: zero bounds, no entries, empty batch is a no-op', async () => {
      const { s } = await fresh();
      assert.equal(s.log.firstIndex(), 0);
      assert.equal(s.log.lastIndex(), 0);
      assert.equal(s.log.getLog(1), undefined);
      assert.deepEqual(s.log.getRange(1, 10), []);
      await s.log.storeLogs([]);
      assert.equal(s.log.lastIndex(), 0);
      await s.log.deleteRange(1, 10);
      assert.equal(s.log.lastIndex(), 0);
    });

    test('ordering and ranges: entries round-trip field for field', async () => {
      const { s } = await fresh();
      const special: LogEntry = {
        index: 4,
        term: 2,
        type: 5,
        data: new Uint8Array([9, 8, 7]),
        extensions: new Uint8Array([1, 2]),
        appendedAtMs: 1_704_067_200_123,
      };
      const empty: LogEntry = { index: 5, term: 2, type: 1, data: new Uint8Array(0) };
      const all = [...entries(1, 3), special, empty, ...entries(6, 10, 3)];
      await s.log.storeLogs(all.slice(0, 3));
      await s.log.storeLogs(all.slice(3, 5));
      await s.log.storeLogs(all.slice(5));
      assert.equal(s.log.firstIndex(), 1);
      assert.equal(s.log.lastIndex(), 10);
      for (const e of all) assertSameEntry(s.log.getLog(e.index), e);
      assert.equal(s.log.getLog(0), undefined);
      assert.equal(s.log.getLog(11), undefined);
      assert.deepEqual(indexes(s.log.getRange(3, 7)), [3, 4, 5, 6, 7]);
      assert.deepEqual(indexes(s.log.getRange(8, 100)), [8, 9, 10]);
      assert.deepEqual(indexes(s.log.getRange(10, 10)), [10]);
      assert.deepEqual(s.log.getRange(11, 20), []);
      assert.deepEqual(s.log.getRange(7, 6), []);
      for (const [i, e] of s.log.getRange(1, 10).entries()) assertSameEntry(e, all[i]!);
    });

    test('returned entries are not aliased to the store', async () => {
      const { s } = await fresh();
      const e = entry(1);
      await s.log.storeLogs([e]);
      const got = s.log.getLog(1)!;
      (got.data as Uint8Array)[0] = 0xee;
      assertSameEntry(s.log.getLog(1), entry(1));
    });

    test('getRange honours maxBytes and always returns at least one entry', async () => {
      const { s } = await fresh();
      await s.log.storeLogs(entries(1, 10, 1, 100));
      assert.deepEqual(indexes(s.log.getRange(1, 10, 250)), [1, 2]);
      assert.deepEqual(indexes(s.log.getRange(1, 10, 300)), [1, 2, 3]);
      assert.deepEqual(indexes(s.log.getRange(4, 10, 10)), [4]);
      assert.deepEqual(indexes(s.log.getRange(1, 10, 10_000)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    test('non-contiguous appends are rejected and leave the log unchanged', async () => {
      const { s } = await fresh();
      await rejectsWith(s.log.storeLogs([entry(0)]), 'ERR_NON_CONTIGUOUS');
      await s.log.storeLogs(entries(5, 7));
      assert.equal(s.log.firstIndex(), 5);
      await rejectsWith(s.log.storeLogs([entry(9)]), 'ERR_NON_CONTIGUOUS');
      await rejectsWith(s.log.storeLogs([entry(7)]), 'ERR_NON_CONTIGUOUS');
      await rejectsWith(s.log.storeLogs([entry(3)]), 'ERR_NON_CONTIGUOUS');
      await rejectsWith(s.log.storeLogs([entry(8), entry(10)]), 'ERR_NON_CONTIGUOUS');
      await rejectsWith(s.log.storeLogs([entry(8), entry(8)]), 'ERR_NON_CONTIGUOUS');
      assert.equal(s.log.lastIndex(), 7);
      assert.equal(s.log.getLog(8), undefined);
      await s.log.storeLogs([entry(8)]);
      assert.equal(s.log.lastIndex(), 8);
    });

    test('concurrent writes are rejected; the first one completes', async () => {
      const { s } = await fresh();
      await s.log.storeLogs(entries(1, 3));
      const first = s.log.storeLogs([entry(4)]);
      const second = s.log.storeLogs([entry(5)]);
      const third = s.log.deleteRange(1, 1);
      await rejectsWith(second, 'ERR_CONCURRENT_WRITE');
      await rejectsWith(third, 'ERR_CONCURRENT_WRITE');
      await first;
      assert.equal(s.log.lastIndex(), 4);
      assert.equal(s.log.firstIndex(), 1);
      const hs: HardState = {
        currentTerm: 2,
        lastVoteTerm: 2,
        lastVoteCandidateAddr: 'a:1',
        lastVoteCandidateId: 'a',
      };
      const v1 = s.stable.setHardState(hs);
      await rejectsWith(s.stable.setHardState(hs), 'ERR_CONCURRENT_WRITE');
      await v1;
    });

    test('suffix truncation for conflicts, then the log continues with new terms', async () => {
      const { s } = await fresh();
      await s.log.storeLogs(entries(1, 10));
      await rejectsWith(s.log.deleteRange(4, 6), 'ERR_NON_CONTIGUOUS');
      await s.log.deleteRange(7, 10);
      assert.equal(s.log.lastIndex(), 6);
      assert.equal(s.log.getLog(7), undefined);
      assert.deepEqual(indexes(s.log.getRange(5, 10)), [5, 6]);
      await s.log.storeLogs(entries(7, 8, 2, 40));
      assertSameEntry(s.log.getLog(7), entry(7, 2, 40));
      assert.equal(s.log.lastIndex(), 8);
      await s.log.deleteRange(8, 100);
      assert.equal(s.log.lastIndex(), 7);
    });

    test('prefix compaction, deleting everything, restarting at a later index', async () => {
      const { s } = await fresh();
      await s.log.storeLogs(entries(1, 20));
      await s.log.deleteRange(1, 12);
      assert.equal(s.log.firstIndex(), 13);
      assert.equal(s.log.lastIndex(), 20);
      assert.equal(s.log.getLog(12), undefined);
      assert.deepEqual(s.log.getRange(5, 15), [], 'a range starting in the compacted prefix is empty');
      assert.deepEqual(indexes(s.log.getRange(13, 15)), [13, 14, 15]);
      await s.log.storeLogs(entries(21, 22));
      await s.log.deleteRange(0, 5);
      assert.equal(s.log.firstIndex(), 13);
      await s.log.deleteRange(1, 22);
      assert.equal(s.log.firstIndex(), 0);
      assert.equal(s.log.lastIndex(), 0);
      await s.log.storeLogs(entries(100, 101, 4));
      assert.equal(s.log.firstIndex(), 100);
      assertSameEntry(s.log.getLog(101), entry(101, 4));
    });

    test('large entries up to 16 MiB round-trip', async () => {
      const { s, dir } = await fresh();
      const big = entry(2, 1, 16 * MiB);
      await s.log.storeLogs([entry(1), big, entry(3, 1, MiB)]);
      assertSameEntry(s.log.getLog(2), big);
      assert.deepEqual(indexes(s.log.getRange(1, 3, 1024)), [1]);
      assert.deepEqual(indexes(s.log.getRange(2, 3, 1024)), [2]);
      if (factory.durable) {
        const again = await reopen(s, dir);
        assertSameEntry(again.log.getLog(2), big);
        assert.equal(again.log.lastIndex(), 3);
      }
    });

    test('stable store round-trips the hard state', async () => {
      const { s, dir } = await fresh();
      assert.deepEqual(s.stable.getHardState(), HARD_STATE_EMPTY);
      const hs: HardState = {
        currentTerm: 7,
        lastVoteTerm: 6,
        lastVoteCandidateAddr: '10.0.0.2:50050',
        lastVoteCandidateId: 'sequencer-2',
      };
      await s.stable.setHardState(hs);
      assert.deepEqual(s.stable.getHardState(), hs);
      const hs2 = { ...hs, currentTerm: 8, lastVoteCandidateAddr: '', lastVoteCandidateId: '' };
      await s.stable.setHardState(hs2);
      assert.deepEqual(s.stable.getHardState(), hs2);
      if (factory.durable) {
        const again = await reopen(s, dir);
        assert.deepEqual(again.stable.getHardState(), hs2);
      }
    });

    test('snapshot store: save, list newest first, openLatest, retain 2', async () => {
      const { s, dir } = await fresh();
      assert.deepEqual(s.snapshots.list(), []);
      assert.equal(s.snapshots.openLatest(), undefined);
      const cfg = { servers: [{ suffrage: 0 as const, id: 'a', address: '10.0.0.1:50050' }] };
      const m1 = await s.snapshots.save(
        { index: 10, term: 1, configuration: cfg, configurationIndex: 1 },
        Buffer.from('one'),
      );
      const m2 = await s.snapshots.save(
        { index: 20, term: 1, configuration: cfg, configurationIndex: 1 },
        Buffer.from('two'),
      );
      const m3 = await s.snapshots.save(
        { index: 30, term: 2, configuration: cfg, configurationIndex: 25 },
        Buffer.from('three'),
      );
      assert.match(m3.id, /^2-30-\d+$/);
      assert.equal(m3.size, 5);
      assert.equal(m3.version, 1);
      assert.deepEqual(
        s.snapshots.list().map((m) => m.id),
        [m3.id, m2.id],
      );
      const latest = s.snapshots.openLatest();
      assert.equal(latest?.meta.id, m3.id);
      assert.equal(Buffer.from(latest!.data).toString(), 'three');
      assert.deepEqual(latest?.meta.configuration, cfg);
      assert.equal(latest?.meta.configurationIndex, 25);
      assert.ok(!s.snapshots.list().some((m) => m.id === m1.id));
      if (factory.durable) {
        let again = await reopen(s, dir);
        assert.deepEqual(
          again.snapshots.list().map((m) => m.id),
          [m3.id, m2.id],
        );
        // A flipped byte in the newest state.bin: skipped, the older one becomes latest.
        const statePath = join(dir, 'snapshots', m3.id, 'state.bin');
        const bytes = readFileSync(statePath);
        bytes[0] = bytes[0]! ^ 0x01;
        writeFileSync(statePath, bytes);
        again = await reopen(again, dir);
        assert.deepEqual(
          again.snapshots.list().map((m) => m.id),
          [m2.id],
        );
        assert.equal(Buffer.from(again.snapshots.openLatest()!.data).toString(), 'two');
      }
    });

    test('closed stores refuse reads and writes', async () => {
      const { s } = await fresh();
      await s.log.storeLogs(entries(1, 2));
      await s.close();
      throwsWith(() => s.log.getLog(1), 'ERR_CLOSED');
      await rejectsWith(s.log.storeLogs([entry(3)]), 'ERR_CLOSED');
      await rejectsWith(s.stable.setHardState(HARD_STATE_EMPTY), 'ERR_CLOSED');
      throwsWith(() => s.snapshots.list(), 'ERR_CLOSED');
    });

    if (factory.durable) {
      test('reopen keeps appends, truncations and compactions', async () => {
        const { s, dir } = await fresh();
        await s.log.storeLogs(entries(1, 30, 1, 300));
        await s.log.deleteRange(1, 10);
        await s.log.deleteRange(26, 30);
        await s.log.storeLogs(entries(26, 28, 2, 500));
        let again = await reopen(s, dir);
        assert.equal(again.log.firstIndex(), 11);
        assert.equal(again.log.lastIndex(), 28);
        assertSameEntry(again.log.getLog(11), entry(11, 1, 300));
        assertSameEntry(again.log.getLog(27), entry(27, 2, 500));
        assert.equal(again.log.getLog(10), undefined);
        await again.log.storeLogs([entry(29, 2)]);
        await again.log.deleteRange(1, 29);
        again = await reopen(again, dir);
        assert.equal(again.log.firstIndex(), 0);
        assert.equal(again.log.lastIndex(), 0);
        await again.log.storeLogs(entries(40, 41, 3));
        again = await reopen(again, dir);
        assert.equal(again.log.firstIndex(), 40);
        assertSameEntry(again.log.getLog(41), entry(41, 3));
      });
    }
  });
}
