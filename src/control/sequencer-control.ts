/**
 * What the conductor needs from op-node and the EL to drive the sequencer (Go `client/sequencer.go`
 * `SequencerControl`). Implemented over JSON-RPC in src/clients; faked in control-loop tests.
 * Errors are thrown as Error whose message is the backend's text (the loop matches
 * `sequencer not running` / `sequencer already running` by substring, as Go does).
 */
import type { Hex } from 'viem';
import type { ExecutionPayloadEnvelopeJson } from '../fsm/envelope.ts';

export interface BlockRef {
  readonly hash: Hex;
  readonly number: bigint;
}

export interface SequencerControl {
  /** `admin_conductorEnabled`. */
  conductorEnabled(signal?: AbortSignal): Promise<boolean>;
  /** `admin_sequencerActive`. */
  sequencerActive(signal?: AbortSignal): Promise<boolean>;
  /** `admin_startSequencer(hash)`. */
  startSequencer(unsafeHead: Hex, signal?: AbortSignal): Promise<void>;
  /** `admin_stopSequencer` → the hash of the latest head. */
  stopSequencer(signal?: AbortSignal): Promise<Hex>;
  /** EL `eth_getBlockByNumber("latest", false)`. */
  latestBlock(signal?: AbortSignal): Promise<BlockRef>;
  /** `admin_postUnsafePayload(envelope)`. */
  postUnsafePayload(envelope: ExecutionPayloadEnvelopeJson, signal?: AbortSignal): Promise<void>;
}
