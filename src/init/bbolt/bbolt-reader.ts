/**
 * Read-only bbolt reader: enough of bbolt to walk a raft-boltdb file (`raft-log.db`, `raft-stable.db`)
 * without Go or a native binding.
 *
 * Invariants:
 * - Only what the chosen meta reaches is read: the valid meta (magic, version, FNV-1a checksum) with
 *   the higher txid; the freelist and pending pages are ignored.
 * - Every page read is bounds-checked against the meta's high-water mark and the file length, page
 *   ids in headers must match, flags must be branch/leaf where a node is expected, and the walk is
 *   depth- and visit-bounded, so a corrupt file fails with ERR_BBOLT_CORRUPT rather than looping.
 * - Entries come out in key order (bbolt's B+tree order), as copies the caller may keep.
 */
import { InitError } from '../errors.ts';
import type { ByteSource } from './byte-source.ts';
import {
  type BboltMeta,
  type BranchElement,
  type BucketRoot,
  branchElements,
  leafElements,
  PAGE_HEADER_BYTES,
  PageFlag,
  parseBucketValue,
  parseMeta,
  parsePageHeader,
} from './page.ts';

/** bbolt trees are shallow (fan-out ≥ 2 per level); deeper means a cycle or corruption. */
const TREE_DEPTH_MAX = 64;
/** Page sizes bbolt may have used, tried when meta page 0 is unreadable. */
const PAGE_SIZE_CANDIDATES = [1024, 2048, 4096, 8192, 16384, 32768, 65536] as const;

export interface BboltEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

function corrupt(message: string): InitError {
  return new InitError('ERR_BBOLT_CORRUPT', message);
}

function chooseMeta(src: ByteSource): BboltMeta {
  const minBytes = PAGE_HEADER_BYTES + 64;
  if (src.byteLength < minBytes) throw corrupt(`invalid database: file is ${src.byteLength} bytes`);
  const meta0 = parseMeta(src.read(0, minBytes));
  const metas: BboltMeta[] = [];
  const reasons: string[] = [];
  if (typeof meta0 === 'string') reasons.push(`meta 0: ${meta0}`);
  else metas.push(meta0);
  const sizes = typeof meta0 === 'string' ? PAGE_SIZE_CANDIDATES : [meta0.pageSize];
  for (const size of sizes) {
    if (size + minBytes > src.byteLength) continue;
    const meta1 = parseMeta(src.read(size, minBytes));
    if (typeof meta1 !== 'string' && meta1.pageSize === size) {
      metas.push(meta1);
      break;
    }
    if (sizes.length === 1 && typeof meta1 === 'string') reasons.push(`meta 1: ${meta1}`);
  }
  const best = metas.sort((a, b) => (a.txid === b.txid ? 0 : a.txid > b.txid ? -1 : 1))[0];
  if (best === undefined) throw corrupt(reasons.join('; ') || 'invalid database');
  if (best.rootPgid < 2 || best.rootPgid >= best.highWaterPgid) {
    throw corrupt(`invalid database: root page ${best.rootPgid} outside [2, ${best.highWaterPgid})`);
  }
  if (src.byteLength < best.highWaterPgid * best.pageSize) {
    throw corrupt(
      `invalid database: file is ${src.byteLength} bytes but its meta needs ${best.highWaterPgid} pages of ` +
        `${best.pageSize} bytes (truncated?)`,
    );
  }
  return best;
}

export class BboltReader {
  readonly meta: BboltMeta;
  private readonly src: ByteSource;
  private readonly path: string;

  private constructor(src: ByteSource, path: string) {
    this.src = src;
    this.path = path;
    try {
      this.meta = chooseMeta(src);
    } catch (err) {
      throw this.annotate(err);
    }
  }

  /** Opens a reader over `src`; `path` only labels error messages. */
  static open(src: ByteSource, path = 'bbolt file'): BboltReader {
    return new BboltReader(src, path);
  }

  close(): void {
    this.src.close();
  }

  /** Names of the top-level buckets, in key order. */
  bucketNames(): string[] {
    const names: string[] = [];
    for (const e of this.walk({ kind: 'page', pgid: this.meta.rootPgid })) {
      if (e.isBucket) names.push(Buffer.from(e.key).toString('latin1'));
    }
    return names;
  }

  /** All key/value pairs of the top-level bucket `name` (nested buckets are skipped); undefined if absent. */
  *bucketEntries(name: string): Generator<BboltEntry> {
    const root = this.findBucket(name);
    if (root === undefined) return;
    for (const e of this.walk(root)) {
      if (!e.isBucket) yield { key: e.key.slice(), value: e.value.slice() };
    }
  }

  hasBucket(name: string): boolean {
    return this.findBucket(name) !== undefined;
  }

  /** The value of `key` in bucket `name`, or undefined. Linear: meant for small buckets such as `conf`. */
  get(name: string, key: string): Uint8Array | undefined {
    const want = Buffer.from(key, 'latin1');
    for (const e of this.bucketEntries(name)) {
      if (Buffer.compare(Buffer.from(e.key), want) === 0) return e.value;
    }
    return undefined;
  }

  private findBucket(name: string): BucketRoot | undefined {
    const want = Buffer.from(name, 'latin1');
    for (const e of this.walk({ kind: 'page', pgid: this.meta.rootPgid })) {
      if (e.isBucket && Buffer.compare(Buffer.from(e.key), want) === 0) {
        try {
          return parseBucketValue(e.value);
        } catch (err) {
          throw this.annotate(err);
        }
      }
    }
    return undefined;
  }

  private readNode(pgid: number): Uint8Array {
    const { pageSize, highWaterPgid } = this.meta;
    if (pgid < 2 || pgid >= highWaterPgid)
      throw corrupt(`invalid database: page ${pgid} outside [2, ${highWaterPgid})`);
    const header = parsePageHeader(this.src.read(pgid * pageSize, PAGE_HEADER_BYTES));
    if (header.id !== pgid) throw corrupt(`invalid database: page ${pgid} has id ${header.id}`);
    const pages = 1 + header.overflow;
    if (pgid + pages > highWaterPgid) {
      throw corrupt(
        `invalid database: page ${pgid} overflows ${header.overflow} pages past the high-water mark`,
      );
    }
    return this.src.read(pgid * pageSize, pages * pageSize);
  }

  /** Depth-first, in key order, over one bucket's tree; pages are read lazily, one path at a time. */
  private *walk(root: BucketRoot): Generator<{ key: Uint8Array; value: Uint8Array; isBucket: boolean }> {
    const visited = new Set<number>();
    const frames: Array<{ children: BranchElement[]; next: number }> = [];
    try {
      if (root.kind === 'page') visited.add(root.pgid);
      let page: Uint8Array | undefined = root.kind === 'inline' ? root.page : this.readNode(root.pgid);
      while (page !== undefined) {
        const header = parsePageHeader(page);
        if (header.flags & PageFlag.Leaf) {
          yield* leafElements(page, header);
        } else if (header.flags & PageFlag.Branch && root.kind === 'page') {
          if (frames.length >= TREE_DEPTH_MAX) throw corrupt('invalid database: tree deeper than 64 levels');
          frames.push({ children: branchElements(page, header), next: 0 });
        } else {
          throw corrupt(
            `invalid database: page ${header.id} has flags 0x${header.flags.toString(16)}, want branch/leaf`,
          );
        }
        page = undefined;
        while (page === undefined && frames.length > 0) {
          const top = frames[frames.length - 1]!;
          const child = top.children[top.next++];
          if (child === undefined) {
            frames.pop();
            continue;
          }
          if (visited.has(child.pgid)) throw corrupt(`invalid database: page ${child.pgid} reached twice`);
          visited.add(child.pgid);
          page = this.readNode(child.pgid);
        }
      }
    } catch (err) {
      throw this.annotate(err);
    }
  }

  private annotate(err: unknown): unknown {
    if (err instanceof InitError && err.code === 'ERR_BBOLT_CORRUPT' && !err.message.includes(this.path)) {
      return new InitError('ERR_BBOLT_CORRUPT', `${this.path}: ${err.message}`, { cause: err });
    }
    return err;
  }
}
