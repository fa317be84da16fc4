/**
 * Opens a node's stores in `<raft.storage.dir>/<raft.server.id>/` (the `dir` passed in), as Go's
 * op-conductor lays them out: the log and stable stores of the chosen backend plus hashicorp's
 * FileSnapshotStore in `snapshots/`.
 *
 * Invariants:
 * - The directory is locked (LOCK file) for as long as the stores are open: ERR_LOCKED otherwise.
 * - A directory holding another backend's files, or a Go conductor's bbolt files, is refused with
 *   ERR_FOREIGN_DATA before anything is created in it, so no store silently starts an empty log next
 *   to existing Raft state.
 * - Every log write is timed into op_conductor_raft_log_store_duration_seconds (when metrics are given).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { Index, LogEntry } from '../core/types.ts';
import { acquireDirLock, type DirLock } from './dir-lock.ts';
import { FileLogStore, FileStableStore, fileLogDirName, fileStableName } from './file-store.ts';
import { lmdbFileName, openLmdbStores } from './lmdb-store.ts';
import { createMemoryNodeStores } from './memory-store.ts';
import { FileSnapshotStore } from './snapshot-store.ts';
import { type LogStore, type NodeStores, StorageError } from './storage.ts';

export type StorageBackend = 'lmdb' | 'file' | 'memory';

export interface OpenNodeStoresOptions {
  /** `<raft.storage.dir>/<raft.server.id>`; created (0755) if missing. Ignored by the memory backend. */
  readonly dir: string;
  readonly backend: StorageBackend;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** File backend only: segment size in bytes (tests use small segments to exercise rollover). */
  readonly segmentBytes?: number;
  /** Snapshots kept after each save (default 2). */
  readonly snapshotRetain?: number;
}

/** The Go conductor's raft-boltdb files (one LogStore db, one StableStore db). */
export const goBoltFiles = ['raft-log.db', 'raft-stable.db'] as const;

const backendMarkers: Readonly<Record<'lmdb' | 'file', readonly string[]>> = {
  lmdb: [lmdbFileName],
  file: [fileLogDirName, fileStableName],
};

/** Throws ERR_FOREIGN_DATA when `dir` holds state this backend would not read. */
export function checkForeignData(dir: string, backend: 'lmdb' | 'file'): void {
  const bolt = goBoltFiles.filter((f) => existsSync(join(dir, f)));
  if (bolt.length > 0) {
    throw new StorageError(
      'ERR_FOREIGN_DATA',
      `${dir} holds a Go op-conductor's raft state (${bolt.join(', ')}); import it first with ` +
        '`op-conductor-init import-bolt`, or point raft.storage.dir elsewhere',
    );
  }
  const other = backend === 'lmdb' ? 'file' : 'lmdb';
  const found = backendMarkers[other].filter((f) => existsSync(join(dir, f)));
  if (found.length > 0) {
    throw new StorageError(
      'ERR_FOREIGN_DATA',
      `${dir} holds raft state of the ${other} storage backend (${found.join(', ')}), but the ${backend} ` +
        `backend was requested; select the ${other} backend or use an empty directory`,
    );
  }
}

/** Wraps a LogStore so each write is observed in the log-store duration histogram. */
export function instrumentLogStore(inner: LogStore, metrics: Metrics): LogStore {
  const timed = async (fn: () => Promise<void>): Promise<void> => {
    const end = metrics.raftLogStoreDuration.startTimer();
    try {
      await fn();
    } finally {
      end();
    }
  };
  return {
    firstIndex: () => inner.firstIndex(),
    lastIndex: () => inner.lastIndex(),
    getLog: (index: Index) => inner.getLog(index),
    getRange: (lo: Index, hi: Index, maxBytes?: number) => inner.getRange(lo, hi, maxBytes),
    storeLogs: (entries: readonly LogEntry[]) => timed(() => inner.storeLogs(entries)),
    deleteRange: (min: Index, max: Index) => timed(() => inner.deleteRange(min, max)),
    close: () => inner.close(),
  };
}

export async function openNodeStores(opts: OpenNodeStoresOptions): Promise<NodeStores> {
  if (opts.backend === 'memory') {
    const mem = createMemoryNodeStores({ retain: opts.snapshotRetain });
    return opts.metrics === undefined ? mem : { ...mem, log: instrumentLogStore(mem.log, opts.metrics) };
  }
  const { dir, backend, logger } = opts;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new StorageError('ERR_IO', `cannot create data directory ${dir}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  checkForeignData(dir, backend);
  const lock: DirLock = acquireDirLock(dir, logger);
  const closers: (() => Promise<void>)[] = [];
  try {
    let log: LogStore;
    let stable: NodeStores['stable'];
    if (backend === 'lmdb') {
      const s = openLmdbStores(dir, logger);
      closers.push(() => s.close());
      log = s.log;
      stable = s.stable;
    } else {
      const fl = new FileLogStore(dir, { logger, segmentBytes: opts.segmentBytes });
      closers.push(() => fl.close());
      const fs = new FileStableStore(dir);
      closers.push(() => fs.close());
      log = fl;
      stable = fs;
    }
    const snapshots = new FileSnapshotStore(dir, { logger, retain: opts.snapshotRetain });
    closers.push(() => snapshots.close());
    logger?.info({ dir, backend, first: log.firstIndex(), last: log.lastIndex() }, 'opened raft storage');
    let closing: Promise<void> | undefined;
    return {
      log: opts.metrics === undefined ? log : instrumentLogStore(log, opts.metrics),
      stable,
      snapshots,
      close() {
        closing ??= (async () => {
          try {
            for (const c of closers.reverse()) await c();
          } finally {
            lock.release();
          }
        })();
        return closing;
      },
    };
  } catch (e) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    lock.release();
    throw e;
  }
}
