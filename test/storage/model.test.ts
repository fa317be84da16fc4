// Model-based check: random sequences of appends, compactions, truncations and reopens applied to each
// backend and to a plain array model must leave identical logs. Catches what hand-written cases miss
// (segment boundaries, empty-log restarts, marker + truncation interplay).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { openNodeStores, type StorageBackend } from '../../src/raft/storage/open.ts';
import type { NodeStores } from '../../src/raft/storage/storage.ts';
import { entry } from './contract.ts';

type Op =
  | { kind: 'append'; count: number; bytes: number }
  | { kind: 'compact'; keep: number }
  | { kind: 'truncate'; drop: number }
  | { kind: 'clear'; restartGap: number }
  | { kind: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      count: fc.integer({ min: 1, max: 6 }),
      bytes: fc.constantFrom(0, 10, 300, 1500),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('compact' as const), keep: fc.integer({ min: 0, max: 8 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('truncate' as const), drop: fc.integer({ min: 1, max: 8 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('clear' as const),
      restartGap: fc.integer({ min: 0, max: 50 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
);

const root = mkdtempSync(join(tmpdir(), 'store-model-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function check(backend: StorageBackend, ops: readonly Op[]): Promise<void> {
  const dir = join(root, `${backend}-${n++}`);
  // 2 KiB segments so a few entries already span segments on the file backend.
  const openIt = () => openNodeStores({ dir, backend, segmentBytes: 2048 });
  let s: NodeStores = await openIt();
  // Model: first index and the terms of entries first..last (bytes derive from index + term).
  let first = 0;
  let model: { term: number; bytes: number }[] = [];
  let term = 1;
  let nextStart = 1;
  try {
    for (const op of ops) {
      const last = model.length === 0 ? 0 : first + model.length - 1;
      if (op.kind === 'append') {
        const lo = last === 0 ? nextStart : last + 1;
        const batch = Array.from({ length: op.count }, (_, i) => entry(lo + i, term, op.bytes));
        await s.log.storeLogs(batch);
        if (model.length === 0) first = lo;
        model.push(...batch.map(() => ({ term, bytes: op.bytes })));
      } else if (op.kind === 'compact' && model.length > op.keep) {
        const max = last - op.keep;
        await s.log.deleteRange(first, max);
        model = model.slice(max - first + 1);
        first = model.length === 0 ? 0 : max + 1;
        if (model.length === 0) nextStart = max + 1;
      } else if (op.kind === 'truncate' && model.length > 0) {
        const min = Math.max(first, last - op.drop + 1);
        await s.log.deleteRange(min, last);
        model = model.slice(0, min - first);
        if (model.length === 0) {
          nextStart = min;
          first = 0;
        }
        term++;
      } else if (op.kind === 'clear' && model.length > 0) {
        await s.log.deleteRange(first, last);
        nextStart = last + 1 + op.restartGap;
        model = [];
        first = 0;
      } else if (op.kind === 'reopen' && backend !== 'memory') {
        await s.close();
        s = await openIt();
      }
      const wantLast = model.length === 0 ? 0 : first + model.length - 1;
      assert.equal(s.log.firstIndex(), first, `first after ${JSON.stringify(op)}`);
      assert.equal(s.log.lastIndex(), wantLast, `last after ${JSON.stringify(op)}`);
    }
    if (model.length > 0) {
      const got = s.log.getRange(first, first + model.length - 1);
      assert.equal(got.length, model.length);
      for (const [i, e] of got.entries()) {
        const want = entry(first + i, model[i]!.term, model[i]!.bytes);
        assert.equal(e.index, want.index);
        assert.equal(e.term, want.term);
        assert.deepEqual(Buffer.from(e.data), Buffer.from(want.data));
      }
    }
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs: Readonly<Record<StorageBackend, number>> = { memory: 100, file: 25, lmdb: 25 };
for (const backend of ['memory', 'file', 'lmdb'] as const) {
  test(`${backend}: random operation sequences match the array model`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), (ops) => check(backend, ops)),
      { numRuns: runs[backend] },
    );
  });
}
