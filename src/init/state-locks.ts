/**
 * Holding our stores' directory LOCK from the tool: every command that copies, replaces or rewrites a
 * node dir takes the same lock the daemon takes, so it never races a running conductor. Go bbolt dirs
 * and dirs without Raft state are skipped (nothing of ours to lock); a held lock is ERR_LOCKED with
 * advice to stop the conductor.
 */
import { existsSync } from 'node:fs';
import type { Logger } from '../logging/logger.ts';
import { acquireDirLock, type DirLock } from '../raft/storage/dir-lock.ts';
import { StorageError } from '../raft/storage/storage.ts';
import { InitError } from './errors.ts';
import { detectFormat } from './state-format.ts';

export function lockStateDirs(dirs: readonly string[], logger: Logger): DirLock[] {
  const locks: DirLock[] = [];
  try {
    for (const d of dirs) {
      if (!existsSync(d)) continue;
      const format = detectFormat(d);
      if (format === undefined || format === 'go-bolt') continue;
      locks.push(acquireDirLock(d, logger));
    }
    return locks;
  } catch (err) {
    for (const l of locks) l.release();
    if (err instanceof StorageError && err.code === 'ERR_LOCKED') {
      throw new InitError(
        'ERR_LOCKED',
        `${err.message}; stop the op-conductor using it first (its stores cannot be copied consistently while it runs)`,
        { cause: err },
      );
    }
    throw err;
  }
}
