/**
 * `raft.Log.AppendedAt` (a Go `time.Time`) in the forms hashicorp peers write and read (wire notes §2.6).
 *
 * Encode: always the legacy MarshalBinary form as a 15-byte fixstr (`0xaf`): version 1, int64 seconds
 * since 0001-01-01 UTC, int32 nanoseconds, int16 zone offset −1 (UTC). It is the only form that both
 * raft 1.3–1.5 (go-msgpack 0.5.5, UnmarshalBinary only) and 1.6+/1.7 (go-msgpack v2, which accepts it
 * only from a fixstr) decode; 1.1.2 has no AppendedAt and skips the key.
 * Decode: that form (versions 1 and 2, any offset), the msgpack-timestamp payloads of 4/8/12 bytes
 * (raw or as ext −1), and nil (the zero time).
 * Millisecond precision: the core treats the value as opaque metadata; nanoseconds below 1 ms are dropped.
 */
import type { MsgpackReader } from './msgpack-reader.ts';
import type { MsgpackWriter } from './msgpack-writer.ts';
import { WireError, WireErrorCode } from './wire-errors.ts';

/** Seconds from 0001-01-01T00:00:00Z (Go's internal epoch) to the Unix epoch. */
const GO_EPOCH_TO_UNIX_SECONDS = 62135596800;
const BINARY_TIME_V1_BYTES = 15;
const BINARY_TIME_V2_BYTES = 16;
const MSGPACK_TIMESTAMP_EXT_TYPE = -1;

/** Writes `appendedAtMs` (undefined/0 → Go zero time) as the 15-byte MarshalBinary form. */
export function writeGoTime(w: MsgpackWriter, appendedAtMs: number | undefined): void {
  const b = new Uint8Array(BINARY_TIME_V1_BYTES);
  const v = new DataView(b.buffer);
  b[0] = 1;
  let sec = 0;
  let nsec = 0;
  if (appendedAtMs !== undefined && appendedAtMs !== 0) {
    const unixSec = Math.floor(appendedAtMs / 1000);
    sec = unixSec + GO_EPOCH_TO_UNIX_SECONDS;
    nsec = (appendedAtMs - unixSec * 1000) * 1_000_000;
  }
  v.setBigInt64(1, BigInt(sec));
  v.setInt32(9, nsec);
  v.setInt16(13, -1);
  w.raw(b);
}

function fromUnix(sec: number, nsec: number): number | undefined {
  const ms = sec * 1000 + Math.floor(nsec / 1_000_000);
  return ms === 0 ? undefined : ms;
}

function decodeTimestampPayload(d: Uint8Array): number | undefined {
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  switch (d.length) {
    case 4:
      return fromUnix(v.getUint32(0), 0);
    case 8: {
      const x = v.getBigUint64(0);
      return fromUnix(Number(x & 0x3ffffffffn), Number(x >> 34n));
    }
    case 12:
      return fromUnix(Number(v.getBigInt64(4)), v.getUint32(0));
    default:
      throw new WireError(WireErrorCode.Malformed, `time: invalid length ${d.length}`);
  }
}

/** Reads a Go time in any accepted form; undefined for the zero time or nil. */
export function readGoTime(r: MsgpackReader): number | undefined {
  const ext = r.readExtOrNull();
  if (ext !== null) {
    if (ext.extType !== MSGPACK_TIMESTAMP_EXT_TYPE) {
      throw new WireError(WireErrorCode.Malformed, `time: unexpected ext type ${ext.extType}`);
    }
    return decodeTimestampPayload(ext.data);
  }
  const d = r.readBytesOrNull();
  if (d === null || d.length === 0) return undefined;
  if (
    (d.length === BINARY_TIME_V1_BYTES && d[0] === 1) ||
    (d.length === BINARY_TIME_V2_BYTES && d[0] === 2)
  ) {
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const goSec = Number(v.getBigInt64(1));
    const nsec = v.getInt32(9);
    if (goSec === 0 && nsec === 0) return undefined;
    return fromUnix(goSec - GO_EPOCH_TO_UNIX_SECONDS, nsec);
  }
  return decodeTimestampPayload(d);
}
