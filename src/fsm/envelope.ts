/**
 * ExecutionPayloadEnvelope as op-service (`eth/types.go`) writes it in JSON: hex strings for bytes,
 * hex quantities for numbers. This is the shape `conductor_commitUnsafePayload` receives and
 * `admin_postUnsafePayload` sends. Decoding/validation lives in payload-codec.ts.
 */
import type { Hex } from 'viem';

export interface WithdrawalJson {
  readonly index: Hex;
  readonly validatorIndex: Hex;
  readonly address: Hex;
  readonly amount: Hex;
}

export interface ExecutionPayloadJson {
  readonly parentHash: Hex;
  readonly feeRecipient: Hex;
  readonly stateRoot: Hex;
  readonly receiptsRoot: Hex;
  readonly logsBloom: Hex;
  readonly prevRandao: Hex;
  readonly blockNumber: Hex;
  readonly gasLimit: Hex;
  readonly gasUsed: Hex;
  readonly timestamp: Hex;
  readonly extraData: Hex;
  readonly baseFeePerGas: Hex;
  readonly blockHash: Hex;
  readonly transactions: readonly Hex[];
  readonly withdrawals?: readonly WithdrawalJson[] | null;
  readonly blobGasUsed?: Hex | null;
  readonly excessBlobGas?: Hex | null;
  readonly withdrawalsRoot?: Hex | null;
}

export interface ExecutionPayloadEnvelopeJson {
  readonly parentBeaconBlockRoot?: Hex | null;
  readonly executionPayload: ExecutionPayloadJson;
}

/** The few facts the conductor itself needs from a payload (logs, FSM monotonicity, control loop). */
export interface PayloadHead {
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly timestamp: bigint;
}
