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
 *   structural checks run first (cheap offset reads, payload-ssz-layout.ts), then @chainsafe/ssz
 *   builds the value.
 * - envelopeHead accepts and refuses exactly what decodeEnvelope does, with the same error, but reads
 *   only offsets and the head fields: the hot paths (FSM apply, binary commit) never materialise
 *   transactions. validateSszForCommit returns the caller's bytes untouched (never copied or re-encoded).
 */
import type { ByteViews } from '@chainsafe/ssz';
import { bytesToHex, type Hex } from 'viem';
import type { EncodedPayload } from '../consensus/consensus.ts';
import type { PayloadHead } from './envelope.ts';
import { PayloadCodecError } from './payload-codec-error.ts';
import { envelopeFromJson } from './payload-json.ts';
import { committableVersion, headAt, layoutError, rootBytes } from './payload-ssz-layout.ts';
import {
  BlockVersion,
  ExecutionPayloadV1Ssz,
  ExecutionPayloadV2Ssz,
  ExecutionPayloadV3Ssz,
  ExecutionPayloadV4Ssz,
} from './payload-ssz-types.ts';
import type { ExecutionPayload, ExecutionPayloadEnvelope } from './payload-types.ts';

export { PayloadCodecError, PayloadCodecErrorCode } from './payload-codec-error.ts';
export { envelopeFromJson, envelopeToJson } from './payload-json.ts';
export { BlockVersion } from './payload-ssz-types.ts';
export type { ExecutionPayload, ExecutionPayloadEnvelope, Withdrawal } from './payload-types.ts';

/** keccak256(rlp([])) — geth's EmptyWithdrawalsHash / EmptyRootHash. */
const EMPTY_TRIE_HASH = Uint8Array.from(
  Buffer.from('56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421', 'hex'),
);
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

function decodeAs(version: BlockVersion, bytes: Uint8Array): ExecutionPayload {
  const v = views(bytes);
  const layoutErr = layoutError(version, v.dataView, rootBytes, bytes.length);
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

/**
 * The head of envelope SSZ after the same validation decodeEnvelope does, without decoding the payload.
 * Throws decodeEnvelope's PayloadCodecError for anything it refuses (the refusal path decodes in full, so
 * the error is the decoder's own).
 */
export function envelopeHead(bytes: Uint8Array): PayloadHead {
  if (committableVersion(bytes) !== undefined) return headAt(bytes);
  return payloadHead(decodeEnvelope(bytes));
}

/** Validates SSZ received for commit (binary endpoint) structurally; returns the SAME bytes. */
export function validateSszForCommit(bytes: Uint8Array): EncodedPayload {
  const head = envelopeHead(bytes);
  return { ssz: bytes, blockNumber: head.blockNumber, blockHash: head.blockHash };
}
