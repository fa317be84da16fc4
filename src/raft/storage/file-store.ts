/**
 * File-backed LogStore and StableStore (no database).
 *
 * Log: `<nodeDir>/log/<sequence, 20 digits>.seg` segments, each preallocated (ftruncate) to
 * `segmentBytes`, holding records `u32 length | u32 crc32(payload) | payload` (payload = entry-codec,
 * which carries the entry's index). A segment's first index is the index of its first record, so the
 * next segment can be created ahead of time (the "spare") and rollover costs no file creation or
 * directory fsync on the append path. `<nodeDir>/log/first-index` (written atomically) records the
 * logical first index after compaction. Stable state: `<nodeDir>/stable.json`, replaced atomically.
 *
 * Invariants:
 * - Every byte after the last valid record of a segment is zero (fresh segments are sparse zeros and
 *   suffix truncation zeroes the discarded bytes before it resolves), so a record can only be followed
 *   by a valid successor or by the zero end marker. A torn or corrupt record at the end of the log is
 *   therefore the end: it and everything after it are zeroed on open, never returned as data.
 *   A bad record followed by valid records in a later segment is media corruption: ERR_CORRUPT.
 * - Each batch is written with one positional write per segment followed by fdatasync; entries become
 *   visible to reads only after that, so reads never see data a crash could take back.
 * - Segments are filled in sequence-number order and are contiguous in that order. Deletions of whole segments are made
 *   durable one at a time (newest first for truncation, oldest first for compaction), so a crash never
 *   leaves a hole; compaction persists the new first index before deleting anything.
 * - After an I/O error during a write the store is failed: every later call throws ERR_IO.
 */
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  write,
  writeSync,
  writev,
} from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Logger } from '../../logging/logger.ts';
import type { HardState, Index, LogEntry } from '../core/types.ts';
import { HARD_STATE_EMPTY } from '../core/types.ts';
import { crc32 } from './checksums.ts';
import { fsyncDir, ioError, writeFileAtomic } from './durable-fs.ts';
import {
  decodeEntry,
  encodedEntryBytes,
  encodeEntryHeaderInto,
  encodeEntryInto,
  entryHeaderBytes,
} from './entry-codec.ts';
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

export const fileLogDirName = 'log';
export const fileStableName = 'stable.json';
const firstIndexFileName = 'first-index';
const segmentSuffix = '.seg';
/**
 * Default segment size. Compaction frees whole segments only, so the footprint is the live entries plus
 * up to one segment; 16 MiB keeps a 1s/48/32 conductor with 1 MB payloads under 100 MB on disk.
 */
export const segmentBytesDefault = 16 * 1024 * 1024;
const recordHeaderBytes = 8;
/** Chunk used when zeroing discarded bytes. */
const zeroChunkBytes = 1024 * 1024;
/** Pause between zero-filled chunks of the spare (a 16 MiB spare is ready in well under a second). */
const zeroFillPauseMs = 2;
const writeAsync = promisify(write);
const writevAsync = (fd: number, parts: Buffer[], position: number): Promise<number> =>
  new Promise((resolve, reject) => writev(fd, parts, position, (err, n) => (err ? reject(err) : resolve(n))));
/** Entry data this large is written from the caller's buffer (writev) instead of being copied. */
const recordDataReferencedBytesMin = 16 * 1024;
const fdatasyncAsync = promisify(fdatasync);

interface Segment {
  readonly seq: number;
  readonly path: string;
  readonly fd: number;
  readonly capacity: number;
  /** Index of the first record; 0 while the segment is empty. */
  first: Index;
  /** offsets[i] = byte offset of the record holding index first + i. */
  offsets: number[];
  /** Byte offset just past the last valid record. */
  end: number;
}

function segmentName(seq: number): string {
  return `${String(seq).padStart(20, '0')}${segmentSuffix}`;
}

function segLast(s: Segment): Index {
  return s.first + s.offsets.length - 1;
}

function readExact(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

type ScanResult = { ok: true } | { ok: false; reason: string };

/** Reads the records of `seg` from offset 0, filling first/offsets/end; stops at the zero marker or a bad record. */
function scanSegment(seg: Segment): ScanResult {
  let off = 0;
  seg.end = 0;
  while (off + recordHeaderBytes <= seg.capacity) {
    const h = readExact(seg.fd, recordHeaderBytes, off);
    if (h.byteLength < recordHeaderBytes) return { ok: false, reason: `short header at ${off}` };
    const len = h.readUInt32BE(0);
    const sum = h.readUInt32BE(4);
    if (len === 0 && sum === 0) break;
    if (len < entryHeaderBytes || off + recordHeaderBytes + len > seg.capacity) {
      return { ok: false, reason: `bad record length ${len} at ${off}` };
    }
    const payload = readExact(seg.fd, len, off + recordHeaderBytes);
    if (payload.byteLength !== len || crc32(payload) !== sum) {
      return { ok: false, reason: `checksum mismatch at ${off}` };
    }
    let index: Index;
    try {
      index = decodeEntry(payload).index;
    } catch (e) {
      return { ok: false, reason: `undecodable record at ${off}: ${(e as Error).message}` };
    }
    if (seg.offsets.length === 0) seg.first = index;
    else if (index !== segLast(seg) + 1) {
      return { ok: false, reason: `record at ${off} has index ${index}, expected ${segLast(seg) + 1}` };
    }
    seg.offsets.push(off);
    off += recordHeaderBytes + len;
    seg.end = off;
  }
  return { ok: true };
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeZerosSync(fd: number, off: number, len: number): void {
  const zeros = Buffer.alloc(len);
  let done = 0;
  while (done < len) done += writeSync(fd, zeros, done, len - done, off + done);
}

/** Zeroes [from, capacity) of a segment, writing only chunks that are not already zero. Sync (open path). */
function zeroTailSync(fd: number, from: number, capacity: number): void {
  let wrote = false;
  for (let off = from; off < capacity; off += zeroChunkBytes) {
    const len = Math.min(zeroChunkBytes, capacity - off);
    const chunk = readExact(fd, len, off);
    if (chunk.some((b) => b !== 0)) {
      writeZerosSync(fd, off, len);
      wrote = true;
    }
  }
  if (wrote) fdatasyncSync(fd);
}

/**
 * Records for entries[from, to) as the buffers to write: each record's headers and extensions are encoded
 * into one small buffer, a large entry's data is referenced rather than copied (a fresh 1 MB copy costs
 * about as much as the write). `offsets` receives each record's position.
 */
function encodeRecords(
  entries: readonly LogEntry[],
  from: number,
  to: number,
  position: number,
  offsets: number[],
): Buffer[] {
  const parts: Buffer[] = [];
  let p = position;
  for (let k = from; k < to; k++) {
    const e = entries[k]!;
    const len = encodedEntryBytes(e);
    offsets.push(p);
    const referenced = e.data.byteLength >= recordDataReferencedBytesMin;
    const head = Buffer.allocUnsafe(recordHeaderBytes + len - (referenced ? e.data.byteLength : 0));
    if (referenced) {
      encodeEntryHeaderInto(e, head, recordHeaderBytes);
      const data = Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
      head.writeUInt32BE(len, 0);
      head.writeUInt32BE(crc32(data, crc32(head.subarray(recordHeaderBytes))), 4);
      parts.push(head, data);
    } else {
      encodeEntryInto(e, head, recordHeaderBytes);
      head.writeUInt32BE(len, 0);
      head.writeUInt32BE(crc32(head.subarray(recordHeaderBytes)), 4);
      parts.push(head);
    }
    p += recordHeaderBytes + len;
  }
  return parts;
}

/** Gathered write of `parts` at `position`, finishing a short write with plain writes. */
async function writevAll(fd: number, parts: Buffer[], position: number): Promise<void> {
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  const written = await writevAsync(fd, parts, position);
  if (written === total) return;
  const rest = Buffer.concat(parts, total).subarray(written);
  await writeAll(fd, rest, position + written);
}

async function writeAll(fd: number, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.byteLength) {
    const { bytesWritten } = await writeAsync(fd, buf, done, buf.byteLength - done, position + done);
    done += bytesWritten;
  }
}

export interface FileLogStoreOptions {
  readonly logger?: Logger;
  readonly segmentBytes?: number;
}

export class FileLogStore implements LogStore {
  readonly dir: string;
  /** Segments in sequence (= log) order; all non-empty except transiently while an append runs. */
  private segments: Segment[] = [];
  private first: Index = 0;
  private last: Index = 0;
  private nextSeq = 1;
  /** The next segment, created ahead of need so rollover does no file creation. */
  private spare: Promise<Segment | undefined> | undefined;
  private failed: StorageError | undefined;
  private readonly gate = new WriteGate('file log store');
  private readonly segmentBytes: number;
  private readonly logger: Logger | undefined;

  /** Opens (creating) `<nodeDir>/log`, recovering from a crash: see the module invariants. */
  constructor(nodeDir: string, options: FileLogStoreOptions = {}) {
    this.dir = join(nodeDir, fileLogDirName);
    this.segmentBytes = options.segmentBytes ?? segmentBytesDefault;
    this.logger = options.logger;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o755 });
      this.recover();
    } catch (e) {
      for (const s of this.segments) closeSync(s.fd);
      this.segments = [];
      throw e instanceof StorageError ? e : ioError(`cannot open file log store ${this.dir}`, e);
    }
    // Even the first segment should be a zero-filled one: start preparing it now, in the background.
    this.prepareSpare();
  }

  private readFirstIndexMarker(): Index {
    let buf: Buffer;
    try {
      buf = readFileSync(join(this.dir, firstIndexFileName));
    } catch {
      return 0;
    }
    if (buf.byteLength !== 12 || crc32(buf.subarray(0, 8)) !== buf.readUInt32BE(8)) {
      throw new StorageError('ERR_CORRUPT', `file log store: ${firstIndexFileName} is corrupt`);
    }
    return Number(buf.readBigUInt64BE(0));
  }

  private removeSync(s: Segment): void {
    closeSync(s.fd);
    rmSync(s.path, { force: true });
  }

  private recover(): void {
    const marker = this.readFirstIndexMarker();
    const scanned: { seg: Segment; scan: ScanResult }[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(segmentSuffix)) continue;
      const seq = Number(name.slice(0, -segmentSuffix.length));
      if (!Number.isSafeInteger(seq)) continue;
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      const path = join(this.dir, name);
      const fd = openSync(path, 'r+');
      const seg: Segment = { seq, path, fd, capacity: fstatSync(fd).size, first: 0, offsets: [], end: 0 };
      this.segments.push(seg);
      scanned.push({ seg, scan: scanSegment(seg) });
    }
    // Segments are used in creation (sequence) order, so that is log order; a spare is the newest.
    scanned.sort((a, b) => a.seg.seq - b.seg.seq);
    this.segments = scanned.map((x) => x.seg);
    // The log ends at the first bad record or empty segment; valid records after that are corruption,
    // because a segment is only written after everything before it was synced.
    const endAt = scanned.findIndex((x) => !x.scan.ok || x.seg.offsets.length === 0);
    if (endAt >= 0) {
      const laterFull = scanned.slice(endAt + 1).find((x) => x.seg.offsets.length > 0);
      const tail = scanned[endAt]!;
      if (laterFull !== undefined) {
        const why = tail.scan.ok ? 'is empty' : `is corrupt (${tail.scan.reason})`;
        throw new StorageError(
          'ERR_CORRUPT',
          `file log store: segment ${tail.seg.path} ${why} but ${laterFull.seg.path} holds later entries`,
        );
      }
      if (!tail.scan.ok) {
        this.logger?.warn(
          { segment: tail.seg.path, reason: tail.scan.reason, at: tail.seg.end },
          'discarding torn or corrupt log tail',
        );
      }
      // Keep the tail if it still holds records; empty segments are dropped (a new spare is made later).
      const drop = this.segments.splice(tail.seg.offsets.length === 0 ? endAt : endAt + 1);
      for (const x of drop) this.removeSync(x);
      if (drop.length > 0) fsyncDirSync(this.dir);
    }
    // Re-establish the zero invariant behind the last record, whatever a crash left there (a torn
    // record, or stale records from a truncation whose zeroing was cut short).
    const active = this.segments[this.segments.length - 1];
    if (active !== undefined) zeroTailSync(active.fd, active.end, active.capacity);
    for (let i = 1; i < this.segments.length; i++) {
      const prev = this.segments[i - 1]!;
      const cur = this.segments[i]!;
      if (cur.first !== segLast(prev) + 1) {
        throw new StorageError(
          'ERR_CORRUPT',
          `file log store: ${cur.path} starts at ${cur.first}, expected ${segLast(prev) + 1}`,
        );
      }
    }
    // Finish a compaction interrupted after its marker was written.
    let compacted = 0;
    for (; this.segments.length > 1 && segLast(this.segments[0]!) < marker; compacted++) {
      this.removeSync(this.segments.shift()!);
    }
    if (compacted > 0) fsyncDirSync(this.dir);
    const head = this.segments[0];
    const tail = this.segments[this.segments.length - 1];
    if (head === undefined || tail === undefined || marker > segLast(tail)) {
      this.first = 0;
      this.last = 0;
    } else {
      this.first = Math.max(marker, head.first);
      this.last = segLast(tail);
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

  private assertUsable(): void {
    this.gate.assertOpen();
    if (this.failed !== undefined) throw this.failed;
  }

  private segmentFor(index: Index): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid]!;
      if (s.offsets.length === 0 || index < s.first) hi = mid - 1;
      else if (index > segLast(s)) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  private readAt(seg: Segment, index: Index): LogEntry {
    const off = seg.offsets[index - seg.first]!;
    const h = readExact(seg.fd, recordHeaderBytes, off);
    const len = h.readUInt32BE(0);
    const payload = readExact(seg.fd, len, off + recordHeaderBytes);
    if (len < entryHeaderBytes || payload.byteLength !== len || crc32(payload) !== h.readUInt32BE(4)) {
      throw new StorageError('ERR_CORRUPT', `file log store: entry ${index} failed its checksum`);
    }
    const e = decodeEntry(payload);
    if (e.index !== index)
      throw new StorageError('ERR_CORRUPT', `file log store: slot ${index} holds ${e.index}`);
    return e;
  }

  getLog(index: Index): LogEntry | undefined {
    this.assertUsable();
    if (this.last === 0 || index < this.first || index > this.last) return undefined;
    const seg = this.segmentFor(index);
    return seg === undefined ? undefined : this.readAt(seg, index);
  }

  getRange(lo: Index, hi: Index, maxBytes?: number): LogEntry[] {
    this.assertUsable();
    const span = rangeSpan(this.bounds(), lo, hi);
    if (span === undefined) return [];
    const out: LogEntry[] = [];
    let total = 0;
    for (let i = span.lo; i <= span.hi; i++) {
      const seg = this.segmentFor(i);
      if (seg === undefined) break;
      const e = this.readAt(seg, i);
      const n = entryBytes(e);
      if (!withinBudget(total, n, out.length, maxBytes)) break;
      out.push(e);
      total += n;
    }
    return out;
  }

  private fail(what: string, e: unknown): StorageError {
    this.failed = ioError(`file log store: ${what} failed; the store must be reopened`, e);
    return this.failed;
  }

  /**
   * Creates and syncs an empty segment file (its directory entry made durable too). `zeroFill` writes
   * the zeros for real so later appends overwrite allocated blocks and fdatasync has no allocation
   * metadata to journal; that costs a full segment of writes, so only the background spare does it.
   */
  private async createSegment(capacity: number, zeroFill: boolean): Promise<Segment> {
    const seq = this.nextSeq++;
    const path = join(this.dir, segmentName(seq));
    const fh = await open(path, 'wx+', 0o644);
    try {
      if (zeroFill) {
        // Paced: sync each chunk and pause, so the background fill never queues a whole segment's
        // flush in front of a foreground append's fdatasync.
        const zeros = Buffer.alloc(Math.min(zeroChunkBytes, capacity));
        for (let off = 0; off < capacity; off += zeros.byteLength) {
          await fh.write(zeros, 0, Math.min(zeros.byteLength, capacity - off), off);
          await fh.datasync();
          await sleep(zeroFillPauseMs);
        }
      } else {
        await fh.truncate(capacity);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsyncDir(this.dir);
    return { seq, path, fd: openSync(path, 'r+'), capacity, first: 0, offsets: [], end: 0 };
  }

  /** Starts creating the spare segment in the background (errors surface when it is needed). */
  private prepareSpare(): void {
    if (this.spare !== undefined || this.gate.isClosed) return;
    this.spare = this.createSegment(this.segmentBytes, true).catch((e: unknown) => {
      this.logger?.warn({ err: e }, 'could not preallocate the next log segment');
      return undefined;
    });
  }

  /**
   * An empty segment with room for `need` bytes: the spare when it fits, else a new one. An unfitting
   * spare is deleted first, so segments are always filled in sequence order (recovery relies on it).
   */
  private async takeSegment(need: number): Promise<Segment> {
    const spare = await this.spare;
    this.spare = undefined;
    if (spare !== undefined && need <= spare.capacity) return spare;
    if (spare !== undefined) {
      closeSync(spare.fd);
      await rm(spare.path, { force: true });
      await fsyncDir(this.dir);
    }
    return this.createSegment(Math.max(this.segmentBytes, need), false);
  }

  storeLogs(entries: readonly LogEntry[]): Promise<void> {
    return this.gate.run(async () => {
      this.assertUsable();
      checkAppend(this.bounds(), entries);
      if (entries.length === 0) return;
      try {
        await this.append(entries);
      } catch (e) {
        throw this.fail('append', e);
      }
    });
  }

  private async append(entries: readonly LogEntry[]): Promise<void> {
    // An empty log may still hold segments (everything compacted): start afresh at the new first index.
    if (this.last === 0 && this.segments.length > 0) await this.dropAllSegments();
    let seg = this.segments[this.segments.length - 1];
    let i = 0;
    while (i < entries.length) {
      const need = recordHeaderBytes + encodedEntryBytes(entries[i]!);
      if (seg === undefined || seg.end + need > seg.capacity) {
        seg = await this.takeSegment(need);
        this.segments.push(seg);
        this.prepareSpare();
      }
      const pos = seg.end;
      let j = i;
      let bytes = 0;
      while (j < entries.length) {
        const n = recordHeaderBytes + encodedEntryBytes(entries[j]!);
        if (pos + bytes + n > seg.capacity) break;
        bytes += n;
        j++;
      }
      const offsets: number[] = [];
      const parts = encodeRecords(entries, i, j, pos, offsets);
      await writevAll(seg.fd, parts, pos);
      await fdatasyncAsync(seg.fd);
      // Durable: publish this chunk to readers.
      if (seg.offsets.length === 0) seg.first = entries[i]!.index;
      seg.offsets.push(...offsets);
      seg.end = pos + bytes;
      if (this.last === 0) this.first = entries[i]!.index;
      this.last = entries[j - 1]!.index;
      i = j;
    }
  }

  private async dropAllSegments(): Promise<void> {
    for (const s of this.segments.splice(0).reverse()) {
      closeSync(s.fd);
      await rm(s.path, { force: true });
      await fsyncDir(this.dir);
    }
    await rm(join(this.dir, firstIndexFileName), { force: true });
    await fsyncDir(this.dir);
  }

  deleteRange(min: Index, max: Index): Promise<void> {
    return this.gate.run(async () => {
      this.assertUsable();
      const next = planDelete(this.bounds(), min, max);
      if (next === undefined) return;
      const old = this.bounds();
      // Deleted entries disappear from reads at once: they are being removed either way.
      this.first = next.first;
      this.last = next.last;
      try {
        if (next.last === 0) await this.dropAllSegments();
        else if (next.first > old.first) await this.compact(next.first);
        else await this.truncateSuffix(next.last);
      } catch (e) {
        throw this.fail('delete', e);
      }
    });
  }

  /** Prefix deletion: persist the new first index, then delete whole segments below it, oldest first. */
  private async compact(newFirst: Index): Promise<void> {
    const marker = Buffer.alloc(12);
    marker.writeBigUInt64BE(BigInt(newFirst));
    marker.writeUInt32BE(crc32(marker.subarray(0, 8)), 8);
    await writeFileAtomic(join(this.dir, firstIndexFileName), marker);
    while (this.segments.length > 1 && segLast(this.segments[0]!) < newFirst) {
      const s = this.segments.shift()!;
      closeSync(s.fd);
      await rm(s.path, { force: true });
      await fsyncDir(this.dir);
    }
  }

  /** Suffix deletion: remove later segments newest-first, then zero the tail of the one keeping newLast. */
  private async truncateSuffix(newLast: Index): Promise<void> {
    while (this.segments.length > 0) {
      const s = this.segments[this.segments.length - 1]!;
      if (s.offsets.length > 0 && s.first <= newLast) break;
      this.segments.pop();
      closeSync(s.fd);
      await rm(s.path, { force: true });
      await fsyncDir(this.dir);
    }
    const seg = this.segments[this.segments.length - 1]!;
    const keep = newLast - seg.first + 1;
    if (keep >= seg.offsets.length) return;
    const from = seg.offsets[keep]!;
    // Zero from the end backwards: if a crash cuts this short, the bytes at `from` still hold the old
    // (not yet deleted) records and the zeroed region lies behind them, so the zero invariant holds.
    const zeros = Buffer.alloc(Math.min(zeroChunkBytes, seg.end - from));
    for (let hi = seg.end; hi > from; hi -= zeros.byteLength) {
      const lo = Math.max(from, hi - zeros.byteLength);
      await writeAll(seg.fd, zeros.subarray(0, hi - lo), lo);
    }
    await fdatasyncAsync(seg.fd);
    seg.offsets.length = keep;
    seg.end = from;
  }

  async close(): Promise<void> {
    await this.gate.close();
    const spare = await this.spare;
    this.spare = undefined;
    if (spare !== undefined) closeSync(spare.fd);
    for (const s of this.segments.splice(0)) closeSync(s.fd);
  }
}

interface StableJson {
  CurrentTerm: number;
  LastVoteTerm: number;
  LastVoteCand: string;
  LastVoteCandId: string;
}

export class FileStableStore implements StableStore {
  readonly path: string;
  private state: HardState = HARD_STATE_EMPTY;
  private readonly gate = new WriteGate('file stable store');

  constructor(nodeDir: string) {
    this.path = join(nodeDir, fileStableName);
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(`cannot read ${this.path}`, e);
    }
    if (text !== undefined) this.state = parseStable(this.path, text);
  }

  getHardState(): HardState {
    this.gate.assertOpen();
    return this.state;
  }

  setHardState(state: HardState): Promise<void> {
    return this.gate.run(async () => {
      const copy: HardState = { ...state };
      const json: StableJson = {
        CurrentTerm: copy.currentTerm,
        LastVoteTerm: copy.lastVoteTerm,
        LastVoteCand: copy.lastVoteCandidateAddr,
        LastVoteCandId: copy.lastVoteCandidateId,
      };
      await writeFileAtomic(this.path, Buffer.from(`${JSON.stringify(json)}\n`));
      this.state = copy;
    });
  }

  async close(): Promise<void> {
    await this.gate.close();
  }
}

function parseStable(path: string, text: string): HardState {
  let j: Partial<StableJson>;
  try {
    j = JSON.parse(text) as Partial<StableJson>;
  } catch (e) {
    throw new StorageError('ERR_CORRUPT', `${path} is not valid JSON`, { cause: e });
  }
  const ok =
    Number.isSafeInteger(j.CurrentTerm) &&
    Number.isSafeInteger(j.LastVoteTerm) &&
    typeof j.LastVoteCand === 'string' &&
    typeof j.LastVoteCandId === 'string';
  if (!ok)
    throw new StorageError(
      'ERR_CORRUPT',
      `${path} lacks CurrentTerm/LastVoteTerm/LastVoteCand/LastVoteCandId`,
    );
  return {
    currentTerm: j.CurrentTerm!,
    lastVoteTerm: j.LastVoteTerm!,
    lastVoteCandidateAddr: j.LastVoteCand!,
    lastVoteCandidateId: j.LastVoteCandId!,
  };
}
