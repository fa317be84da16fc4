/**
 * Small synchronous-durability helpers over node:fs used by the file store and the snapshot store.
 *
 * Invariants: writeFileAtomic() leaves either the old or the new content at `path`, never a mix, and
 * the new content is durable (file fdatasync'd, rename made durable by fsync of the directory) when the
 * promise resolves. Errors surface as StorageError ERR_IO with the path in the message.
 */
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StorageError } from './storage.ts';

export function ioError(what: string, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new StorageError('ERR_IO', `${what}: ${msg}`, { cause });
}

/** fsync a directory so a create/rename/unlink inside it survives power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `data` to `<path>.tmp`, fdatasyncs it, renames it over `path` and fsyncs the directory. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw ioError(`cannot write ${path}`, e);
  }
}
