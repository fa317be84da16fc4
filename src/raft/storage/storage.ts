/**
 * Storage interfaces consumed by the Raft host (never by the pure core, which only sees data).
 *
 * Contract shared by every implementation (memory, lmdb, file) and checked by one contract suite:
 * - Reads are synchronous: the host reads entries to replicate on the hot path, and both lmdb and a
 *   file store can read without awaiting.
 * - A write's promise resolves only once the data is **durable** (fsync/fdatasync done or LMDB's
 *   flushed promise resolved). The host acknowledges an append or a vote to a peer only after that.
 * - Indexes in a log are contiguous: storeLogs() must receive entries whose indexes continue the log
 *   (or start it); anything else is rejected with StorageError code `ERR_NON_CONTIGUOUS`.
 * - Only one writer: a second concurrent write while one is in flight is rejected (`ERR_CONCURRENT_WRITE`).
 */
import type { HardState, Index, LogEntry, SnapshotMeta } from '../core/types.ts';

export interface LogStore {
  /** First index in the log, 0 when empty. */
  firstIndex(): Index;
  /** Last index in the log, 0 when empty. */
  lastIndex(): Index;
  /** The entry at `index`, or undefined when absent (compacted or beyond the end). */
  getLog(index: Index): LogEntry | undefined;
  /** Entries in [lo, hi] inclusive, stopping early once `maxBytes` of data is exceeded (at least one). */
  getRange(lo: Index, hi: Index, maxBytes?: number): LogEntry[];
  /** Append a contiguous batch, durable on resolve. */
  storeLogs(entries: readonly LogEntry[]): Promise<void>;
  /** Delete [min, max] inclusive: a prefix (compaction) or a suffix (conflict truncation). Durable on resolve. */
  deleteRange(min: Index, max: Index): Promise<void>;
  close(): Promise<void>;
}

export interface StableStore {
  /** The persisted hard state (HARD_STATE_EMPTY for a fresh node). */
  getHardState(): HardState;
  /** Persist the hard state, durable on resolve. */
  setHardState(state: HardState): Promise<void>;
  close(): Promise<void>;
}

export interface SnapshotStore {
  /** Persist a snapshot (temp dir, fsync, rename), then retain only the newest `retain` ones. */
  save(meta: Omit<SnapshotMeta, 'id' | 'size' | 'version'>, data: Uint8Array): Promise<SnapshotMeta>;
  /** Valid snapshots, newest first (bad CRC or unreadable ones are skipped with a warning). */
  list(): SnapshotMeta[];
  /** The newest valid snapshot with its bytes, or undefined. */
  openLatest(): { meta: SnapshotMeta; data: Uint8Array } | undefined;
  close(): Promise<void>;
}

/** The three stores of one node, opened together on `<raft.storage.dir>/<raft.server.id>/`. */
export interface NodeStores {
  readonly log: LogStore;
  readonly stable: StableStore;
  readonly snapshots: SnapshotStore;
  close(): Promise<void>;
}

export type StorageErrorCode =
  | 'ERR_NON_CONTIGUOUS'
  | 'ERR_CONCURRENT_WRITE'
  | 'ERR_CORRUPT'
  | 'ERR_CLOSED'
  | 'ERR_LOCKED'
  | 'ERR_FOREIGN_DATA'
  | 'ERR_TOO_LARGE'
  | 'ERR_IO';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}
