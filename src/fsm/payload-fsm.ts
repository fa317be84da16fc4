/**
 * The Raft state machine: the latest unsafe payload (Go `consensus/raft_fsm.go` unsafeHeadTracker).
 *
 * Invariants:
 * - Only LogType Command entries carry payloads; other types are no-ops here.
 * - apply is monotonic: the stored head is replaced only when none is stored or the new block number
 *   is strictly greater. The committed head applied again (same height and hash, a retried commit) is a
 *   success that changes nothing; any other block at or below the head's height changes nothing and is
 *   refused with UnsafePayloadConflictError (Go ignores it and reports success; docs/differences.md).
 * - apply never throws: like Go's FSM response it returns the error (`log data is nil or empty`,
 *   or the decode error) and leaves the state unchanged.
 * - apply and restore accept and refuse exactly what a full decode would, with its error, but read only
 *   the head (envelopeHead: offsets and fixed fields, no transaction is materialised), so applying a
 *   multi-MB entry costs microseconds on every node. The full envelope is decoded on the first
 *   `latest()` of a stored head and cached with it; that decode must find the head read on apply (the
 *   FSM keeps the entry's bytes, which nobody may write afterwards), else latest() throws.
 * - snapshot returns the exact bytes that were applied (no re-encode); restore replaces
 *   unconditionally, and empty data restores "no head" (upstream's empty-snapshot rule).
 */
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { type LogEntry, LogType } from '../raft/core/types.ts';
import type { PayloadHead } from './envelope.ts';
import { decodeEnvelope, type ExecutionPayloadEnvelope, envelopeHead, payloadHead } from './payload-codec.ts';
import { UnsafePayloadConflictError } from './unsafe-payload-conflict-error.ts';

export const emptyLogDataText = 'log data is nil or empty';

interface Stored {
  readonly ssz: Uint8Array;
  readonly head: PayloadHead;
  /** The decoded `ssz`, filled by the first `latest()`. */
  envelope?: ExecutionPayloadEnvelope;
}

export interface PayloadFsmOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export class PayloadFsm {
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  #stored: Stored | undefined;

  constructor(opts: PayloadFsmOptions) {
    this.#logger = opts.logger;
    this.#metrics = opts.metrics;
  }

  /** Applies a committed entry; returns the FSM response error (undefined = success). */
  apply(entry: LogEntry): undefined | Error {
    if (entry.type !== LogType.Command) return undefined;
    const start = process.hrtime.bigint();
    try {
      if (entry.data.length === 0) return new Error(emptyLogDataText);
      let head: PayloadHead;
      try {
        head = envelopeHead(entry.data);
      } catch (e) {
        return e as Error;
      }
      this.#logger.debug(
        { number: head.blockNumber.toString(), hash: head.blockHash },
        'applying new unsafe head',
      );
      const stored = this.#stored;
      if (stored === undefined || stored.head.blockNumber < head.blockNumber) {
        this.#stored = { ssz: entry.data, head };
        return undefined;
      }
      if (stored.head.blockNumber === head.blockNumber && stored.head.blockHash === head.blockHash)
        return undefined;
      return new UnsafePayloadConflictError(stored.head, head);
    } finally {
      this.#metrics.fsmApplyDuration.observe(Number(process.hrtime.bigint() - start) / 1e9);
    }
  }

  /** The stored SSZ bytes (a Raft snapshot's `state.bin`), or undefined when no head was committed. */
  snapshot(): Uint8Array | undefined {
    return this.#stored?.ssz;
  }

  /** Replaces the state from snapshot bytes (no monotonic check). Throws PayloadCodecError on bad data. */
  restore(data: Uint8Array): void {
    if (data.length === 0) {
      this.#logger.info('restoring empty snapshot, no unsafe head has been committed yet');
      this.#stored = undefined;
      return;
    }
    this.#stored = { ssz: data, head: envelopeHead(data) };
  }

  /**
   * The stored head decoded in full (decoded once per stored head; the bytes were validated on apply).
   * Throws if the stored bytes no longer carry the head read on apply: entry data must never be written
   * after it is applied, and a buffer reused underneath the FSM must fail loudly, not serve another block.
   */
  latest(): ExecutionPayloadEnvelope | undefined {
    const stored = this.#stored;
    if (stored === undefined) return undefined;
    if (stored.envelope === undefined) {
      const envelope = decodeEnvelope(stored.ssz);
      const head = payloadHead(envelope);
      if (head.blockNumber !== stored.head.blockNumber || head.blockHash !== stored.head.blockHash) {
        throw new Error(
          `stored unsafe payload changed after apply: applied block ${stored.head.blockNumber} ${stored.head.blockHash}, now ${head.blockNumber} ${head.blockHash}`,
        );
      }
      stored.envelope = envelope;
    }
    return stored.envelope;
  }

  latestHead(): PayloadHead | undefined {
    return this.#stored?.head;
  }
}
