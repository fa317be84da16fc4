/**
 * Receive buffer of one connection: bytes arrive in chunks, frames are parsed from the front.
 *
 * Invariants:
 * - holds at most `bytesMax` unconsumed bytes (append throws past that);
 * - grows geometrically, or straight to the size the parser says the current frame needs (`reserve`), so a
 *   1 MB entry costs one allocation instead of a chain of doublings (a fresh large allocation is the
 *   expensive part: its pages fault in on first touch);
 * - compacts instead of growing when the consumed prefix frees enough room; keeps a backing store of up to
 *   4 MiB between frames (the next 1–2 MB payload reuses it) and drops a larger one once it is empty, so
 *   one 16 MiB snapshot does not pin 16 MiB per idle connection.
 * Decoded values are copied out, so consumed bytes may be overwritten.
 */
import { WireError, WireErrorCode } from './wire-errors.ts';

const INITIAL_CAPACITY_BYTES = 64 * 1024;
/** Kept between frames: room for a 2 MB payload's frame; a snapshot-sized store is dropped once empty. */
const RETAINED_CAPACITY_BYTES_MAX = 4 * 1024 * 1024;
/** Room kept after a reserved frame for the fields that follow its large value and the next frame's head. */
const RESERVE_SLACK_BYTES = 64 * 1024;

/**
 * Uninitialised memory (every byte is written by append before it is read), as a plain Uint8Array so views
 * and copies taken from it have Uint8Array semantics (Buffer#slice would not copy).
 */
function allocate(n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

export class FrameBuffer {
  private buf: Uint8Array = allocate(INITIAL_CAPACITY_BYTES);
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
        this.start = 0;
        this.end = len;
      } else {
        let cap = Math.max(this.buf.length, INITIAL_CAPACITY_BYTES) * 2;
        while (cap < len + chunk.length) cap *= 2;
        this.moveTo(Math.min(cap, this.bytesMax));
      }
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The parser needs `n` unconsumed bytes to finish the current frame: make room for them in one step. */
  reserve(n: number): void {
    if (n > this.bytesMax || this.start + n <= this.buf.length) return;
    if (n <= this.buf.length) return; // compaction in append will make room
    this.moveTo(Math.min(n + RESERVE_SLACK_BYTES, this.bytesMax));
  }

  consume(n: number): void {
    this.start += n;
    if (this.start < this.end) return;
    if (this.buf.length > RETAINED_CAPACITY_BYTES_MAX) this.buf = allocate(INITIAL_CAPACITY_BYTES);
    this.start = 0;
    this.end = 0;
  }

  private moveTo(capacity: number): void {
    const next = allocate(capacity);
    next.set(this.buf.subarray(this.start, this.end));
    this.end -= this.start;
    this.start = 0;
    this.buf = next;
  }
}
