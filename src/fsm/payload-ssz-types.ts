/**
 * SSZ container definitions of the ExecutionPayload, one per block version, in the field order of
 * op-service `eth/ssz.go` (which matches the consensus-layer ExecutionPayload of each fork):
 *
 *   V1 (Bellatrix) fixed part 508 bytes: …, extraData offset, baseFeePerGas (uint256), blockHash, transactions offset
 *   V2 (Canyon/Capella) 512: V1 + withdrawals offset
 *   V3 (Ecotone/Deneb)  528: V2 + blobGasUsed + excessBlobGas
 *   V4 (Isthmus)        560: V3 + withdrawalsRoot
 *
 * Invariants: every uint64 is decoded to a bigint (block numbers and gas values can exceed 2^53);
 * the limits are the consensus-spec ones Go enforces on decode (extraData ≤ 32 bytes, ≤ 2^20
 * transactions, ≤ 16 withdrawals). The envelope is NOT an SSZ container: Go writes the 32-byte
 * parentBeaconBlockRoot and then the payload with offsets relative to the payload start, so the codec
 * prepends/strips those 32 bytes itself.
 */
import {
  ByteListType,
  ByteVectorType,
  ContainerType,
  ListCompositeType,
  UintBigintType,
} from '@chainsafe/ssz';

export const extraDataBytesMax = 32;
export const transactionsCountMax = 1 << 20;
export const withdrawalsCountMax = 16;
/** MAX_BYTES_PER_TRANSACTION of the consensus spec (Go does not check it; no real tx comes close). */
export const transactionBytesMax = 1 << 30;
export const withdrawalBytes = 8 + 8 + 20 + 8;

const bytes20 = new ByteVectorType(20);
const bytes32 = new ByteVectorType(32);
const bytes256 = new ByteVectorType(256);
const uint64 = new UintBigintType(8);
const uint256 = new UintBigintType(32);

export const WithdrawalSsz = new ContainerType({
  index: uint64,
  validatorIndex: uint64,
  address: bytes20,
  amount: uint64,
});

const v1Fields = {
  parentHash: bytes32,
  feeRecipient: bytes20,
  stateRoot: bytes32,
  receiptsRoot: bytes32,
  logsBloom: bytes256,
  prevRandao: bytes32,
  blockNumber: uint64,
  gasLimit: uint64,
  gasUsed: uint64,
  timestamp: uint64,
  extraData: new ByteListType(extraDataBytesMax),
  baseFeePerGas: uint256,
  blockHash: bytes32,
  transactions: new ListCompositeType(new ByteListType(transactionBytesMax), transactionsCountMax),
};
const v2Fields = { ...v1Fields, withdrawals: new ListCompositeType(WithdrawalSsz, withdrawalsCountMax) };
const v3Fields = { ...v2Fields, blobGasUsed: uint64, excessBlobGas: uint64 };
const v4Fields = { ...v3Fields, withdrawalsRoot: bytes32 };

export const ExecutionPayloadV1Ssz = new ContainerType(v1Fields);
export const ExecutionPayloadV2Ssz = new ContainerType(v2Fields);
export const ExecutionPayloadV3Ssz = new ContainerType(v3Fields);
export const ExecutionPayloadV4Ssz = new ContainerType(v4Fields);

/** Go's `BlockVersion` (iota: V1 = 0 … V4 = 3); printed in some decode errors. */
export const BlockVersion = { V1: 0, V2: 1, V3: 2, V4: 3 } as const;
export type BlockVersion = (typeof BlockVersion)[keyof typeof BlockVersion];

/** Size of the fixed part of each version (Go's blockVnFixedPart). */
export const fixedPartBytes: Readonly<Record<BlockVersion, number>> = {
  0: ExecutionPayloadV1Ssz.minSize,
  1: ExecutionPayloadV2Ssz.minSize,
  2: ExecutionPayloadV3Ssz.minSize,
  3: ExecutionPayloadV4Ssz.minSize,
};
