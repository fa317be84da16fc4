/**
 * LMDB-backed LogStore and StableStore (npm `lmdb`, the default backend): one environment per node,
 * the file `<nodeDir>/raft.mdb` (+ `raft.mdb-lock`), with two named databases as hashicorp's stores:
 * `logs` (8-byte big-endian index -> entry-codec record) and `conf` (hashicorp's stable keys).
 *
 * Invariants:
 * - A write resolves only once durable: the environment is opened with `overlappingSync: false`, so a
 *   transaction's promise resolves after LMDB's synchronous commit (data + meta page fsynced), and we
 *   additionally await `flushed` so the guarantee survives a change of that option. Every option is
 *   passed explicitly because lmdb-js defaults differ by OS (docs/storage.md explains each).
 * - first/last indexes are cached and only change after the write that changed them is durable, so
 *   reads never expose data that could vanish in a crash.
 * - Values are stored uncompressed; keys sort by index because big-endian bytes compare like numbers.
 */
import { join } from 'node:path';
import { type Database, open, type RootDatabase } from 'lmdb';
import type { Logger } from '../../logging/logger.ts';
import type { HardState, Index, LogEntry } from '../core/types.ts';
import { HARD_STATE_EMPTY } from '../core/types.ts';
import { decodeEntry } from './entry-codec.ts';
import { EntryScratch } from './entry-scratch.ts';
import {
  checkAppend,
  entryBytes,
  type LogBounds,
  planDelete,
  rangeSpan,
  WriteGate,
  withinBudget,
} from './log-rules.ts';
import { type LogStore, type StableStore, StorageError } from './storage.ts';

/** File name of the node's LMDB environment inside the node directory. */
export const lmdbFileName = 'raft.mdb';
/** Initial map size; lmdb-js grows the map on MDB_MAP_FULL, so this only avoids early remaps. */
export const lmdbMapSizeInitialBytes = 256 * 1024 * 1024;

type Bytes = Buffer;

function indexKey(index: Index): Bytes {
  const k = Buffer.allocUnsafe(8);
  k.writeBigUInt64BE(BigInt(index));
  return k;
}

function keyIndex(k: Uint8Array): Index {
  return Number(Buffer.from(k.buffer, k.byteOffset, k.byteLength).readBigUInt64BE(0));
}

function u64(n: number): Bytes {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** hashicorp's StableStore keys, plus ours for the candidate's server id. */
export const stableKeys = {
  currentTerm: 'CurrentTerm',
  lastVoteTerm: 'LastVoteTerm',
  lastVoteCand: 'LastVoteCand',
  lastVoteCandId: 'LastVoteCandId',
} as const;

function ioError(what: string, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new StorageError('ERR_IO', `${what}: ${msg}`, { cause });
}

export class LmdbLogStore implements LogStore {
  private first: Index = 0;
  private last: Index = 0;
  private readonly gate = new WriteGate('lmdb log store');
  /** Entries are encoded here one at a time; appends are serialised by `gate`. */
  private readonly scratch = new EntryScratch();

  constructor(
    private readonly env: RootDatabase,
    private readonly db: Database<Bytes, Bytes>,
  ) {
    for (const k of db.getKeys({ limit: 1 })) this.first = keyIndex(k);
    for (const k of db.getKeys({ limit: 1, reverse: true })) this.last = keyIndex(k);
    if ((this.first === 0) !== (this.last === 0)) {
      throw new StorageError('ERR_CORRUPT', 'lmdb log store: inconsistent first/last keys');
    }
  }

  firstIndex(): Index {
    return this.first;
  }

  lastIndex(): Index {
    return this.last;
  }

  private bounds(): LogBounds {
    return { first: this.first, last: this.last };
  }

  private decodeAt(index: Index, value: Uint8Array): LogEntry {
    // Copy out of LMDB's buffer so the entry stays valid after later transactions.
    const e = decodeEntry(Uint8Array.prototype.slice.call(value));
    if (e.index !== index) {
      throw new StorageError('ERR_CORRUPT', `lmdb log store: key ${index} holds entry ${e.index}`);
    }
    return e;
  }

  getLog(index: Index): LogEntry | undefined {
    this.gate.assertOpen();
    if (this.last === 0 || index < this.first || index > this.last) return undefined;
    const v = this.db.getBinary(indexKey(index));
    return v === undefined ? undefined : this.decodeAt(index, v);
  }

  getRange(lo: Index, hi: Index, maxBytes?: number): LogEntry[] {
    this.gate.assertOpen();
    const span = rangeSpan(this.bounds(), lo, hi);
    if (span === undefined) return [];
    const out: LogEntry[] = [];
    let total = 0;
    for (const { key, value } of this.db.getRange({ start: indexKey(span.lo), end: indexKey(span.hi + 1) })) {
      const e = this.decodeAt(keyIndex(key), value);
      const n = entryBytes(e);
      if (!withinBudget(total, n, out.length, maxBytes)) break;
      out.push(e);
      total += n;
    }
    return out;
  }

  storeLogs(entries: readonly LogEntry[]): Promise<void> {
    return this.gate.run(async () => {
      checkAppend(this.bounds(), entries);
      if (entries.length === 0) return;
      try {
        // Inside the write transaction each put copies its value at once, so one scratch buffer serves
        // every entry of the batch.
        await this.db.transaction(() => {
          for (const e of entries) this.db.put(indexKey(e.index), this.scratch.encode(e));
        });
        await this.env.flushed;
      } catch (e) {
        throw ioError('lmdb log store: append failed', e);
      } finally {
        this.scratch.release();
      }
      if (this.last === 0) this.first = entries[0]!.index;
      this.last = entries[entries.length - 1]!.index;
    });
  }

  deleteRange(min: Index, max: Index): Promise<void> {
    return this.gate.run(async () => {
      const next = planDelete(this.bounds(), min, max);
      if (next === undefined) return;
      const lo = Math.max(min, this.first);
      const hi = Math.min(max, this.last);
      try {
        await this.db.transaction(() => {
          for (let i = lo; i <= hi; i++) this.db.remove(indexKey(i));
        });
        await this.env.flushed;
      } catch (e) {
        throw ioError('lmdb log store: delete failed', e);
      }
      this.first = next.first;
      this.last = next.last;
    });
  }

  async close(): Promise<void> {
    await this.gate.close();
  }
}

export class LmdbStableStore implements StableStore {
  private state: HardState;
  private readonly gate = new WriteGate('lmdb stable store');

  constructor(
    private readonly env: RootDatabase,
    private readonly db: Database<Bytes, Bytes>,
  ) {
    this.state = this.read();
  }

  private readU64(key: string): number {
    const v = this.db.getBinary(Buffer.from(key));
    if (v === undefined) return 0;
    if (v.byteLength !== 8) throw new StorageError('ERR_CORRUPT', `lmdb stable store: ${key} is not 8 bytes`);
    return Number(Buffer.from(v).readBigUInt64BE(0));
  }

  private readStr(key: string): string {
    const v = this.db.getBinary(Buffer.from(key));
    return v === undefined ? '' : Buffer.from(v).toString('utf8');
  }

  private read(): HardState {
    const s: HardState = {
      currentTerm: this.readU64(stableKeys.currentTerm),
      lastVoteTerm: this.readU64(stableKeys.lastVoteTerm),
      lastVoteCandidateAddr: this.readStr(stableKeys.lastVoteCand),
      lastVoteCandidateId: this.readStr(stableKeys.lastVoteCandId),
    };
    return s.currentTerm === 0 && s.lastVoteTerm === 0 && s.lastVoteCandidateAddr === ''
      ? HARD_STATE_EMPTY
      : s;
  }

  getHardState(): HardState {
    this.gate.assertOpen();
    return this.state;
  }

  setHardState(state: HardState): Promise<void> {
    return this.gate.run(async () => {
      const copy: HardState = { ...state };
      try {
        // One transaction: a crash never leaves a vote recorded without its term.
        await this.db.transaction(() => {
          this.db.put(Buffer.from(stableKeys.currentTerm), u64(copy.currentTerm));
          this.db.put(Buffer.from(stableKeys.lastVoteTerm), u64(copy.lastVoteTerm));
          this.db.put(Buffer.from(stableKeys.lastVoteCand), Buffer.from(copy.lastVoteCandidateAddr, 'utf8'));
          this.db.put(Buffer.from(stableKeys.lastVoteCandId), Buffer.from(copy.lastVoteCandidateId, 'utf8'));
        });
        await this.env.flushed;
      } catch (e) {
        throw ioError('lmdb stable store: write failed', e);
      }
      this.state = copy;
    });
  }

  async close(): Promise<void> {
    await this.gate.close();
  }
}

export interface LmdbStores {
  readonly log: LmdbLogStore;
  readonly stable: LmdbStableStore;
  /** Closes both stores and the environment (after in-flight writes finish). */
  close(): Promise<void>;
}

/** Opens (creating if needed) the node's LMDB environment in `nodeDir`. */
export function openLmdbStores(nodeDir: string, logger?: Logger): LmdbStores {
  const path = join(nodeDir, lmdbFileName);
  let env: RootDatabase;
  try {
    env = open<Bytes, Bytes>({
      path,
      // Durability: the commit promise means fsynced; never noSync/noMetaSync/mapAsync.
      overlappingSync: false,
      noSync: false,
      noMetaSync: false,
      useWritemap: false,
      mapSize: lmdbMapSizeInitialBytes,
      // Raft entries are hashed/opaque payloads; compression costs latency and gains little.
      compression: false,
      encoding: 'binary',
      keyEncoding: 'binary',
      cache: false,
      commitDelay: 0,
      maxDbs: 4,
    });
  } catch (e) {
    throw ioError(`lmdb: cannot open ${path}`, e);
  }
  const logsDb = env.openDB<Bytes, Bytes>('logs', {
    encoding: 'binary',
    keyEncoding: 'binary',
    compression: false,
  });
  const confDb = env.openDB<Bytes, Bytes>('conf', {
    encoding: 'binary',
    keyEncoding: 'binary',
    compression: false,
  });
  const log = new LmdbLogStore(env, logsDb);
  const stable = new LmdbStableStore(env, confDb);
  logger?.debug({ path, first: log.firstIndex(), last: log.lastIndex() }, 'opened lmdb raft store');
  let closing: Promise<void> | undefined;
  return {
    log,
    stable,
    close() {
      closing ??= (async () => {
        await Promise.all([log.close(), stable.close()]);
        await env.close();
      })();
      return closing;
    },
  };
}
