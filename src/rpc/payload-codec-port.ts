/**
 * The two payload operations the RPC edge needs, as a port so the server can be built and tested before
 * (and independently of) the FSM's codec. Production passes `defaultPayloadCodec` (src/fsm/payload-codec.ts).
 *
 * Invariant: each request's payload is decoded exactly once, here at the edge; the conductor and Raft
 * only ever see the resulting SSZ bytes.
 */
import type { EncodedPayload } from '../consensus/consensus.ts';
import { encodePayloadForCommit, validateSszForCommit } from '../fsm/payload-codec.ts';

export interface PayloadCodecPort {
  /** JSON ExecutionPayloadEnvelope → SSZ; throws with the codec's Go-compatible message. */
  encodeForCommit(json: unknown): EncodedPayload;
  /** Validate raw SSZ (V4 then V3) and return it verbatim with its head facts; throws on invalid SSZ. */
  validateSsz(bytes: Uint8Array): EncodedPayload;
}

/** The production codec (src/fsm/payload-codec.ts). */
export const defaultPayloadCodec: PayloadCodecPort = {
  encodeForCommit: encodePayloadForCommit,
  validateSsz: validateSszForCommit,
};
