/**
 * Which kind of Raft state a directory holds, from the files present (no file is opened): a Go
 * conductor's raft-boltdb pair, our lmdb backend, our file backend, or nothing. Lets info/verify/backup
 * work on either without a --store flag; an explicit --store still wins for our formats.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileLogDirName, fileStableName } from '../raft/storage/file-store.ts';
import { lmdbFileName } from '../raft/storage/lmdb-store.ts';
import { InitError } from './errors.ts';
import { GO_LOG_FILE, GO_STABLE_FILE } from './go-state.ts';
import type { StoreBackend } from './node-stores.ts';

export type StateFormat = 'go-bolt' | 'lmdb' | 'file';

export function detectFormat(dir: string): StateFormat | undefined {
  if (existsSync(join(dir, GO_LOG_FILE)) || existsSync(join(dir, GO_STABLE_FILE))) return 'go-bolt';
  if (existsSync(join(dir, lmdbFileName))) return 'lmdb';
  if (existsSync(join(dir, fileLogDirName)) || existsSync(join(dir, fileStableName))) return 'file';
  return undefined;
}

/** The format of an existing state dir; ERR_NOT_FOUND when the dir is missing or holds no Raft state. */
export function requireStateDir(dir: string, explicit: StoreBackend | undefined): StateFormat {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InitError('ERR_NOT_FOUND', `state dir ${dir} does not exist or is not a directory`);
  }
  const found = detectFormat(dir);
  if (found === undefined)
    throw new InitError('ERR_NOT_FOUND', `${dir} holds no raft state (no raft-log.db, raft.mdb or log/)`);
  if (explicit !== undefined && explicit !== 'memory' && found !== 'go-bolt' && found !== explicit) {
    throw new InitError('ERR_INVALID_INPUT', `${dir} holds ${found} state but --store ${explicit} was given`);
  }
  return found;
}
