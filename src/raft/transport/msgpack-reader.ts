/**
 * A schema-driven, incremental msgpack reader over one contiguous buffer: the one msgpack reader of
 * the wire layer. The transport reads frames with it as they arrive; op-conductor-init reads whole
 * raft-boltdb values with it (`new MsgpackReader(value, 0, value.length, value.length)`, through
 * codec.ts's decodeLogEntry), relying on byte fields coming back as raw bytes, never as UTF-8 text:
 * Go writes binary `[]byte` (SSZ payloads) in the str family.
 *
 * hashicorp's NetworkTransport has no length prefix: a frame ends where its msgpack value ends, and an
 * InstallSnapshot's raw body follows right after. So the reader must consume exactly one value and say
 * "need more bytes" (NeedMoreBytes, with how many bytes in total would let it continue) rather than guess.
 *
 * Invariants:
 * - Never reads past `end`; a value cut short throws NeedMoreBytes, never a partial result.
 * - Every declared length is checked against `bytesMax` before anything is allocated or awaited, so a
 *   huge length field fails fast with FrameTooLarge instead of making the caller buffer it.
 * - Byte fields accept the str family and bin (Go writes str; other encoders write bin) and are returned
 *   as views into the buffer: callers copy what they keep.
 * - Integers of any width and sign are accepted; values beyond 2^53 are rejected (indexes never get there).
 * - Generic skipping (unknown keys) is depth-bounded.
 */
import { WireError, WireErrorCode } from './wire-errors.ts';

const SKIP_DEPTH_MAX = 32;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class NeedMoreBytes extends Error {
  /** Absolute buffer offset that must be available before parsing can progress. */
  readonly needEnd: number;
  constructor(needEnd: number) {
    super('need more bytes');
    this.needEnd = needEnd;
  }
}

export interface ExtValue {
  readonly extType: number;
  readonly data: Uint8Array;
}

export class MsgpackReader {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  pos: number;
  readonly end: number;
  private readonly bytesMax: number;

  constructor(buf: Uint8Array, start: number, end: number, bytesMax: number) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
    this.bytesMax = bytesMax;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new NeedMoreBytes(this.pos + n);
  }

  private malformed(what: string, b: number): WireError {
    return new WireError(
      WireErrorCode.Malformed,
      `msgpack: unexpected byte 0x${b.toString(16)} for ${what} at ${this.pos}`,
    );
  }

  private checkLen(n: number, what: string): number {
    if (n > this.bytesMax) {
      throw new WireError(
        WireErrorCode.FrameTooLarge,
        `msgpack: ${what} length ${n} exceeds ${this.bytesMax}`,
      );
    }
    return n;
  }

  peek(): number {
    this.need(1);
    return this.buf[this.pos]!;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  private u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Raw bytes of a known length (the InstallSnapshot body, ext payloads). */
  take(n: number): Uint8Array {
    this.checkLen(n, 'raw');
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  isNil(): boolean {
    return this.peek() === 0xc0;
  }

  readNil(): void {
    const b = this.u8();
    if (b !== 0xc0) throw this.malformed('nil', b);
  }

  /** Any msgpack integer form, as a safe JS integer. Negative values are allowed (Go int fields). */
  readInt(): number {
    const b = this.u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    let v: number | bigint;
    switch (b) {
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf:
        this.need(8);
        v = this.view.getBigUint64(this.pos);
        this.pos += 8;
        break;
      case 0xd0:
        this.need(1);
        return this.view.getInt8(this.pos++);
      case 0xd1: {
        this.need(2);
        const x = this.view.getInt16(this.pos);
        this.pos += 2;
        return x;
      }
      case 0xd2: {
        this.need(4);
        const x = this.view.getInt32(this.pos);
        this.pos += 4;
        return x;
      }
      case 0xd3:
        this.need(8);
        v = this.view.getBigInt64(this.pos);
        this.pos += 8;
        break;
      default:
        this.pos--;
        throw this.malformed('integer', b);
    }
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new WireError(WireErrorCode.Malformed, `msgpack: integer ${v} beyond 2^53`);
    }
    return Number(v);
  }

  /** A non-negative integer (Go uint64/uint8 fields). nil decodes as 0, as Go leaves the zero value. */
  readUint(): number {
    if (this.isNil()) {
      this.pos++;
      return 0;
    }
    const v = this.readInt();
    if (v < 0)
      throw new WireError(WireErrorCode.Malformed, `msgpack: negative value ${v} for unsigned field`);
    return v;
  }

  /** Bool; go-msgpack 0.5.5 also accepts fixint 0/1, so do we. nil is false. */
  readBool(): boolean {
    const b = this.u8();
    if (b === 0xc3 || b === 0x01) return true;
    if (b === 0xc2 || b === 0x00 || b === 0xc0) return false;
    this.pos--;
    throw this.malformed('bool', b);
  }

  /** Length of a str/bin value at pos (consuming its header), or -1 for nil. */
  private bytesHeader(): number {
    const b = this.u8();
    if ((b & 0xe0) === 0xa0) return b & 0x1f;
    switch (b) {
      case 0xc0:
        return -1;
      case 0xd9:
      case 0xc4:
        return this.u8();
      case 0xda:
      case 0xc5:
        return this.u16();
      case 0xdb:
      case 0xc6:
        return this.u32();
      default:
        this.pos--;
        throw this.malformed('bytes', b);
    }
  }

  /** Go `[]byte`: any str or bin form; nil → empty. Returns a view (copy what you keep). */
  readBytes(): Uint8Array {
    const n = this.bytesHeader();
    if (n < 0) return this.buf.subarray(0, 0);
    return this.take(n);
  }

  /** Like readBytes, but tells nil apart from empty (time fields). */
  readBytesOrNull(): Uint8Array | null {
    const n = this.bytesHeader();
    return n < 0 ? null : this.take(n);
  }

  /** Go `string`: str family (or bin, which we tolerate), UTF-8. */
  readStr(): string {
    return utf8.decode(this.readBytes());
  }

  /** Map length; nil → 0. */
  readMapLen(): number {
    const b = this.u8();
    if ((b & 0xf0) === 0x80) return b & 0x0f;
    if (b === 0xde) return this.checkLen(this.u16(), 'map');
    if (b === 0xdf) return this.checkLen(this.u32(), 'map');
    if (b === 0xc0) return 0;
    this.pos--;
    throw this.malformed('map', b);
  }

  /** Array length; nil → 0. */
  readArrayLen(): number {
    const b = this.u8();
    if ((b & 0xf0) === 0x90) return b & 0x0f;
    if (b === 0xdc) return this.checkLen(this.u16(), 'array');
    if (b === 0xdd) return this.checkLen(this.u32(), 'array');
    if (b === 0xc0) return 0;
    this.pos--;
    throw this.malformed('array', b);
  }

  /** Extension value (fixext/ext8..32) if the next value is one, else null (nothing consumed). */
  readExtOrNull(): ExtValue | null {
    const b = this.peek();
    let n: number;
    switch (b) {
      case 0xd4:
        n = 1;
        break;
      case 0xd5:
        n = 2;
        break;
      case 0xd6:
        n = 4;
        break;
      case 0xd7:
        n = 8;
        break;
      case 0xd8:
        n = 16;
        break;
      case 0xc7:
      case 0xc8:
      case 0xc9:
        n = -1;
        break;
      default:
        return null;
    }
    this.pos++;
    if (n < 0) n = b === 0xc7 ? this.u8() : b === 0xc8 ? this.u16() : this.u32();
    this.need(1);
    const extType = this.view.getInt8(this.pos++);
    return { extType, data: this.take(n) };
  }

  /** Skip one value of any type (unknown keys), bounded in depth. */
  skip(depth = 0): void {
    if (depth > SKIP_DEPTH_MAX) {
      throw new WireError(WireErrorCode.Malformed, 'msgpack: value nested too deeply');
    }
    const b = this.peek();
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) {
      this.pos++;
      return;
    }
    if ((b & 0xe0) === 0xa0 || b === 0xd9 || b === 0xda || b === 0xdb || (b >= 0xc4 && b <= 0xc6)) {
      this.readBytes();
      return;
    }
    if ((b & 0xf0) === 0x80 || b === 0xde || b === 0xdf) {
      const n = this.readMapLen();
      for (let i = 0; i < n; i++) {
        this.skip(depth + 1);
        this.skip(depth + 1);
      }
      return;
    }
    if ((b & 0xf0) === 0x90 || b === 0xdc || b === 0xdd) {
      const n = this.readArrayLen();
      for (let i = 0; i < n; i++) this.skip(depth + 1);
      return;
    }
    if ((b >= 0xcc && b <= 0xcf) || (b >= 0xd0 && b <= 0xd3)) {
      const widths: Record<number, number> = {
        204: 1,
        205: 2,
        206: 4,
        207: 8,
        208: 1,
        209: 2,
        210: 4,
        211: 8,
      };
      this.pos++;
      this.take(widths[b]!);
      return;
    }
    if (b === 0xca || b === 0xcb) {
      this.pos++;
      this.take(b === 0xca ? 4 : 8);
      return;
    }
    if (this.readExtOrNull() !== null) return;
    throw this.malformed('value', b);
  }
}
