/**
 * Decoded ExecutionPayloadEnvelope: bytes as Uint8Array, quantities as bigint. This is the form the
 * FSM keeps and the SSZ codec reads/writes. Optional fields mirror Go's nil pointers: their presence
 * decides the block version on encode (payload-codec.ts `payloadVersion`).
 *
 * Invariant (enforced by payload-json.ts and the SSZ decoder): fixed-size fields have their exact
 * length (hashes 32, address 20, bloom 256), uint64 fields are < 2^64, baseFeePerGas < 2^256,
 * extraData ≤ 32 bytes.
 */
export interface Withdrawal {
  readonly index: bigint;
  readonly validatorIndex: bigint;
  readonly address: Uint8Array;
  readonly amount: bigint;
}

export interface ExecutionPayload {
  readonly parentHash: Uint8Array;
  readonly feeRecipient: Uint8Array;
  readonly stateRoot: Uint8Array;
  readonly receiptsRoot: Uint8Array;
  readonly logsBloom: Uint8Array;
  readonly prevRandao: Uint8Array;
  readonly blockNumber: bigint;
  readonly gasLimit: bigint;
  readonly gasUsed: bigint;
  readonly timestamp: bigint;
  readonly extraData: Uint8Array;
  readonly baseFeePerGas: bigint;
  readonly blockHash: Uint8Array;
  readonly transactions: readonly Uint8Array[];
  /** Present from Canyon (V2) on; may be empty. */
  readonly withdrawals?: readonly Withdrawal[];
  /** Present from Ecotone (V3) on. */
  readonly blobGasUsed?: bigint;
  readonly excessBlobGas?: bigint;
  /** Present from Isthmus (V4) on. */
  readonly withdrawalsRoot?: Uint8Array;
}

export interface ExecutionPayloadEnvelope {
  readonly parentBeaconBlockRoot: Uint8Array;
  readonly executionPayload: ExecutionPayload;
}
