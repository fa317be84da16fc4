/**
 * ExecutionPayloadEnvelope JSON (op-service `eth/types.go` shape) ⇄ decoded form.
 *
 * Parsing is as strict as Go's hexutil where it matters for byte-identical SSZ: fixed-size byte fields
 * must have exactly their length, byte strings need the 0x prefix and an even number of digits,
 * quantities are 0x-prefixed without leading zeros and within 64 (or 256) bits. Absent/null optional
 * fields stay absent (they select the block version). A missing parentBeaconBlockRoot or payload is
 * Go's `execution payload envelope is missing data`. Output is lowercase hex, as Go writes it.
 * Hex conversion is viem's; this module only checks shapes.
 */
import { bytesToHex, type Hex, hexToBigInt, toHex } from 'viem';
import type { ExecutionPayloadEnvelopeJson, ExecutionPayloadJson, WithdrawalJson } from './envelope.ts';
import { missingDataText, PayloadCodecError } from './payload-codec-error.ts';
import { extraDataBytesMax, transactionsCountMax, withdrawalsCountMax } from './payload-ssz-types.ts';
import type { ExecutionPayload, ExecutionPayloadEnvelope, Withdrawal } from './payload-types.ts';

const uint64BitsMax = 64;
const uint256BitsMax = 256;
/** hexutil's quantity syntax: `0x0` or no leading zero digit. */
const QUANTITY_RE = /^0x(?:0|[1-9a-fA-F][0-9a-fA-F]*)$/;

function invalid(field: string, reason: string): PayloadCodecError {
  return new PayloadCodecError('INVALID_JSON', `invalid ${field}: ${reason}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseBytes(v: unknown, field: string): Uint8Array {
  if (typeof v !== 'string') throw invalid(field, 'expected a 0x-prefixed hex string');
  if (!v.startsWith('0x') && !v.startsWith('0X')) throw invalid(field, 'not a 0x-prefixed hex string');
  if (v.length % 2 !== 0) throw invalid(field, 'hex string of odd length');
  // Node's native hex decoder (~40x faster than a JS loop on 2 MB payloads) stops at the first
  // non-hex pair, so a short result means the string was not hex.
  const b = Buffer.from(v.slice(2), 'hex');
  if (b.length * 2 !== v.length - 2) throw invalid(field, 'not a 0x-prefixed hex string');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

function parseFixedBytes(v: unknown, field: string, length: number): Uint8Array {
  const b = parseBytes(v, field);
  if (b.length !== length) throw invalid(field, `expected ${length} bytes, got ${b.length}`);
  return b;
}

function parseQuantity(v: unknown, field: string, bitsMax: number): bigint {
  if (typeof v !== 'string') throw invalid(field, 'expected a hex quantity string');
  if (!QUANTITY_RE.test(v)) throw invalid(field, 'not a hex quantity (0x prefix, no leading zeros)');
  const n = hexToBigInt(v as Hex);
  if (n >> BigInt(bitsMax) !== 0n) throw invalid(field, `exceeds ${bitsMax} bits`);
  return n;
}

const parseU64 = (v: unknown, field: string): bigint => parseQuantity(v, field, uint64BitsMax);

function parseWithdrawal(v: unknown, field: string): Withdrawal {
  if (!isRecord(v)) throw invalid(field, 'expected an object');
  return {
    index: parseU64(v.index, `${field}.index`),
    validatorIndex: parseU64(v.validatorIndex, `${field}.validatorIndex`),
    address: parseFixedBytes(v.address, `${field}.address`, 20),
    amount: parseU64(v.amount, `${field}.amount`),
  };
}

/** Decodes the `executionPayload` object (field paths in errors are prefixed with `prefix`). */
export function payloadFromJson(v: unknown, prefix = 'executionPayload'): ExecutionPayload {
  if (!isRecord(v)) throw invalid(prefix, 'expected an object');
  const f = (name: string) => `${prefix}.${name}`;
  const extraData = parseBytes(v.extraData, f('extraData'));
  if (extraData.length > extraDataBytesMax) {
    throw invalid(f('extraData'), `${extraData.length} bytes exceeds ${extraDataBytesMax}`);
  }
  const txs = v.transactions;
  if (!Array.isArray(txs)) throw invalid(f('transactions'), 'expected an array');
  if (txs.length > transactionsCountMax)
    throw invalid(f('transactions'), `more than ${transactionsCountMax}`);
  const transactions = txs.map((tx, i) => parseBytes(tx, `${f('transactions')}[${i}]`));

  const payload: {
    -readonly [K in keyof ExecutionPayload]: ExecutionPayload[K];
  } = {
    parentHash: parseFixedBytes(v.parentHash, f('parentHash'), 32),
    feeRecipient: parseFixedBytes(v.feeRecipient, f('feeRecipient'), 20),
    stateRoot: parseFixedBytes(v.stateRoot, f('stateRoot'), 32),
    receiptsRoot: parseFixedBytes(v.receiptsRoot, f('receiptsRoot'), 32),
    logsBloom: parseFixedBytes(v.logsBloom, f('logsBloom'), 256),
    prevRandao: parseFixedBytes(v.prevRandao, f('prevRandao'), 32),
    blockNumber: parseU64(v.blockNumber, f('blockNumber')),
    gasLimit: parseU64(v.gasLimit, f('gasLimit')),
    gasUsed: parseU64(v.gasUsed, f('gasUsed')),
    timestamp: parseU64(v.timestamp, f('timestamp')),
    extraData,
    baseFeePerGas: parseQuantity(v.baseFeePerGas, f('baseFeePerGas'), uint256BitsMax),
    blockHash: parseFixedBytes(v.blockHash, f('blockHash'), 32),
    transactions,
  };
  if (v.withdrawals !== undefined && v.withdrawals !== null) {
    const ws = v.withdrawals;
    if (!Array.isArray(ws)) throw invalid(f('withdrawals'), 'expected an array');
    if (ws.length > withdrawalsCountMax) {
      throw invalid(f('withdrawals'), `${ws.length} exceeds ${withdrawalsCountMax}`);
    }
    payload.withdrawals = ws.map((w, i) => parseWithdrawal(w, `${f('withdrawals')}[${i}]`));
  }
  if (v.blobGasUsed !== undefined && v.blobGasUsed !== null) {
    payload.blobGasUsed = parseU64(v.blobGasUsed, f('blobGasUsed'));
  }
  if (v.excessBlobGas !== undefined && v.excessBlobGas !== null) {
    payload.excessBlobGas = parseU64(v.excessBlobGas, f('excessBlobGas'));
  }
  if (v.withdrawalsRoot !== undefined && v.withdrawalsRoot !== null) {
    payload.withdrawalsRoot = parseFixedBytes(v.withdrawalsRoot, f('withdrawalsRoot'), 32);
  }
  return payload;
}

/**
 * Decodes an envelope as `conductor_commitUnsafePayload` receives it. Throws PayloadCodecError;
 * a missing/null parentBeaconBlockRoot or executionPayload is Go's ErrMissingData.
 */
export function envelopeFromJson(json: unknown): ExecutionPayloadEnvelope {
  if (!isRecord(json)) throw invalid('envelope', 'expected an object');
  const root = json.parentBeaconBlockRoot;
  const payload = json.executionPayload;
  if (root === undefined || root === null || payload === undefined || payload === null) {
    throw new PayloadCodecError('MISSING_DATA', missingDataText);
  }
  return {
    parentBeaconBlockRoot: parseFixedBytes(root, 'parentBeaconBlockRoot', 32),
    executionPayload: payloadFromJson(payload),
  };
}

function withdrawalToJson(w: Withdrawal): WithdrawalJson {
  return {
    index: toHex(w.index),
    validatorIndex: toHex(w.validatorIndex),
    address: bytesToHex(w.address),
    amount: toHex(w.amount),
  };
}

export function payloadToJson(p: ExecutionPayload): ExecutionPayloadJson {
  return {
    parentHash: bytesToHex(p.parentHash),
    feeRecipient: bytesToHex(p.feeRecipient),
    stateRoot: bytesToHex(p.stateRoot),
    receiptsRoot: bytesToHex(p.receiptsRoot),
    logsBloom: bytesToHex(p.logsBloom),
    prevRandao: bytesToHex(p.prevRandao),
    blockNumber: toHex(p.blockNumber),
    gasLimit: toHex(p.gasLimit),
    gasUsed: toHex(p.gasUsed),
    timestamp: toHex(p.timestamp),
    extraData: bytesToHex(p.extraData),
    baseFeePerGas: toHex(p.baseFeePerGas),
    blockHash: bytesToHex(p.blockHash),
    transactions: p.transactions.map((tx) => bytesToHex(tx)),
    // Go's `omitempty` on pointer fields: absent (nil) is omitted, an empty list is kept.
    ...(p.withdrawals !== undefined && { withdrawals: p.withdrawals.map(withdrawalToJson) }),
    ...(p.blobGasUsed !== undefined && { blobGasUsed: toHex(p.blobGasUsed) }),
    ...(p.excessBlobGas !== undefined && { excessBlobGas: toHex(p.excessBlobGas) }),
    ...(p.withdrawalsRoot !== undefined && { withdrawalsRoot: bytesToHex(p.withdrawalsRoot) }),
  };
}

/** The op-service JSON shape (what `admin_postUnsafePayload` sends and `latestUnsafePayload` returns). */
export function envelopeToJson(env: ExecutionPayloadEnvelope): ExecutionPayloadEnvelopeJson {
  return {
    parentBeaconBlockRoot: bytesToHex(env.parentBeaconBlockRoot),
    executionPayload: payloadToJson(env.executionPayload),
  };
}
