/**
 * Decoding of hashicorp `Log.AppendedAt` (a Go time.Time) in both byte forms go-msgpack writes
 * (hashicorp-raft-wire.md §2.6), to Unix milliseconds:
 * - legacy binary form (Time.MarshalBinary: version 1/2, int64 seconds since year 1, int32 nsec,
 *   int16 zone offset [, int8 offset seconds]) written as a 15/16-byte string; any offset accepted;
 * - msgpack timestamp payload of 4/8/12 bytes, as a string (WriteExt=false) or ext type −1;
 * - nil / empty = Go's zero time → undefined.
 * Sub-millisecond precision is dropped: our LogEntry carries milliseconds only.
 */
import { InitError } from '../errors.ts';
import type { MsgValue } from './msgpack-reader.ts';

/** Seconds from 0001-01-01T00:00:00Z to the Unix epoch. */
export const GO_EPOCH_OFFSET_SECONDS = 62135596800n;
const TIMESTAMP_EXT_TYPE = -1;

function msFrom(sec: bigint, nsec: number): number {
  const ms = sec * 1000n + BigInt(Math.floor(nsec / 1e6));
  if (ms > BigInt(Number.MAX_SAFE_INTEGER) || ms < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new InitError('ERR_MSGPACK', 'AppendedAt out of range');
  }
  return Number(ms);
}

function fromTimestampPayload(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.byteLength === 4) return msFrom(BigInt(dv.getUint32(0)), 0);
  if (b.byteLength === 8) {
    const v = dv.getBigUint64(0);
    return msFrom(v & 0x3ffffffffn, Number(v >> 34n));
  }
  return msFrom(dv.getBigInt64(4), dv.getUint32(0));
}

function fromMarshalBinary(b: Uint8Array): number | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = dv.getUint8(0);
  if ((version !== 1 || b.byteLength !== 15) && (version !== 2 || b.byteLength !== 16)) {
    throw new InitError('ERR_MSGPACK', `AppendedAt: Time.UnmarshalBinary: unsupported version ${version}`);
  }
  const secSinceYear1 = dv.getBigInt64(1);
  const nsec = dv.getInt32(9);
  if (secSinceYear1 === 0n && nsec === 0) return undefined;
  return msFrom(secSinceYear1 - GO_EPOCH_OFFSET_SECONDS, nsec);
}

export function decodeAppendedAt(v: MsgValue | undefined): number | undefined {
  if (v === undefined || v.kind === 'nil') return undefined;
  if (v.kind === 'ext' && v.type === TIMESTAMP_EXT_TYPE && [4, 8, 12].includes(v.value.byteLength)) {
    return fromTimestampPayload(v.value);
  }
  if (v.kind !== 'bytes') throw new InitError('ERR_MSGPACK', `AppendedAt is ${v.kind}, want a time`);
  const n = v.value.byteLength;
  if (n === 0) return undefined;
  if (n === 4 || n === 8 || n === 12) return fromTimestampPayload(v.value);
  if (n === 15 || n === 16) return fromMarshalBinary(v.value);
  throw new InitError(
    'ERR_MSGPACK',
    `AppendedAt: invalid length of bytes for decoding time - expecting 4 or 8 or 12 or 15, got ${n}`,
  );
}
