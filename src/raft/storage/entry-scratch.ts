/**
 * One reusable buffer to encode log entries into, one at a time, for a store that copies each value before
 * the next encode: LMDB copies a value into its own pages inside `put` when called in a write transaction.
 * It replaces a fresh allocation per entry; on this class of machine a fresh 1 MB costs about 0.5 ms of page
 * faults, and the churn of megabyte ArrayBuffers is what drives V8's external-memory collections.
 *
 * Invariants: the view `encode` returns is valid only until the next `encode`; after `release`, a backing
 * store larger than SCRATCH_RETAINED_BYTES_MAX is dropped (one 16 MiB entry does not pin 16 MiB).
 */
import type { LogEntry } from '../core/types.ts';
import { encodedEntryBytes, encodeEntryInto } from './entry-codec.ts';

const SCRATCH_INITIAL_BYTES = 64 * 1024;
/** Kept between batches: a 2 MB payload's entry with room to spare. */
const SCRATCH_RETAINED_BYTES_MAX = 4 * 1024 * 1024;

export class EntryScratch {
  // Uninitialised memory: every byte of a returned view is written by the encode.
  #buf = Buffer.allocUnsafeSlow(SCRATCH_INITIAL_BYTES);

  /** `e` encoded into the scratch buffer; valid until the next call. */
  encode(e: LogEntry): Buffer {
    const n = encodedEntryBytes(e);
    if (n > this.#buf.length) this.#buf = Buffer.allocUnsafeSlow(Math.max(n, this.#buf.length * 2));
    encodeEntryInto(e, this.#buf, 0);
    return this.#buf.subarray(0, n);
  }

  /** Called when a batch is done: drop a backing store grown past the retained size. */
  release(): void {
    if (this.#buf.length > SCRATCH_RETAINED_BYTES_MAX)
      this.#buf = Buffer.allocUnsafeSlow(SCRATCH_INITIAL_BYTES);
  }
}
