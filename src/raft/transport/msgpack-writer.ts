/**
 * A msgpack writer that produces exactly the bytes hashicorp's go-msgpack 0.5.5 `MsgpackHandle{}` writes:
 * - both `[]byte` and `string` use the raw/str family, fixstr (<32), str16 (<65536) else str32; never
 *   str8 (0xd9) and never bin (0xc4..0xc6), which 0.5.5 does not produce and which go-msgpack v2 rejects
 *   for `time.Time` values;
 * - unsigned integers in their smallest form (fixint, 0xcc, 0xcd, 0xce, 0xcf); negative numbers are never
 *   written (no raft field is negative);
 * - nil as 0xc0, booleans as 0xc2/0xc3.
 * Invariant: integers are safe JS integers (< 2^53); the buffer grows geometrically, so encoding is O(n).
 *
 * Zero copy: a raw value of at least ZERO_COPY_BYTES_MIN is not copied; `chunks()` hands it back by
 * reference between the encoded segments around it, so a 1 MB log entry goes from the caller's buffer to
 * the socket's writev untouched (on this class of machine a fresh 1 MB copy costs ~0.5 ms of page faults).
 * The caller must not mutate such a value until the chunks are written. `bytes()` joins everything.
 */

const INITIAL_CAPACITY_BYTES = 256;
const FIXSTR_LEN_MAX = 31;
const STR16_LEN_MAX = 0xffff;
/** Raw values this large are referenced, not copied, by `chunks()`. */
export const ZERO_COPY_BYTES_MIN = 4096;

const utf8 = new TextEncoder();

export class MsgpackWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** Finished output: encoded segments and referenced raw values, in order. */
  private readonly done: Uint8Array[] = [];
  /** Start of the current (not yet finished) encoded segment in `buf`. */
  private segStart = 0;
  private doneBytes = 0;

  constructor(capacityBytes: number = INITIAL_CAPACITY_BYTES) {
    this.buf = new Uint8Array(capacityBytes);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.pos++] = b;
    return this;
  }

  nil(): this {
    return this.byte(0xc0);
  }

  bool(v: boolean): this {
    return this.byte(v ? 0xc3 : 0xc2);
  }

  uint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`msgpack uint out of range: ${n}`);
    if (n <= 0x7f) return this.byte(n);
    if (n <= 0xff) {
      this.ensure(2);
      this.buf[this.pos++] = 0xcc;
      this.buf[this.pos++] = n;
    } else if (n <= 0xffff) {
      this.ensure(3);
      this.buf[this.pos++] = 0xcd;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else if (n <= 0xffffffff) {
      this.ensure(5);
      this.buf[this.pos++] = 0xce;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    } else {
      this.ensure(9);
      this.buf[this.pos++] = 0xcf;
      this.view.setBigUint64(this.pos, BigInt(n));
      this.pos += 8;
    }
    return this;
  }

  /** Raw/str family header + bytes (Go `[]byte` and `string`). */
  raw(bytes: Uint8Array): this {
    const n = bytes.length;
    const copy = n < ZERO_COPY_BYTES_MIN;
    if (n <= FIXSTR_LEN_MAX) {
      this.ensure(1 + n);
      this.buf[this.pos++] = 0xa0 | n;
    } else if (n <= STR16_LEN_MAX) {
      this.ensure(copy ? 3 + n : 3);
      this.buf[this.pos++] = 0xda;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else {
      this.ensure(copy ? 5 + n : 5);
      this.buf[this.pos++] = 0xdb;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
    if (copy) {
      this.buf.set(bytes, this.pos);
      this.pos += n;
    } else {
      this.done.push(this.buf.subarray(this.segStart, this.pos), bytes);
      this.doneBytes += this.pos - this.segStart + n;
      this.segStart = this.pos;
    }
    return this;
  }

  str(s: string): this {
    return this.raw(utf8.encode(s));
  }

  /** Go `[]byte` that is nil when empty (how raft leaves unset byte fields). */
  rawOrNil(bytes: Uint8Array | undefined): this {
    return bytes === undefined || bytes.length === 0 ? this.nil() : this.raw(bytes);
  }

  /** Go `[]byte(string)` field that is nil when the string is empty. */
  strOrNil(s: string): this {
    return s === '' ? this.nil() : this.str(s);
  }

  mapHeader(n: number): this {
    if (n <= 15) return this.byte(0x80 | n);
    this.ensure(3);
    this.buf[this.pos++] = 0xde;
    this.view.setUint16(this.pos, n);
    this.pos += 2;
    return this;
  }

  arrayHeader(n: number): this {
    if (n <= 15) return this.byte(0x90 | n);
    if (n <= 0xffff) {
      this.ensure(3);
      this.buf[this.pos++] = 0xdc;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
      return this;
    }
    this.ensure(5);
    this.buf[this.pos++] = 0xdd;
    this.view.setUint32(this.pos, n);
    this.pos += 4;
    return this;
  }

  /** A map key: Go field names are ASCII and short, always fixstr. */
  key(name: string): this {
    return this.str(name);
  }

  /** The output as the chunks to write, in order: encoded segments and referenced raw values. */
  chunks(): Uint8Array[] {
    const tail = this.buf.subarray(this.segStart, this.pos);
    return tail.length > 0 || this.done.length === 0 ? [...this.done, tail] : [...this.done];
  }

  /** The output as one array (a copy when raw values were referenced). */
  bytes(): Uint8Array {
    if (this.done.length === 0) return this.buf.subarray(0, this.pos);
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks()) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  get length(): number {
    return this.doneBytes + this.pos - this.segStart;
  }
}
