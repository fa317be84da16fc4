// The core's in-memory log: evicting cached entry data (applied + durable entries only) keeps index, term
// and type, and slice() transparently re-reads evicted data through the fetcher, respecting count and
// byte limits; truncating into evicted entries is a programmer error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RaftLog } from '../../src/raft/core/raft-log.ts';
import { type LogEntry, LogType } from '../../src/raft/core/types.ts';

const ENTRIES: LogEntry[] = Array.from({ length: 10 }, (_, i) => ({
  index: i + 1,
  term: i < 5 ? 1 : 2,
  type: LogType.Command,
  data: new Uint8Array(10).fill(i + 1),
}));

function fetcher(calls: number[][]) {
  return (lo: number, hi: number, maxBytes: number): LogEntry[] => {
    calls.push([lo, hi]);
    const out: LogEntry[] = [];
    let bytes = 0;
    for (const e of ENTRIES.slice(lo - 1, hi)) {
      if (out.length > 0 && bytes >= maxBytes) break;
      bytes += e.data.length;
      out.push(e);
    }
    return out;
  };
}

test('evicted entries keep their term and are re-read through the fetcher', () => {
  const calls: number[][] = [];
  const log = RaftLog.restore(0, 0, ENTRIES, fetcher(calls));
  log.evict(6, 0);
  assert.equal(log.entry(3)?.data.length, 0, 'data evicted');
  assert.equal(log.termAt(6), 2);
  assert.equal(log.entry(7)?.data.length, 10, 'entries above the bound stay cached');
  const all = log.slice(1, 10);
  assert.deepEqual(
    all.map((e) => [e.index, e.term, e.data[0]]),
    ENTRIES.map((e) => [e.index, e.term, e.data[0]]),
  );
  assert.deepEqual(calls, [[1, 6]]);
  assert.deepEqual(
    log.slice(2, 10, 3).map((e) => e.index),
    [2, 3, 4],
    'count limit',
  );
  assert.deepEqual(
    log.slice(5, 10, 64, 25).map((e) => e.index),
    [5, 6],
    'byte limit across fetched entries',
  );
  assert.throws(() => log.truncateFrom(4), /evicted/);
});

test('without a fetcher nothing is evicted; eviction stops once under budget', () => {
  const noFetch = RaftLog.restore(0, 0, ENTRIES);
  noFetch.evict(10, 0);
  assert.equal(noFetch.entry(1)?.data.length, 10);
  const log = RaftLog.restore(0, 0, ENTRIES, fetcher([]));
  log.evict(10, 75);
  assert.equal(log.entry(3)?.data.length, 0);
  assert.equal(log.entry(4)?.data.length, 10, 'stopped when cached bytes ≤ 75');
});
