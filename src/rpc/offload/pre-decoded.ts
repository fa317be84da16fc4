/**
 * A commit payload already decoded off the RPC thread. It rides through the dispatcher in place of the JSON
 * envelope param, so auth, params checks, metrics and error mapping stay in one code path.
 */
import type { EncodedPayload } from '../../consensus/consensus.ts';
import { PayloadCodecError, type PayloadCodecErrorCode } from '../../fsm/payload-codec-error.ts';
import type { CodecErrorWire, EncodedWire } from './protocol.ts';

export class PreDecodedPayload {
  readonly #encoded: EncodedWire | undefined;
  readonly #error: CodecErrorWire | undefined;

  constructor(encoded: EncodedWire | undefined, error: CodecErrorWire | undefined) {
    this.#encoded = encoded;
    this.#error = error;
  }

  /** The encoded payload, or the codec's error rebuilt as it was thrown in the worker. */
  unwrap(): EncodedPayload {
    if (this.#encoded) return this.#encoded;
    const e = this.#error ?? { code: undefined, message: 'payload was not decoded' };
    if (e.code !== undefined) throw new PayloadCodecError(e.code as PayloadCodecErrorCode, e.message);
    throw new Error(e.message);
  }
}
