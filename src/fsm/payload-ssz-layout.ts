/**
 * The structure of envelope SSZ (32-byte parentBeaconBlockRoot ‖ ExecutionPayload) read without
 * building the payload: Go's layout checks (op-service `eth/ssz.go` UnmarshalSSZ), the committable
 * version, and the head facts at their fixed positions.
 *
 * Invariants:
 * - `layoutError` returns Go's error text for a version, or undefined when Go accepts the layout.
 * - `committableVersion(bytes)` is defined exactly when the full decoder (`decodeEnvelope`: V4, then
 *   V3, each Go's checks then @chainsafe/ssz) accepts the bytes: beyond Go's checks @chainsafe/ssz
 *   only refuses a transaction longer than `transactionBytesMax`, which is checked here too. A
 *   property test holds the two equal over mutated payloads.
 * - The head fields sit at the same positions in every version (they precede the first difference),
 *   so `headAt` needs no version; it is meaningful only for bytes `committableVersion` accepts.
 * - Reads only offsets and a few fixed fields: O(transactions) 4-byte reads, no allocation of payload
 *   size, no copy.
 */
import type { PayloadHead } from './envelope.ts';
import {
  BlockVersion,
  extraDataBytesMax,
  fixedPartBytes,
  transactionBytesMax,
  transactionsCountMax,
  withdrawalBytes,
  withdrawalsCountMax,
} from './payload-ssz-types.ts';

/** parentBeaconBlockRoot, written before the payload. */
export const rootBytes = 32;

// Byte positions inside the payload fixed part (identical in every version).
const blockNumberAt = 404;
const timestampAt = 428;
export const extraDataOffsetAt = 436;
const blockHashAt = 472;
const blockHashBytes = 32;
export const transactionsOffsetAt = 504;
export const withdrawalsOffsetAt = 508;
const offsetBytes = 4;

/** Versions the FSM accepts, in the order Go's FSM tries them. */
export type CommittableVersion = typeof BlockVersion.V4 | typeof BlockVersion.V3;

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Go's `ExecutionPayload.UnmarshalSSZ` checks for one version, over payload bytes [start, end) of
 * `dv`. Returns Go's error text, or undefined when Go would accept the layout.
 */
export function layoutError(
  version: BlockVersion,
  dv: DataView,
  start: number,
  end: number,
): string | undefined {
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
  if (txOffset > extraDataOffset + extraDataBytesMax || txOffset > scope) {
    return `extra-data is too large: ${txOffset - extraDataOffset}`;
  }
  const txErr = transactionsError(dv, start + txOffset, start + wdOffset);
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
function transactionsError(dv: DataView, start: number, end: number): string | undefined {
  const scope = end - start;
  if (scope === 0) return undefined;
  if (scope < offsetBytes) return `not enough scope to read first tx offset: ${scope}`;
  const first = dv.getUint32(start, true);
  if (first % offsetBytes !== 0) return `invalid first tx offset: ${first}, not a multiple of offset size`;
  if (first > scope) return `invalid first tx offset: ${first}, out of scope ${scope}`;
  const count = first / offsetBytes;
  if (count === 0) return `invalid first tx offset: ${first}, no transactions in scope ${scope}`;
  if (count > transactionsCountMax) return `too many transactions: ${count} > ${transactionsCountMax}`;
  let current = first;
  for (let i = 0; i < count; i++) {
    const next = i + 1 < count ? dv.getUint32(start + offsetBytes * (i + 1), true) : scope;
    if (next < current || next > scope) {
      return `tx ${i} has bad next offset: ${next}, current is ${current}, scope is ${scope}`;
    }
    current = next;
  }
  return undefined;
}

/**
 * The one check @chainsafe/ssz adds to a layout Go accepts: no transaction over `transactionBytesMax`.
 * Only meaningful after `layoutError` returned undefined (offsets are then in range and ordered).
 */
function hasOversizedTransaction(version: BlockVersion, dv: DataView, start: number, end: number): boolean {
  const txStart = start + dv.getUint32(start + transactionsOffsetAt, true);
  const txEnd = version >= BlockVersion.V2 ? start + dv.getUint32(start + withdrawalsOffsetAt, true) : end;
  if (txEnd === txStart) return false;
  const count = dv.getUint32(txStart, true) / offsetBytes;
  for (let i = 0; i < count; i++) {
    const from = dv.getUint32(txStart + offsetBytes * i, true);
    const to = i + 1 < count ? dv.getUint32(txStart + offsetBytes * (i + 1), true) : txEnd - txStart;
    if (to - from > transactionBytesMax) return true;
  }
  return false;
}

function accepts(version: BlockVersion, dv: DataView, end: number): boolean {
  return (
    layoutError(version, dv, rootBytes, end) === undefined &&
    !hasOversizedTransaction(version, dv, rootBytes, end)
  );
}

/** The version the full decoder would decode `bytes` as (V4 first, then V3), or undefined if it refuses them. */
export function committableVersion(bytes: Uint8Array): CommittableVersion | undefined {
  if (bytes.length < rootBytes) return undefined;
  const dv = dataView(bytes);
  if (accepts(BlockVersion.V4, dv, bytes.length)) return BlockVersion.V4;
  if (accepts(BlockVersion.V3, dv, bytes.length)) return BlockVersion.V3;
  return undefined;
}

/** Block number, hash and timestamp of envelope bytes `committableVersion` accepted (no copy of the payload). */
export function headAt(bytes: Uint8Array): PayloadHead {
  const dv = dataView(bytes);
  const hashAt = bytes.byteOffset + rootBytes + blockHashAt;
  return {
    blockNumber: dv.getBigUint64(rootBytes + blockNumberAt, true),
    blockHash: `0x${Buffer.from(bytes.buffer, hashAt, blockHashBytes).toString('hex')}`,
    timestamp: dv.getBigUint64(rootBytes + timestampAt, true),
  };
}
