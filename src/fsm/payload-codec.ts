/**
 * ExecutionPayloadEnvelope ⇄ SSZ exactly as op-service `eth/ssz.go` does it: the 32-byte
 * parentBeaconBlockRoot followed by the ExecutionPayload SSZ container (no version byte, no length).
 * These bytes are the Raft log entry data and the FSM snapshot, so they must be byte-identical to
 * what a Go conductor writes and reads (vectors in /work/shared/testdata/ssz).
 *
 * Invariants:
 * - Encode picks the version from the payload as Go's `inferVersion`: V4 if withdrawalsRoot is present
 *   and not the empty-trie hash, else V3 if both blob-gas fields are present, else V2 if withdrawals are
 *   present, else V1. So a V4 payload whose withdrawalsRoot is the empty-trie hash is written as V3 and
 *   its withdrawalsRoot is lost (Go quirk, preserved).
 * - Decode tries V4 then V3, as Go's FSM does; V1/V2 bytes never decode (they cannot be committed).
 *   When both fail the V3 error is reported, as in Go. Malformed input gets Go's error texts: Go's
 *   structural checks run first (cheap offset reads), then @chainsafe/ssz builds the value.
 * - validateSszForCommit returns the caller's bytes untouched (never re-encoded).
 */
import type { ByteViews } from '@chainsafe/ssz';
import { bytesToHex, type Hex } from 'viem';
import type { EncodedPayload } from '../consensus/consensus.ts';
import type { PayloadHead } from './envelope.ts';
import { PayloadCodecError } from './payload-codec-error.ts';
import { envelopeFromJson } from './payload-json.ts';
import {
  BlockVersion,
  ExecutionPayloadV1Ssz,
  ExecutionPayloadV2Ssz,
  ExecutionPayloadV3Ssz,
  ExecutionPayloadV4Ssz,
  fixedPartBytes,
  transactionsCountMax,
  withdrawalBytes,
  withdrawalsCountMax,
} from './payload-ssz-types.ts';
import type { ExecutionPayload, ExecutionPayloadEnvelope } from './payload-types.ts';

export { PayloadCodecError, PayloadCodecErrorCode } from './payload-codec-error.ts';
export { envelopeFromJson, envelopeToJson } from './payload-json.ts';
export { BlockVersion } from './payload-ssz-types.ts';
export type { ExecutionPayload, ExecutionPayloadEnvelope, Withdrawal } from './payload-types.ts';

const rootBytes = 32;
/** keccak256(rlp([])) — geth's EmptyWithdrawalsHash / EmptyRootHash. */
const EMPTY_TRIE_HASH = Uint8Array.from(
  Buffer.from('56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421', 'hex'),
);
const extraDataBytesMaxOnDecode = 32;

// Byte positions inside the payload fixed part (identical in every version).
const extraDataOffsetAt = 436;
const transactionsOffsetAt = 504;
const withdrawalsOffsetAt = 508;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Go's `inferVersion`. */
export function payloadVersion(p: ExecutionPayload): BlockVersion {
  if (p.withdrawalsRoot !== undefined && !bytesEqual(p.withdrawalsRoot, EMPTY_TRIE_HASH))
    return BlockVersion.V4;
  if (p.excessBlobGas !== undefined && p.blobGasUsed !== undefined) return BlockVersion.V3;
  if (p.withdrawals !== undefined) return BlockVersion.V2;
  return BlockVersion.V1;
}

function views(bytes: Uint8Array): ByteViews {
  return { uint8Array: bytes, dataView: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** SSZ of the envelope (root ‖ payload), byte-identical to Go's `ExecutionPayloadEnvelope.MarshalSSZ`. */
export function encodeEnvelope(env: ExecutionPayloadEnvelope): Uint8Array {
  if (env.parentBeaconBlockRoot === undefined || env.executionPayload === undefined) {
    throw new PayloadCodecError('MISSING_DATA', 'execution payload envelope is missing data');
  }
  if (env.parentBeaconBlockRoot.length !== rootBytes) {
    throw new PayloadCodecError('UNENCODABLE', 'unable to write parent beacon block hash');
  }
  const p = env.executionPayload;
  const version = payloadVersion(p);
  if (version >= BlockVersion.V2 && p.withdrawals === undefined) {
    // Go panics here ("fixed part size is inconsistent"); we refuse instead.
    throw new PayloadCodecError(
      'UNENCODABLE',
      'cannot encode payload with blob or isthmus fields but no withdrawals',
    );
  }
  if (version === BlockVersion.V4 && (p.blobGasUsed === undefined || p.excessBlobGas === undefined)) {
    throw new PayloadCodecError(
      'UNENCODABLE',
      'cannot encode ecotone payload without dencun header attributes',
    );
  }
  const base = {
    parentHash: p.parentHash,
    feeRecipient: p.feeRecipient,
    stateRoot: p.stateRoot,
    receiptsRoot: p.receiptsRoot,
    logsBloom: p.logsBloom,
    prevRandao: p.prevRandao,
    blockNumber: p.blockNumber,
    gasLimit: p.gasLimit,
    gasUsed: p.gasUsed,
    timestamp: p.timestamp,
    extraData: p.extraData,
    baseFeePerGas: p.baseFeePerGas,
    blockHash: p.blockHash,
    transactions: p.transactions as Uint8Array[],
  };
  try {
    switch (version) {
      case BlockVersion.V1:
        return withRoot(env.parentBeaconBlockRoot, ExecutionPayloadV1Ssz, base);
      case BlockVersion.V2:
        return withRoot(env.parentBeaconBlockRoot, ExecutionPayloadV2Ssz, {
          ...base,
          withdrawals: p.withdrawals as NonNullable<typeof p.withdrawals>[number][],
        });
      case BlockVersion.V3:
        return withRoot(env.parentBeaconBlockRoot, ExecutionPayloadV3Ssz, {
          ...base,
          withdrawals: p.withdrawals as NonNullable<typeof p.withdrawals>[number][],
          blobGasUsed: p.blobGasUsed as bigint,
          excessBlobGas: p.excessBlobGas as bigint,
        });
      default:
        return withRoot(env.parentBeaconBlockRoot, ExecutionPayloadV4Ssz, {
          ...base,
          withdrawals: p.withdrawals as NonNullable<typeof p.withdrawals>[number][],
          blobGasUsed: p.blobGasUsed as bigint,
          excessBlobGas: p.excessBlobGas as bigint,
          withdrawalsRoot: p.withdrawalsRoot as Uint8Array,
        });
    }
  } catch (e) {
    if (e instanceof PayloadCodecError) throw e;
    throw new PayloadCodecError('UNENCODABLE', `cannot encode execution payload: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

interface SszValueType<V> {
  value_serializedSize(value: V): number;
  value_serializeToBytes(output: ByteViews, offset: number, value: V): number;
}

function withRoot<V>(root: Uint8Array, type: SszValueType<V>, value: V): Uint8Array {
  const out = new Uint8Array(rootBytes + type.value_serializedSize(value));
  out.set(root, 0);
  type.value_serializeToBytes(views(out), rootBytes, value);
  return out;
}

/**
 * Go's `ExecutionPayload.UnmarshalSSZ` checks for one version, over payload bytes [start, end) of
 * `data`. Returns Go's error text, or undefined when Go would accept the layout.
 */
function goLayoutError(version: BlockVersion, dv: DataView, start: number, end: number): string | undefined {
  const scope = end - start;
  const fixed = fixedPartBytes[version];
  if (scope < fixed) return `scope too small to decode execution payload: ${scope}, version is: ${version}`;
  const u32 = (at: number) => dv.getUint32(start + at, true);
  const extraDataOffset = u32(extraDataOffsetAt);
  if (extraDataOffset !== fixed) return `unexpected extra data offset: ${extraDataOffset} <> ${fixed}`;
  const txOffset = u32(transactionsOffsetAt);
  if (txOffset < extraDataOffset) return 'transactions offset is smaller than extra data offset, aborting';
  let wdOffset = scope;
  if (version >= BlockVersion.V2) {
    wdOffset = u32(withdrawalsOffsetAt);
    if (wdOffset < txOffset) return 'withdrawals offset is smaller than transaction offset, aborting';
    if (wdOffset > scope) return `withdrawals offset is too large: ${wdOffset}`;
  }
  if (txOffset > extraDataOffset + extraDataBytesMaxOnDecode || txOffset > scope) {
    return `extra-data is too large: ${txOffset - extraDataOffset}`;
  }
  const txErr = goTransactionsError(dv, start + txOffset, start + wdOffset);
  if (txErr !== undefined) return `failed to unmarshal transactions list: ${txErr}`;
  if (version >= BlockVersion.V2) {
    const wdBytes = scope - wdOffset;
    if (wdBytes % withdrawalBytes !== 0)
      return 'failed to unmarshal withdrawals list: invalid withdrawals data';
    const count = wdBytes / withdrawalBytes;
    if (count > withdrawalsCountMax) {
      return `failed to unmarshal withdrawals list: too many withdrawals: ${count} > ${withdrawalsCountMax}`;
    }
  }
  return undefined;
}

/** Go's `unmarshalTransactions` offset checks over [start, end). */
function goTransactionsError(dv: DataView, start: number, end: number): string | undefined {
  const scope = end - start;
  if (scope === 0) return undefined;
  if (scope < 4) return `not enough scope to read first tx offset: ${scope}`;
  const first = dv.getUint32(start, true);
  if (first % 4 !== 0) return `invalid first tx offset: ${first}, not a multiple of offset size`;
  if (first > scope) return `invalid first tx offset: ${first}, out of scope ${scope}`;
  const count = first / 4;
  if (count === 0) return `invalid first tx offset: ${first}, no transactions in scope ${scope}`;
  if (count > transactionsCountMax) return `too many transactions: ${count} > ${transactionsCountMax}`;
  let current = first;
  for (let i = 0; i < count; i++) {
    const next = i + 1 < count ? dv.getUint32(start + 4 * (i + 1), true) : scope;
    if (next < current || next > scope) {
      return `tx ${i} has bad next offset: ${next}, current is ${current}, scope is ${scope}`;
    }
    current = next;
  }
  return undefined;
}

function decodeAs(version: BlockVersion, bytes: Uint8Array): ExecutionPayload {
  const v = views(bytes);
  const layoutErr = goLayoutError(version, v.dataView, rootBytes, bytes.length);
  if (layoutErr !== undefined) throw new PayloadCodecError('INVALID_SSZ', layoutErr);
  try {
    if (version === BlockVersion.V4) {
      return ExecutionPayloadV4Ssz.value_deserializeFromBytes(v, rootBytes, bytes.length);
    }
    // V3: Go leaves withdrawalsRoot nil.
    return ExecutionPayloadV3Ssz.value_deserializeFromBytes(v, rootBytes, bytes.length);
  } catch (e) {
    throw new PayloadCodecError('INVALID_SSZ', (e as Error).message, { cause: e });
  }
}

/** Decodes Raft entry / snapshot bytes: V4 first, then V3 (Go's FSM). Throws PayloadCodecError. */
export function decodeEnvelope(bytes: Uint8Array): ExecutionPayloadEnvelope {
  if (bytes.length < rootBytes) {
    throw new PayloadCodecError(
      'INVALID_SSZ',
      `scope too small to decode execution payload: ${bytes.length}`,
    );
  }
  let payload: ExecutionPayload;
  try {
    payload = decodeAs(BlockVersion.V4, bytes);
  } catch {
    payload = decodeAs(BlockVersion.V3, bytes);
  }
  return { parentBeaconBlockRoot: bytes.slice(0, rootBytes), executionPayload: payload };
}

export function payloadHead(env: ExecutionPayloadEnvelope): PayloadHead {
  const p = env.executionPayload;
  return { blockNumber: p.blockNumber, blockHash: bytesToHex(p.blockHash), timestamp: p.timestamp };
}

/**
 * JSON envelope (as `conductor_commitUnsafePayload` receives it) → the bytes to replicate. Refuses
 * what the FSM could not apply: payloads that encode as V1/V2 fail with the error Go's FSM would return.
 */
export function encodePayloadForCommit(json: unknown): EncodedPayload {
  const env = envelopeFromJson(json);
  const ssz = encodeEnvelope(env);
  if (payloadVersion(env.executionPayload) < BlockVersion.V3) decodeEnvelope(ssz);
  const p = env.executionPayload;
  return { ssz, blockNumber: p.blockNumber, blockHash: bytesToHex(p.blockHash) as Hex };
}

/** Validates SSZ received for commit (binary endpoint) by decoding it; returns the SAME bytes. */
export function validateSszForCommit(bytes: Uint8Array): EncodedPayload {
  const env = decodeEnvelope(bytes);
  const p = env.executionPayload;
  return { ssz: bytes, blockNumber: p.blockNumber, blockHash: bytesToHex(p.blockHash) };
}
