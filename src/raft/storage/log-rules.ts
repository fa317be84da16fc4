/**
 * Pure rules every LogStore implementation applies before touching its medium, so that memory, lmdb
 * and file stores reject the same misuse with the same StorageError codes and agree on range shapes.
 *
 * Invariants enforced here:
 * - A log is a contiguous run [first, last]; first = last = 0 means empty.
 * - storeLogs() batches are internally consecutive and continue the log at last + 1 (any start when empty).
 * - deleteRange() removes a prefix, a suffix or everything; a hole in the middle is refused.
 * - No single entry exceeds `entryBytesMax`.
 */
import type { Index, LogEntry } from '../core/types.ts';
import { StorageError } from './storage.ts';

/** Largest single entry accepted (payload + extensions). The contract suite writes 16 MiB entries. */
export const entryBytesMax = 64 * 1024 * 1024;

/** Bytes an entry counts for in getRange(maxBytes) and the size limit. */
export function entryBytes(e: LogEntry): number {
  return e.data.byteLength + (e.extensions?.byteLength ?? 0);
}

export interface LogBounds {
  readonly first: Index;
  readonly last: Index;
}

/** Throws unless `entries` may be appended to a log with `bounds`. */
export function checkAppend(bounds: LogBounds, entries: readonly LogEntry[]): void {
  const head = entries[0];
  if (head === undefined) return;
  if (!Number.isSafeInteger(head.index) || head.index < 1) {
    throw new StorageError('ERR_NON_CONTIGUOUS', `invalid log index ${head.index}`);
  }
  if (bounds.last !== 0 && head.index !== bounds.last + 1) {
    throw new StorageError(
      'ERR_NON_CONTIGUOUS',
      `log entries must continue the log: got index ${head.index}, last index is ${bounds.last}`,
    );
  }
  let expected = head.index;
  for (const e of entries) {
    if (e.index !== expected) {
      throw new StorageError(
        'ERR_NON_CONTIGUOUS',
        `log batch is not consecutive: expected index ${expected}, got ${e.index}`,
      );
    }
    if (entryBytes(e) > entryBytesMax) {
      throw new StorageError(
        'ERR_TOO_LARGE',
        `log entry ${e.index} is ${entryBytes(e)} bytes, limit is ${entryBytesMax}`,
      );
    }
    expected++;
  }
}

/**
 * What a deleteRange(min, max) means for a log with `bounds`: the surviving bounds, or `undefined`
 * when nothing is deleted. Throws for a deletion that would leave a hole.
 */
export function planDelete(bounds: LogBounds, min: Index, max: Index): LogBounds | undefined {
  if (min > max) throw new StorageError('ERR_NON_CONTIGUOUS', `invalid delete range [${min}, ${max}]`);
  const { first, last } = bounds;
  if (last === 0 || max < first || min > last) return undefined;
  const coversHead = min <= first;
  const coversTail = max >= last;
  if (coversHead && coversTail) return { first: 0, last: 0 };
  if (coversHead) return { first: max + 1, last };
  if (coversTail) return { first, last: min - 1 };
  throw new StorageError(
    'ERR_NON_CONTIGUOUS',
    `delete range [${min}, ${max}] would leave a hole in the log [${first}, ${last}]`,
  );
}

/**
 * The index span getRange(lo, hi) returns: entries from `lo` up to min(hi, last). Empty when `lo` is not
 * in the log: a caller asking for compacted entries must send a snapshot instead, so no silent skipping.
 */
export function rangeSpan(bounds: LogBounds, lo: Index, hi: Index): { lo: Index; hi: Index } | undefined {
  if (bounds.last === 0 || lo < bounds.first || lo > bounds.last || hi < lo) return undefined;
  return { lo, hi: Math.min(hi, bounds.last) };
}

/**
 * getRange's byte budget: keep adding entries while the running total stays within `maxBytes`; the first
 * entry is always returned so replication makes progress with entries larger than the budget.
 */
export function withinBudget(
  totalBytesBefore: number,
  nextBytes: number,
  count: number,
  maxBytes?: number,
): boolean {
  if (maxBytes === undefined || count === 0) return true;
  return totalBytesBefore + nextBytes <= maxBytes;
}

/** Single-writer guard shared by the stores: one write in flight at a time, none after close. */
export class WriteGate {
  private busy = false;
  private closed = false;
  private current: Promise<unknown> | undefined;
  constructor(private readonly what: string) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs `fn` as the only write in flight; rejects a concurrent call or a call after close. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError('ERR_CLOSED', `${this.what} is closed`);
    if (this.busy) {
      throw new StorageError('ERR_CONCURRENT_WRITE', `${this.what}: a write is already in flight`);
    }
    this.busy = true;
    const p = fn();
    this.current = p;
    try {
      return await p;
    } finally {
      this.busy = false;
      this.current = undefined;
    }
  }

  /** Refuses further calls, then waits for the write in flight (if any) to settle. */
  async close(): Promise<void> {
    this.closed = true;
    await this.current?.catch(() => undefined);
  }

  assertOpen(): void {
    if (this.closed) throw new StorageError('ERR_CLOSED', `${this.what} is closed`);
  }
}
