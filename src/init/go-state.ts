/**
 * A Go op-conductor's raft state directory, read without Go: `raft-log.db` (bucket `logs`: 8-byte
 * big-endian index → msgpack raft.Log), `raft-stable.db` (bucket `conf`: CurrentTerm, LastVoteTerm as
 * 8-byte big-endian, LastVoteCand as the candidate's address bytes) and `snapshots/`.
 *
 * Invariants: each log key must equal its entry's Index and keys must be contiguous (raft-boltdb only
 * ever deletes a prefix or a suffix); stable values must have their documented widths. Any violation
 * is ERR_BBOLT_CORRUPT naming the file. Read-only: the files are opened with O_RDONLY and never locked,
 * so the Go daemon must be stopped (or a copy used) for a consistent view.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HardState, LogEntry } from '../raft/core/types.ts';
import { BboltReader } from './bbolt/bbolt-reader.ts';
import { fileSource } from './bbolt/byte-source.ts';
import { InitError } from './errors.ts';
import { type GoSnapshotScan, scanGoSnapshots } from './go-snapshots.ts';
import { decodeGoLog } from './raftcodec/raft-log-codec.ts';

export const GO_LOG_FILE = 'raft-log.db';
export const GO_STABLE_FILE = 'raft-stable.db';
const LOGS_BUCKET = 'logs';
const CONF_BUCKET = 'conf';

/** Go's stable values: term and vote term as uint64 big-endian, the vote as raw address bytes. */
export interface GoStable {
  readonly currentTerm: number;
  readonly lastVoteTerm: number;
  readonly lastVoteCandidateAddr: string;
}

function u64be(v: Uint8Array | undefined, what: string, file: string): number {
  if (v === undefined) return 0;
  if (v.byteLength !== 8)
    throw new InitError('ERR_BBOLT_CORRUPT', `${file}: ${what} has ${v.byteLength} bytes, want 8`);
  const n = Buffer.from(v).readBigUInt64BE(0);
  if (n > BigInt(Number.MAX_SAFE_INTEGER))
    throw new InitError('ERR_BBOLT_CORRUPT', `${file}: ${what} ${n} too large`);
  return Number(n);
}

export function readGoStable(path: string): GoStable {
  const r = BboltReader.open(fileSource(path), path);
  try {
    return {
      currentTerm: u64be(r.get(CONF_BUCKET, 'CurrentTerm'), 'CurrentTerm', path),
      lastVoteTerm: u64be(r.get(CONF_BUCKET, 'LastVoteTerm'), 'LastVoteTerm', path),
      lastVoteCandidateAddr: Buffer.from(r.get(CONF_BUCKET, 'LastVoteCand') ?? new Uint8Array()).toString(
        'utf8',
      ),
    };
  } finally {
    r.close();
  }
}

/** Streams the entries of a raft-log.db in index order, checking keys and contiguity. */
export function* readGoLog(path: string): Generator<LogEntry> {
  const r = BboltReader.open(fileSource(path), path);
  try {
    if (!r.hasBucket(LOGS_BUCKET))
      throw new InitError('ERR_BBOLT_CORRUPT', `${path}: no "${LOGS_BUCKET}" bucket`);
    let prev = -1;
    for (const { key, value } of r.bucketEntries(LOGS_BUCKET)) {
      const idx = u64be(key, 'log key', path);
      let entry: LogEntry;
      try {
        entry = decodeGoLog(value);
      } catch (err) {
        throw new InitError('ERR_MSGPACK', `${path}: entry ${idx}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (entry.index !== idx) {
        throw new InitError('ERR_BBOLT_CORRUPT', `${path}: key ${idx} holds entry with index ${entry.index}`);
      }
      if (prev !== -1 && idx !== prev + 1) {
        throw new InitError('ERR_BBOLT_CORRUPT', `${path}: gap in the log between ${prev} and ${idx}`);
      }
      prev = idx;
      yield entry;
    }
  } finally {
    r.close();
  }
}

export interface GoStateDir {
  readonly logPath: string;
  readonly stablePath: string;
  readonly stable: GoStable;
  readonly snapshots: GoSnapshotScan;
}

/** Opens the pieces of a Go state dir that are small (stable store, snapshots); the log is streamed. */
export function openGoStateDir(dir: string): GoStateDir {
  const logPath = join(dir, GO_LOG_FILE);
  const stablePath = join(dir, GO_STABLE_FILE);
  for (const p of [logPath, stablePath]) {
    if (!existsSync(p))
      throw new InitError('ERR_NOT_FOUND', `${p} not found (is ${dir} a Go op-conductor state dir?)`);
  }
  return { logPath, stablePath, stable: readGoStable(stablePath), snapshots: scanGoSnapshots(dir) };
}

/** Our hard state for Go's stable values; the candidate id is looked up by address when known. */
export function hardStateFromGo(stable: GoStable, idByAddress: ReadonlyMap<string, string>): HardState {
  return {
    currentTerm: stable.currentTerm,
    lastVoteTerm: stable.lastVoteTerm,
    lastVoteCandidateAddr: stable.lastVoteCandidateAddr,
    lastVoteCandidateId: idByAddress.get(stable.lastVoteCandidateAddr) ?? '',
  };
}
