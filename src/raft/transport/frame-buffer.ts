/**
 * Receive buffer of one connection: bytes arrive in chunks, frames are parsed from the front.
 * Invariants: holds at most `bytesMax` unconsumed bytes (append throws past that); grows geometrically,
 * compacts instead of growing when the consumed prefix frees enough room, and drops a large backing
 * store once it is empty, so one 16 MiB snapshot does not pin 16 MiB per idle connection.
 */
import { WireError, WireErrorCode } from './wire-errors.ts';

const INITIAL_CAPACITY_BYTES = 64 * 1024;
const RETAINED_CAPACITY_BYTES_MAX = 1024 * 1024;

export class FrameBuffer {
  private buf = new Uint8Array(INITIAL_CAPACITY_BYTES);
  private start = 0;
  private end = 0;
  private readonly bytesMax: number;

  constructor(bytesMax: number) {
    this.bytesMax = bytesMax;
  }

  get length(): number {
    return this.end - this.start;
  }

  /** The backing array and the unconsumed range [begin, finish). */
  get bytes(): Uint8Array {
    return this.buf;
  }
  get begin(): number {
    return this.start;
  }
  get finish(): number {
    return this.end;
  }

  append(chunk: Uint8Array): void {
    const len = this.length;
    if (len + chunk.length > this.bytesMax) {
      throw new WireError(WireErrorCode.FrameTooLarge, `frame exceeds ${this.bytesMax} bytes`);
    }
    if (this.end + chunk.length > this.buf.length) {
      if (len + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let cap = this.buf.length * 2;
        while (cap < len + chunk.length) cap *= 2;
        const next = new Uint8Array(cap);
        next.set(this.buf.subarray(this.start, this.end));
        this.buf = next;
      }
      this.start = 0;
      this.end = len;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  consume(n: number): void {
    this.start += n;
    if (this.start >= this.end) {
      this.start = 0;
      this.end = 0;
      if (this.buf.length > RETAINED_CAPACITY_BYTES_MAX) this.buf = new Uint8Array(INITIAL_CAPACITY_BYTES);
    }
  }
}
