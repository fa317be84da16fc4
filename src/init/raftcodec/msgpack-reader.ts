/**
 * A minimal msgpack reader for Go go-msgpack output, used to decode raft-boltdb values.
 *
 * Why not a generic library: Go writes binary `[]byte` (SSZ payloads) in the str family, and a decoder
 * that turns str into UTF-8 text corrupts them; here every str/bin value is kept as raw bytes and only
 * the caller decides what is text. Invariants: never reads past the input (truncation raises
 * ERR_MSGPACK), nesting is bounded, integers above 2^53 are kept as bigint for the caller to reject.
 */
import { InitError } from '../errors.ts';

const NESTING_DEPTH_MAX = 32;

export type MsgValue =
  | { readonly kind: 'nil' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'array'; readonly items: readonly MsgValue[] }
  | { readonly kind: 'map'; readonly entries: ReadonlyArray<readonly [MsgValue, MsgValue]> }
  | { readonly kind: 'ext'; readonly type: number; readonly value: Uint8Array };

class Cursor {
  pos = 0;
  readonly dv: DataView;
  constructor(readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.buf.byteLength) {
      throw new InitError(
        'ERR_MSGPACK',
        `msgpack: unexpected end of data at byte ${this.pos} (need ${n} more)`,
      );
    }
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  uint(bytes: 1 | 2 | 4 | 8): bigint {
    this.need(bytes);
    const at = this.pos;
    this.pos += bytes;
    if (bytes === 1) return BigInt(this.dv.getUint8(at));
    if (bytes === 2) return BigInt(this.dv.getUint16(at));
    if (bytes === 4) return BigInt(this.dv.getUint32(at));
    return this.dv.getBigUint64(at);
  }
  int(bytes: 1 | 2 | 4 | 8): bigint {
    this.need(bytes);
    const at = this.pos;
    this.pos += bytes;
    if (bytes === 1) return BigInt(this.dv.getInt8(at));
    if (bytes === 2) return BigInt(this.dv.getInt16(at));
    if (bytes === 4) return BigInt(this.dv.getInt32(at));
    return this.dv.getBigInt64(at);
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function readLen(c: Cursor, bytes: 1 | 2 | 4): number {
  return Number(c.uint(bytes));
}

function readValue(c: Cursor, depth: number): MsgValue {
  if (depth > NESTING_DEPTH_MAX) throw new InitError('ERR_MSGPACK', 'msgpack: nesting too deep');
  const b = c.u8();
  if (b <= 0x7f) return { kind: 'int', value: BigInt(b) };
  if (b >= 0xe0) return { kind: 'int', value: BigInt(b - 0x100) };
  if ((b & 0xf0) === 0x80) return readMap(c, b & 0x0f, depth);
  if ((b & 0xf0) === 0x90) return readArray(c, b & 0x0f, depth);
  if ((b & 0xe0) === 0xa0) return { kind: 'bytes', value: c.bytes(b & 0x1f) };
  switch (b) {
    case 0xc0:
      return { kind: 'nil' };
    case 0xc2:
      return { kind: 'bool', value: false };
    case 0xc3:
      return { kind: 'bool', value: true };
    case 0xc4:
    case 0xd9:
      return { kind: 'bytes', value: c.bytes(readLen(c, 1)) };
    case 0xc5:
    case 0xda:
      return { kind: 'bytes', value: c.bytes(readLen(c, 2)) };
    case 0xc6:
    case 0xdb:
      return { kind: 'bytes', value: c.bytes(readLen(c, 4)) };
    case 0xc7:
    case 0xc8:
    case 0xc9: {
      const n = readLen(c, b === 0xc7 ? 1 : b === 0xc8 ? 2 : 4);
      const type = Number(c.int(1));
      return { kind: 'ext', type, value: c.bytes(n) };
    }
    case 0xca:
      c.need(4);
      c.pos += 4;
      return { kind: 'float', value: c.dv.getFloat32(c.pos - 4) };
    case 0xcb:
      c.need(8);
      c.pos += 8;
      return { kind: 'float', value: c.dv.getFloat64(c.pos - 8) };
    case 0xcc:
      return { kind: 'int', value: c.uint(1) };
    case 0xcd:
      return { kind: 'int', value: c.uint(2) };
    case 0xce:
      return { kind: 'int', value: c.uint(4) };
    case 0xcf:
      return { kind: 'int', value: c.uint(8) };
    case 0xd0:
      return { kind: 'int', value: c.int(1) };
    case 0xd1:
      return { kind: 'int', value: c.int(2) };
    case 0xd2:
      return { kind: 'int', value: c.int(4) };
    case 0xd3:
      return { kind: 'int', value: c.int(8) };
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8: {
      const n = 1 << (b - 0xd4);
      const type = Number(c.int(1));
      return { kind: 'ext', type, value: c.bytes(n) };
    }
    case 0xdc:
      return readArray(c, readLen(c, 2), depth);
    case 0xdd:
      return readArray(c, readLen(c, 4), depth);
    case 0xde:
      return readMap(c, readLen(c, 2), depth);
    case 0xdf:
      return readMap(c, readLen(c, 4), depth);
    default:
      throw new InitError('ERR_MSGPACK', `msgpack: invalid type byte 0x${b.toString(16)} at ${c.pos - 1}`);
  }
}

function readArray(c: Cursor, n: number, depth: number): MsgValue {
  // Each element takes at least one byte: a count larger than what is left is corruption.
  c.need(n);
  const items: MsgValue[] = [];
  for (let i = 0; i < n; i++) items.push(readValue(c, depth + 1));
  return { kind: 'array', items };
}

function readMap(c: Cursor, n: number, depth: number): MsgValue {
  c.need(n * 2);
  const entries: Array<readonly [MsgValue, MsgValue]> = [];
  for (let i = 0; i < n; i++) entries.push([readValue(c, depth + 1), readValue(c, depth + 1)]);
  return { kind: 'map', entries };
}

/** Decode exactly one value; trailing bytes are an error (a raft-boltdb value is one struct). */
export function decodeMsgpack(buf: Uint8Array): MsgValue {
  const c = new Cursor(buf);
  const v = readValue(c, 0);
  if (c.pos !== buf.byteLength) {
    throw new InitError('ERR_MSGPACK', `msgpack: ${buf.byteLength - c.pos} trailing bytes after the value`);
  }
  return v;
}

/** A Go struct decoded as a map: field name → value. Non-string keys are a decode error. */
export function structFields(v: MsgValue, what: string): Map<string, MsgValue> {
  if (v.kind !== 'map') throw new InitError('ERR_MSGPACK', `msgpack: ${what} is ${v.kind}, want a map`);
  const out = new Map<string, MsgValue>();
  for (const [k, val] of v.entries) {
    if (k.kind !== 'bytes') throw new InitError('ERR_MSGPACK', `msgpack: ${what} has a ${k.kind} key`);
    out.set(Buffer.from(k.value).toString('utf8'), val);
  }
  return out;
}

/** An unsigned integer field that must fit a JS number (Index, Term, Type, Suffrage). */
export function uintField(v: MsgValue | undefined, what: string): number {
  if (v === undefined || v.kind === 'nil') return 0;
  if (v.kind !== 'int' || v.value < 0n || v.value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InitError('ERR_MSGPACK', `msgpack: ${what} is not an unsigned integer below 2^53`);
  }
  return Number(v.value);
}

/** A `[]byte` field: nil and missing give undefined. */
export function bytesField(v: MsgValue | undefined, what: string): Uint8Array | undefined {
  if (v === undefined || v.kind === 'nil') return undefined;
  if (v.kind !== 'bytes') throw new InitError('ERR_MSGPACK', `msgpack: ${what} is ${v.kind}, want bytes`);
  return v.value;
}
