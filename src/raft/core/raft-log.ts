/**
 * The core's in-memory view of the replicated log: the entries still held (after compaction, the last
 * `trailingLogs` before the snapshot are kept) plus the snapshot boundary.
 * Invariants: entries are contiguous (entries[i].index === firstIndex + i); terms never decrease along
 * the log; if entries exist, firstIndex ≤ snapshotIndex + 1; lastIndex ≥ snapshotIndex.
 * The host mirrors every change to the LogStore through the Ready batch.
 *
 * Entry cache: payloads can be large (execution payloads), so entries that are both durable and applied
 * may have their data evicted once the cached bytes exceed a budget. An evicted entry keeps index, term
 * and type (enough for every consensus decision); its data is read back through the injected
 * `EntryFetcher` (the host's synchronous LogStore.getRange) only to replicate to a lagging follower.
 * Invariant: evicted entries form a prefix of the held entries, all at or below `evictedThrough`.
 */
import { assert, assertIndex } from './assert.ts';
import type { Index, LogEntry, Term } from './types.ts';

/** Synchronous read of durable entries [lo, hi], at most `maxBytes` of data (at least one entry). */
export type EntryFetcher = (lo: Index, hi: Index, maxBytes: number) => LogEntry[];

const EMPTY = new Uint8Array(0);

export class RaftLog {
  private entries: LogEntry[] = [];
  private snapIndex: Index = 0;
  private snapTerm: Term = 0;
  private cachedBytes = 0;
  private evictedThrough: Index = 0;

  constructor(private readonly fetcher?: EntryFetcher) {}

  /** Rebuild from storage: entries must be contiguous and not start after snapshotIndex + 1. */
  static restore(
    snapshotIndex: Index,
    snapshotTerm: Term,
    entries: readonly LogEntry[],
    fetcher?: EntryFetcher,
  ): RaftLog {
    const log = new RaftLog(fetcher);
    log.snapIndex = snapshotIndex;
    log.snapTerm = snapshotTerm;
    const first = entries[0];
    if (first !== undefined) {
      assert(
        first.index <= snapshotIndex + 1,
        `log starts at ${first.index} after snapshot ${snapshotIndex}`,
      );
      for (let i = 1; i < entries.length; i++)
        assert(entries[i]!.index === first.index + i, 'restored log is not contiguous');
    }
    // Entries entirely below the snapshot are useless but harmless; keep them as trailing logs.
    log.entries = [...entries];
    if (log.lastIndex() < snapshotIndex) log.entries = [];
    for (const e of log.entries) log.cachedBytes += e.data.length;
    return log;
  }

  snapshotIndex(): Index {
    return this.snapIndex;
  }

  snapshotTerm(): Term {
    return this.snapTerm;
  }

  firstIndex(): Index {
    return this.entries[0]?.index ?? this.snapIndex + 1;
  }

  lastIndex(): Index {
    const last = this.entries[this.entries.length - 1];
    return last !== undefined ? last.index : this.snapIndex;
  }

  lastTerm(): Term {
    const last = this.entries[this.entries.length - 1];
    return last !== undefined ? last.term : this.snapTerm;
  }

  /** Term at `index`, or undefined when unknown (compacted away or past the end). 0 at index 0. */
  termAt(index: Index): Term | undefined {
    if (index === 0) return 0;
    const e = this.entry(index);
    if (e !== undefined) return e.term;
    if (index === this.snapIndex) return this.snapTerm;
    return undefined;
  }

  entry(index: Index): LogEntry | undefined {
    const first = this.entries[0];
    if (first === undefined) return undefined;
    return this.entries[index - first.index];
  }

  /** Entries in [lo, hi], at most `countMax` of them; stops after `bytesMax` of data (always ≥ 1). */
  slice(lo: Index, hi: Index, countMax: number = Number.MAX_SAFE_INTEGER, bytesMax = Infinity): LogEntry[] {
    const first = this.entries[0];
    if (first === undefined || lo > hi) return [];
    assert(lo >= first.index, `slice(${lo}) below first index ${first.index}`);
    const out: LogEntry[] = [];
    let bytes = 0;
    if (lo <= this.evictedThrough) {
      const fetchHi = Math.min(hi, this.evictedThrough, lo + countMax - 1);
      assert(this.fetcher !== undefined, 'evicted entries without a fetcher');
      for (const e of this.fetcher(lo, fetchHi, bytesMax)) {
        assert(
          e.index === lo + out.length && e.term === this.termAt(e.index),
          `fetched entry ${e.index} mismatch`,
        );
        if (out.length > 0 && bytes + e.data.length > bytesMax) return out;
        bytes += e.data.length;
        out.push(e);
      }
      if (out.length < fetchHi - lo + 1) return out; // stopped early on the byte budget
    }
    for (let i = lo + out.length; i <= hi && out.length < countMax; i++) {
      const e = this.entries[i - first.index];
      if (e === undefined) break;
      if (out.length > 0 && bytes + e.data.length > bytesMax) break;
      bytes += e.data.length;
      out.push(e);
    }
    return out;
  }

  /** Drop cached data of entries ≤ `upTo` (durable and applied) while over `bytesMax`, oldest first. */
  evict(upTo: Index, bytesMax: number): void {
    const first = this.entries[0];
    if (first === undefined || this.fetcher === undefined) return;
    let i = Math.max(this.evictedThrough + 1, first.index);
    for (; i <= upTo && this.cachedBytes > bytesMax; i++) {
      const k = i - first.index;
      const e = this.entries[k];
      if (e === undefined) break;
      this.cachedBytes -= e.data.length;
      this.entries[k] = { index: e.index, term: e.term, type: e.type, data: EMPTY };
    }
    this.evictedThrough = Math.max(this.evictedThrough, i - 1);
  }

  append(e: LogEntry): void {
    assertIndex(e.index, 'entry index');
    assert(e.index === this.lastIndex() + 1, `append ${e.index} after last ${this.lastIndex()}`);
    assert(e.term >= this.lastTerm(), `append term ${e.term} below last term ${this.lastTerm()}`);
    this.entries.push(e);
    this.cachedBytes += e.data.length;
  }

  /** Remove every entry with index ≥ `from` (conflict resolution). */
  truncateFrom(from: Index): void {
    assert(from > this.snapIndex, `truncate ${from} at or below snapshot ${this.snapIndex}`);
    const first = this.entries[0];
    if (first === undefined) return;
    assert(from > this.evictedThrough, `truncate ${from} into evicted entries`);
    for (const e of this.entries.slice(Math.max(0, from - first.index))) this.cachedBytes -= e.data.length;
    this.entries.length = Math.max(0, from - first.index);
  }

  /** Record a snapshot at (index, term) and drop entries below `keepFrom` (trailing logs retained). */
  compact(index: Index, term: Term, keepFrom: Index): void {
    assert(index >= this.snapIndex, `snapshot ${index} older than ${this.snapIndex}`);
    assert(this.termAt(index) === term, `snapshot term ${term} does not match log at ${index}`);
    this.snapIndex = index;
    this.snapTerm = term;
    const first = this.entries[0];
    if (first !== undefined && keepFrom > first.index)
      for (const e of this.entries.splice(0, keepFrom - first.index)) this.cachedBytes -= e.data.length;
  }

  /** Replace everything with a snapshot received from the leader (the whole log is discarded). */
  resetToSnapshot(index: Index, term: Term): void {
    this.entries = [];
    this.cachedBytes = 0;
    this.evictedThrough = 0;
    this.snapIndex = index;
    this.snapTerm = term;
  }
}
