/**
 * Directory operations that keep the tool's promise "nothing half-written": every command that writes
 * state builds it in a temporary sibling directory (same filesystem, so rename is atomic), fsyncs, and
 * only then renames it into place. A replaced directory is first moved aside and removed after the
 * swap, so a crash leaves either the old or the new state under the final name, never a mix.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InitError } from './errors.ts';

export function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && readdirSync(dir).length > 0;
}

/** Refuses to overwrite existing state unless forced (the Go tool's rule). */
export function assertTargetFree(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new InitError('ERR_EXISTS', `${dir} exists and is not a directory`);
  if (!force && readdirSync(dir).length > 0) {
    throw new InitError('ERR_EXISTS', `${dir} already contains state; use --force to overwrite`);
  }
}

/** A fresh temporary sibling of `dir` (`.<name>.<tag>-<pid>-<ms>`), created empty. */
export function makeTempSibling(dir: string, tag: string): string {
  const parent = dirname(dir);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new InitError('ERR_IO', `cannot create ${parent}: ${(err as Error).message}`, { cause: err });
  }
  const tmp = join(parent, `.${basename(dir)}.${tag}-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(tmp);
  } catch (err) {
    throw new InitError('ERR_IO', `cannot create ${tmp}: ${(err as Error).message}`, { cause: err });
  }
  return tmp;
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync every file and directory under `dir` (bottom-up), so the rename publishes durable content. */
export async function fsyncTree(dir: string): Promise<void> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) await fsyncTree(p);
    else {
      const fh = await open(p, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  }
  await fsyncDir(dir);
}

/** Moves the finished `tmp` to `dir`, replacing an existing `dir` (callers checked --force). */
export async function publishDir(tmp: string, dir: string): Promise<void> {
  await fsyncTree(tmp);
  let aside: string | undefined;
  if (existsSync(dir)) {
    aside = join(dirname(dir), `.${basename(dir)}.replaced-${process.pid}-${Date.now()}`);
    renameSync(dir, aside);
  }
  try {
    renameSync(tmp, dir);
  } catch (err) {
    if (aside !== undefined) renameSync(aside, dir);
    throw new InitError('ERR_IO', `cannot rename ${tmp} to ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  await fsyncDir(dirname(dir));
  if (aside !== undefined) rmSync(aside, { recursive: true, force: true });
}

export function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Best effort: the caller is already reporting the error that made this directory useless.
  }
}
