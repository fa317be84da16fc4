// Pure pieces shared by the stores: the entry record codec and the log rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { LogEntry } from '../../src/raft/core/types.ts';
import { decodeEntry } from '../../src/raft/storage/entry-codec.ts';
import { EntryScratch } from '../../src/raft/storage/entry-scratch.ts';
import { checkAppend, entryBytesMax, planDelete, rangeSpan } from '../../src/raft/storage/log-rules.ts';
import { StorageError } from '../../src/raft/storage/storage.ts';

const isCode = (code: string) => (e: unknown) => e instanceof StorageError && e.code === code;

test('entry codec round-trips every field, keeping absent optional fields absent', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(0, 1, 2, 3, 4, 5),
      fc.uint8Array({ maxLength: 300 }),
      fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 2 ** 47 }), { nil: undefined }),
      (index, term, type, data, extensions, appendedAtMs) => {
        const e: LogEntry = {
          index,
          term,
          type: type as LogEntry['type'],
          data,
          ...(extensions === undefined ? {} : { extensions }),
          ...(appendedAtMs === undefined ? {} : { appendedAtMs }),
        };
        const d = decodeEntry(new EntryScratch().encode(e));
        assert.equal(d.index, index);
        assert.equal(d.term, term);
        assert.equal(d.type, type);
        assert.deepEqual(Buffer.from(d.data), Buffer.from(data));
        assert.deepEqual(d.extensions && Buffer.from(d.extensions), extensions && Buffer.from(extensions));
        assert.equal(d.appendedAtMs, appendedAtMs);
      },
    ),
    { numRuns: 200 },
  );
});

test('entry codec rejects short, unknown-version, unknown-type and overrunning records', () => {
  // A Uint8Array of its own: its slice() copies (a Buffer's would alias, and each case would inherit the last).
  const good = Uint8Array.from(
    new EntryScratch().encode({ index: 3, term: 1, type: 0, data: new Uint8Array([1, 2, 3]) }),
  );
  assert.throws(() => decodeEntry(good.subarray(0, 10)), isCode('ERR_CORRUPT'));
  const v = good.slice();
  v[0] = 9;
  assert.throws(() => decodeEntry(v), isCode('ERR_CORRUPT'));
  const t = good.slice();
  t[1] = 6;
  assert.throws(() => decodeEntry(t), isCode('ERR_CORRUPT'));
  const x = good.slice();
  new DataView(x.buffer).setUint32(28, 1000);
  assert.throws(() => decodeEntry(x), isCode('ERR_CORRUPT'));
});

test('checkAppend: contiguity and the entry size limit', () => {
  const e = (index: number, bytes = 1): LogEntry => ({
    index,
    term: 1,
    type: 0,
    data: new Uint8Array(bytes),
  });
  checkAppend({ first: 0, last: 0 }, [e(7), e(8)]);
  checkAppend({ first: 1, last: 6 }, [e(7)]);
  assert.throws(() => checkAppend({ first: 1, last: 6 }, [e(8)]), isCode('ERR_NON_CONTIGUOUS'));
  assert.throws(() => checkAppend({ first: 0, last: 0 }, [e(1), e(3)]), isCode('ERR_NON_CONTIGUOUS'));
  assert.throws(() => checkAppend({ first: 0, last: 0 }, [e(1.5)]), isCode('ERR_NON_CONTIGUOUS'));
  assert.throws(() => checkAppend({ first: 0, last: 0 }, [e(1, entryBytesMax + 1)]), isCode('ERR_TOO_LARGE'));
});

test('planDelete: prefix, suffix, everything, nothing, and holes refused', () => {
  const b = { first: 10, last: 20 };
  assert.deepEqual(planDelete(b, 1, 12), { first: 13, last: 20 });
  assert.deepEqual(planDelete(b, 15, 99), { first: 10, last: 14 });
  assert.deepEqual(planDelete(b, 10, 20), { first: 0, last: 0 });
  assert.equal(planDelete(b, 1, 9), undefined);
  assert.equal(planDelete(b, 21, 30), undefined);
  assert.equal(planDelete({ first: 0, last: 0 }, 1, 5), undefined);
  assert.throws(() => planDelete(b, 12, 15), isCode('ERR_NON_CONTIGUOUS'));
  assert.throws(() => planDelete(b, 15, 12), isCode('ERR_NON_CONTIGUOUS'));
});

test('rangeSpan: starts must be inside the log, ends are clipped', () => {
  const b = { first: 10, last: 20 };
  assert.deepEqual(rangeSpan(b, 10, 99), { lo: 10, hi: 20 });
  assert.equal(rangeSpan(b, 9, 15), undefined);
  assert.equal(rangeSpan(b, 21, 25), undefined);
  assert.equal(rangeSpan(b, 15, 14), undefined);
});
