/**
 * bbolt on-disk structures (file format version 2, shared by boltdb/bolt and go.etcd.io/bbolt), as
 * pure functions over byte spans. All structural integers are little-endian (files written on amd64 or
 * arm64; bbolt files are not portable across endianness and we do not try big-endian hosts' files).
 *
 * Invariants: every parser checks that each element, key and value lies inside the span it was given,
 * so a corrupt or truncated page raises InitError(ERR_BBOLT_CORRUPT) instead of reading garbage. Keys
 * and values are returned as subarrays of the input (no copies); callers copy what they keep.
 */
import { InitError } from '../errors.ts';
import { fnv1a64 } from './fnv1a64.ts';

export const PAGE_HEADER_BYTES = 16;
export const ELEMENT_BYTES = 16;
export const META_BYTES = 64;
/** A bucket value starts with `root u64, sequence u64`; an inline bucket's page image follows. */
export const BUCKET_HEADER_BYTES = 16;
export const BBOLT_MAGIC = 0xed0cdaed;
export const BBOLT_VERSION = 2;

export const PageFlag = { Branch: 0x01, Leaf: 0x02, Meta: 0x04, Freelist: 0x10 } as const;
export const LEAF_FLAG_BUCKET = 0x01;

/** Largest page number we accept: with 64 KiB pages byte offsets stay below 2^53, exact in a JS number. */
const PGID_MAX = 2 ** 36;
const PGID_MAX_BIG = BigInt(PGID_MAX);

export interface PageHeader {
  readonly id: number;
  readonly flags: number;
  readonly count: number;
  readonly overflow: number;
}

export interface BboltMeta {
  readonly pageSize: number;
  readonly flags: number;
  readonly rootPgid: number;
  readonly freelistPgid: bigint;
  /** High-water mark: pages [0, highWaterPgid) are the file's allocated pages. */
  readonly highWaterPgid: number;
  readonly txid: bigint;
}

export interface BranchElement {
  readonly key: Uint8Array;
  readonly pgid: number;
}

export interface LeafElement {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly isBucket: boolean;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** -1 for out-of-range page ids, which every range check then rejects. */
function pgidOrInvalid(v: bigint): number {
  return v > PGID_MAX_BIG ? -1 : Number(v);
}

function u64Number(dv: DataView, offset: number, what: string): number {
  const v = dv.getBigUint64(offset, true);
  if (v > PGID_MAX_BIG)
    throw new InitError('ERR_BBOLT_CORRUPT', `invalid database: ${what} ${v} out of range`);
  return Number(v);
}

export function parsePageHeader(bytes: Uint8Array): PageHeader {
  if (bytes.byteLength < PAGE_HEADER_BYTES) {
    throw new InitError('ERR_BBOLT_CORRUPT', 'invalid database: page shorter than its header');
  }
  const dv = view(bytes);
  // The id of an inline bucket's page image is junk, so it is only range-checked by callers that care.
  const idBig = dv.getBigUint64(0, true);
  return {
    id: idBig > PGID_MAX_BIG ? -1 : Number(idBig),
    flags: dv.getUint16(8, true),
    count: dv.getUint16(10, true),
    overflow: dv.getUint32(12, true),
  };
}

/**
 * Parse and validate the meta struct of a meta page (`page` starts at the page header).
 * Returns the reason as a string when invalid, so the caller can fall back to the other meta.
 */
export function parseMeta(page: Uint8Array): BboltMeta | string {
  if (page.byteLength < PAGE_HEADER_BYTES + META_BYTES) return 'invalid database: meta page too short';
  const m = page.subarray(PAGE_HEADER_BYTES, PAGE_HEADER_BYTES + META_BYTES);
  const dv = view(m);
  if (dv.getUint32(0, true) !== BBOLT_MAGIC) return 'invalid database: bad magic';
  if (dv.getUint32(4, true) !== BBOLT_VERSION) return 'version mismatch';
  if (fnv1a64(m.subarray(0, 56)) !== dv.getBigUint64(56, true)) return 'checksum error';
  const pageSize = dv.getUint32(8, true);
  if (pageSize < 512 || pageSize > 1 << 20 || (pageSize & (pageSize - 1)) !== 0) {
    return `invalid database: page size ${pageSize}`;
  }
  return {
    pageSize,
    flags: dv.getUint32(12, true),
    rootPgid: pgidOrInvalid(dv.getBigUint64(16, true)),
    freelistPgid: dv.getBigUint64(32, true),
    highWaterPgid: pgidOrInvalid(dv.getBigUint64(40, true)),
    txid: dv.getBigUint64(48, true),
  };
}

function elementsEnd(page: Uint8Array, count: number): number {
  const end = PAGE_HEADER_BYTES + count * ELEMENT_BYTES;
  if (end > page.byteLength) {
    throw new InitError('ERR_BBOLT_CORRUPT', `invalid database: ${count} elements overflow the page`);
  }
  return end;
}

function slice(page: Uint8Array, start: number, length: number, what: string): Uint8Array {
  if (start < 0 || length < 0 || start + length > page.byteLength) {
    throw new InitError('ERR_BBOLT_CORRUPT', `invalid database: ${what} lies outside its page`);
  }
  return page.subarray(start, start + length);
}

/** Branch elements: `pos u32, ksize u32, pgid u64`; the key is at the element's own address + pos. */
export function branchElements(page: Uint8Array, header: PageHeader): BranchElement[] {
  elementsEnd(page, header.count);
  const dv = view(page);
  const out: BranchElement[] = [];
  for (let i = 0; i < header.count; i++) {
    const at = PAGE_HEADER_BYTES + i * ELEMENT_BYTES;
    const pos = dv.getUint32(at, true);
    const ksize = dv.getUint32(at + 4, true);
    const pgid = u64Number(dv, at + 8, 'branch child page');
    out.push({ key: slice(page, at + pos, ksize, 'branch key'), pgid });
  }
  return out;
}

/** Leaf elements: `flags u32, pos u32, ksize u32, vsize u32`; the value follows the key. */
export function leafElements(page: Uint8Array, header: PageHeader): LeafElement[] {
  elementsEnd(page, header.count);
  const dv = view(page);
  const out: LeafElement[] = [];
  for (let i = 0; i < header.count; i++) {
    const at = PAGE_HEADER_BYTES + i * ELEMENT_BYTES;
    const flags = dv.getUint32(at, true);
    const pos = dv.getUint32(at + 4, true);
    const ksize = dv.getUint32(at + 8, true);
    const vsize = dv.getUint32(at + 12, true);
    const key = slice(page, at + pos, ksize, 'leaf key');
    const value = slice(page, at + pos + ksize, vsize, 'leaf value');
    out.push({ key, value, isBucket: (flags & LEAF_FLAG_BUCKET) !== 0 });
  }
  return out;
}

/** Where a bucket's tree lives: a page, or (root 0) an inline page image inside the bucket value. */
export type BucketRoot =
  | { readonly kind: 'page'; readonly pgid: number }
  | { readonly kind: 'inline'; readonly page: Uint8Array };

export function parseBucketValue(value: Uint8Array): BucketRoot {
  if (value.byteLength < BUCKET_HEADER_BYTES) {
    throw new InitError('ERR_BBOLT_CORRUPT', 'invalid database: bucket value shorter than its header');
  }
  const root = view(value).getBigUint64(0, true);
  if (root === 0n) return { kind: 'inline', page: value.subarray(BUCKET_HEADER_BYTES) };
  if (root > PGID_MAX_BIG) throw new InitError('ERR_BBOLT_CORRUPT', `invalid database: bucket root ${root}`);
  return { kind: 'page', pgid: Number(root) };
}
