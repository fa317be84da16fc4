/**
 * Binary encoding of one LogEntry as stored by the lmdb and file backends (not the wire format: the
 * transport speaks hashicorp msgpack; on disk we keep a fixed header so decoding never parses).
 *
 * Layout (big-endian), headerBytes = 32:
 *   u8 formatVersion (1) | u8 type | u16 flags (bit0 extensions present, bit1 appendedAt present)
 *   u64 index | u64 term | f64 appendedAtMs | u32 extensionsLength | extensions | data (rest)
 *
 * Invariants: decode(encode(e)) equals e field for field (absent optional fields stay absent); decode
 * rejects any other version or inconsistent lengths with ERR_CORRUPT instead of returning garbage.
 */
import type { LogEntry, LogType } from '../core/types.ts';
import { StorageError } from './storage.ts';

export const entryFormatVersion = 1;
export const entryHeaderBytes = 32;
const flagExtensions = 1;
const flagAppendedAt = 2;
const logTypeMax = 5;

export function encodedEntryBytes(e: LogEntry): number {
  return entryHeaderBytes + (e.extensions?.byteLength ?? 0) + e.data.byteLength;
}

/** Writes `e`'s header and extensions (everything but the data) at `offset`; returns the bytes written. */
export function encodeEntryHeaderInto(e: LogEntry, out: Uint8Array, offset: number): number {
  const ext = e.extensions;
  const view = new DataView(out.buffer, out.byteOffset + offset, entryHeaderBytes);
  let flags = 0;
  if (ext !== undefined) flags |= flagExtensions;
  if (e.appendedAtMs !== undefined) flags |= flagAppendedAt;
  view.setUint8(0, entryFormatVersion);
  view.setUint8(1, e.type);
  view.setUint16(2, flags);
  view.setBigUint64(4, BigInt(e.index));
  view.setBigUint64(12, BigInt(e.term));
  view.setFloat64(20, e.appendedAtMs ?? 0);
  view.setUint32(28, ext?.byteLength ?? 0);
  if (ext !== undefined) out.set(ext, offset + entryHeaderBytes);
  return entryHeaderBytes + (ext?.byteLength ?? 0);
}

/** Writes `e` into `out` at `offset`; returns the number of bytes written. */
export function encodeEntryInto(e: LogEntry, out: Uint8Array, offset: number): number {
  const p = offset + encodeEntryHeaderInto(e, out, offset);
  out.set(e.data, p);
  return p + e.data.byteLength - offset;
}

/**
 * Decodes an entry; `bytes` must be exactly one encoded entry. The returned data and extensions are
 * views into `bytes` (callers pass a buffer they own).
 */
export function decodeEntry(bytes: Uint8Array): LogEntry {
  if (bytes.byteLength < entryHeaderBytes) {
    throw new StorageError('ERR_CORRUPT', `log record too short: ${bytes.byteLength} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, entryHeaderBytes);
  const version = view.getUint8(0);
  if (version !== entryFormatVersion) {
    throw new StorageError('ERR_CORRUPT', `unknown log record format version ${version}`);
  }
  const type = view.getUint8(1);
  if (type > logTypeMax) throw new StorageError('ERR_CORRUPT', `unknown log type ${type}`);
  const flags = view.getUint16(2);
  const index = Number(view.getBigUint64(4));
  const term = Number(view.getBigUint64(12));
  const appendedAtMs = view.getFloat64(20);
  const extLen = view.getUint32(28);
  if (entryHeaderBytes + extLen > bytes.byteLength) {
    throw new StorageError('ERR_CORRUPT', `log record ${index}: extensions overrun the record`);
  }
  const out: { -readonly [K in keyof LogEntry]: LogEntry[K] } = {
    index,
    term,
    type: type as LogType,
    data: bytes.subarray(entryHeaderBytes + extLen),
  };
  if (flags & flagExtensions) out.extensions = bytes.subarray(entryHeaderBytes, entryHeaderBytes + extLen);
  if (flags & flagAppendedAt) out.appendedAtMs = appendedAtMs;
  return out;
}
