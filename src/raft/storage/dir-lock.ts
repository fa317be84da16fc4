/**
 * Exclusive lock on a node data directory, so two processes never open the same stores.
 *
 * Mechanism (no native flock in Node): the lock file `<dir>/LOCK` holds "<pid> <start-time>". It is
 * created complete and atomically by writing a private temp file and hard-linking it to LOCK (link
 * fails with EEXIST if LOCK exists), so a reader never sees a half-written lock.
 * A lock is stale when its pid is dead, or alive but with a different process start time (pid reused,
 * e.g. pid 1 in a restarted container); a stale lock is removed with a warning and acquisition retried.
 * A lock recorded by this very process (same pid and start time) is live: opening the same directory
 * twice in one process is refused too.
 */
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';
import { StorageError } from './storage.ts';

export const lockFileName = 'LOCK';
const acquireAttemptsMax = 3;

/** Process start time in clock ticks since boot (Linux /proc), or '' where unavailable. */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the parenthesised command name (which may contain spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? '';
  } catch {
    return '';
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderAlive(pid: number, start: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (!pidAlive(pid)) return false;
  const now = startTimeOf(pid);
  return start === '' || now === '' || now === start;
}

export interface DirLock {
  readonly path: string;
  release(): void;
}

export function acquireDirLock(dir: string, logger?: Logger): DirLock {
  const path = join(dir, lockFileName);
  const content = `${process.pid} ${startTimeOf(process.pid)}\n`;
  const tmp = join(dir, `${lockFileName}.${process.pid}.${Math.random().toString(36).slice(2)}`);
  for (let attempt = 0; attempt < acquireAttemptsMax; attempt++) {
    writeFileSync(tmp, content, { mode: 0o644 });
    try {
      linkSync(tmp, path);
      return {
        path,
        release() {
          try {
            if (readFileSync(path, 'utf8') === content) unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StorageError('ERR_IO', `cannot create lock file ${path}: ${(e as Error).message}`, {
          cause: e,
        });
      }
    } finally {
      rmSync(tmp, { force: true });
    }
    let held = '';
    try {
      held = readFileSync(path, 'utf8');
    } catch {
      continue; // Released between our link and read: retry.
    }
    const [pidText = '', start = ''] = held.trim().split(' ');
    const pid = Number(pidText);
    if (holderAlive(pid, start)) {
      throw new StorageError(
        'ERR_LOCKED',
        `data directory ${dir} is in use by process ${pid} (lock file ${path}); two conductors must not share a raft directory`,
      );
    }
    logger?.warn({ lock: path, pid }, 'removing stale lock file left by a dead process');
    rmSync(path, { force: true });
  }
  throw new StorageError('ERR_LOCKED', `could not acquire lock file ${path}`);
}
