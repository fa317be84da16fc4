/**
 * backup / restore of Raft state directories (a node dir, or a parent holding several node dirs as
 * generate writes them).
 *
 * Consistency rule: our stores take an exclusive LOCK file while open, so the tool takes the same lock
 * on every node dir it copies (or replaces) and holds it for the whole copy. If a daemon holds it the
 * command is refused (ERR_LOCKED) with a clear message: a byte copy of LMDB or of segment files being
 * written is not guaranteed consistent, and a daemon-side online backup is not part of this tool.
 * Go bbolt dirs have no LOCK file we can see (bbolt uses flock), so those must be copied with the Go
 * daemon stopped; the docs say so.
 *
 * Invariants: the backup is built in a temporary sibling and renamed to `raft-backup-<YYYYMMDD-HHMMSS>`
 * only when complete; restore copies into a temporary sibling of --state-dir and swaps it in; LOCK
 * files are never copied; restore asks for confirmation (one line on stdin) unless --force.
 */
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../logging/logger.ts';
import { lockFileName } from '../raft/storage/dir-lock.ts';
import { InitError } from './errors.ts';
import { makeTempSibling, publishDir, removeQuietly } from './state-dirs.ts';
import { detectFormat } from './state-format.ts';
import { lockStateDirs } from './state-locks.ts';

export const BACKUP_PREFIX = 'raft-backup-';

/** Node dirs inside `dir`: `dir` itself when it holds state, else its immediate subdirs that do. */
export function nodeDirsOf(dir: string): string[] {
  if (detectFormat(dir) !== undefined) return [dir];
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .filter(
      (p) => !basename(p).startsWith('.') && statSync(p).isDirectory() && detectFormat(p) !== undefined,
    );
}

export function backupName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${BACKUP_PREFIX}${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-` +
    `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`
  );
}

function copyTree(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (src) => !basename(src).startsWith(lockFileName),
    errorOnExist: false,
  });
}

export interface BackupOptions {
  readonly stateDir: string;
  readonly backupDir: string;
  readonly now: Date;
  readonly logger: Logger;
}

export async function backup(
  opts: BackupOptions,
): Promise<{ readonly path: string; readonly nodeDirs: number }> {
  if (!existsSync(opts.stateDir) || !statSync(opts.stateDir).isDirectory()) {
    throw new InitError('ERR_NOT_FOUND', `state dir ${opts.stateDir} does not exist or is not a directory`);
  }
  const nodes = nodeDirsOf(opts.stateDir);
  if (nodes.length === 0)
    throw new InitError('ERR_NOT_FOUND', `${opts.stateDir} holds no raft state to back up`);
  let path = join(opts.backupDir, backupName(opts.now));
  // Two backups in the same second get a suffix rather than overwriting each other.
  for (let i = 1; existsSync(path) && i < 100; i++)
    path = join(opts.backupDir, `${backupName(opts.now)}-${i}`);
  if (existsSync(path)) throw new InitError('ERR_EXISTS', `backup ${path} already exists`);
  const locks = lockStateDirs(nodes, opts.logger);
  const tmp = makeTempSibling(path, 'backup');
  try {
    copyTree(opts.stateDir, tmp);
    await publishDir(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw err instanceof InitError
      ? err
      : new InitError('ERR_IO', `backup failed: ${(err as Error).message}`, { cause: err });
  } finally {
    for (const l of locks) l.release();
  }
  opts.logger.info({ stateDir: opts.stateDir, backup: path }, 'backed up raft state');
  return { path, nodeDirs: nodes.length };
}

export interface RestoreOptions {
  readonly backupDir: string;
  readonly stateDir: string;
  readonly force: boolean;
  /** Asks the operator; resolves to the line typed, or undefined when there is no input (EOF). */
  readonly confirm: (question: string) => Promise<string | undefined>;
  readonly logger: Logger;
}

export async function restore(opts: RestoreOptions): Promise<{ readonly stateDir: string }> {
  if (!existsSync(opts.backupDir) || !statSync(opts.backupDir).isDirectory()) {
    throw new InitError('ERR_NOT_FOUND', `backup ${opts.backupDir} does not exist or is not a directory`);
  }
  if (nodeDirsOf(opts.backupDir).length === 0) {
    throw new InitError(
      'ERR_NOT_FOUND',
      `${opts.backupDir} holds no raft state (not a raft-backup-* directory?)`,
    );
  }
  if (!opts.force) {
    const answer = await opts.confirm(
      `This replaces ${opts.stateDir} with ${opts.backupDir}. Type "yes" to continue: `,
    );
    if (answer === undefined)
      throw new InitError('ERR_REFUSED', 'restore needs confirmation: no input on stdin; use --force');
    if (!/^y(es)?$/i.test(answer.trim())) throw new InitError('ERR_REFUSED', 'restore cancelled');
  }
  const targets = existsSync(opts.stateDir) ? nodeDirsOf(opts.stateDir) : [];
  const locks = lockStateDirs(targets, opts.logger);
  const tmp = makeTempSibling(opts.stateDir, 'restore');
  try {
    copyTree(opts.backupDir, tmp);
    await publishDir(tmp, opts.stateDir);
  } catch (err) {
    removeQuietly(tmp);
    throw err instanceof InitError
      ? err
      : new InitError('ERR_IO', `restore failed: ${(err as Error).message}`, { cause: err });
  } finally {
    for (const l of locks) l.release();
  }
  opts.logger.info({ backup: opts.backupDir, stateDir: opts.stateDir }, 'restored raft state');
  return { stateDir: opts.stateDir };
}
