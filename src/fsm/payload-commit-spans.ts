/**
 * encodePayloadForCommit for an envelope whose transactions are hex text at byte ranges of a buffer (a
 * JSON-RPC request body), assembled straight into the output: the envelope without transactions is encoded
 * by the ordinary codec (a few hundred bytes), and the transaction section is spliced in with every
 * transaction hex-decoded directly into place. No per-transaction buffer, no intermediate copy of the
 * payload, no megabyte-sized JS strings.
 *
 * Invariants:
 * - The result is byte for byte what encodePayloadForCommit returns for the same envelope with
 *   `transactions[i]` = the text at [spans[2i], spans[2i+1]) of `text` (ASCII), or undefined. It is
 *   undefined whenever that call would throw (and in no other case); callers then run encodePayloadForCommit
 *   and get its exact error.
 * - Transaction text is held to parseBytes' rules: `0x`/`0X` prefix, even length, hex digits only.
 * - One allocation of the output's size (its own ArrayBuffer, so it can be transferred); every byte of it is
 *   written.
 */
import { bytesToHex } from 'viem';
import type { EncodedPayload } from '../consensus/consensus.ts';
import { encodeEnvelope, envelopeFromJson, payloadVersion } from './payload-codec.ts';
import { rootBytes, transactionsOffsetAt, withdrawalsOffsetAt } from './payload-ssz-layout.ts';
import { BlockVersion, transactionsCountMax } from './payload-ssz-types.ts';

const offsetBytes = 4;
const hexPrefixChars = 2;
const ZERO = 0x30;
const LOWER_X = 0x78;
const CASE_BIT = 0x20;
/** Hex is decoded in slices of this many characters, so the temporary strings stay small (young heap). */
const hexSliceChars = 32 * 1024;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes hex digits text[start, end) (even length) into out at `at`; false if any is not a hex digit. */
function decodeHexInto(text: Buffer, start: number, end: number, out: Buffer, at: number): boolean {
  for (let from = start; from < end; from += hexSliceChars) {
    const to = Math.min(end, from + hexSliceChars);
    const want = (to - from) / 2;
    // Node's hex decoder stops at the first pair that is not two hex digits.
    if (out.write(text.toString('latin1', from, to), at, want, 'hex') !== want) return false;
    at += want;
  }
  return true;
}

/**
 * The commit SSZ of `envelope` (JSON, its `executionPayload.transactions` ignored) with the transactions at
 * `spans` (start/end pairs, each the whole string content including `0x`) of `text`; undefined when
 * encodePayloadForCommit would refuse it.
 */
export function encodeCommitFromTxSpans(
  envelope: unknown,
  text: Buffer,
  spans: Uint32Array,
): EncodedPayload | undefined {
  if (!isRecord(envelope) || !isRecord(envelope.executionPayload)) return undefined;
  const count = spans.length / 2;
  if (count > transactionsCountMax) return undefined;
  let txBytes = 0;
  for (let i = 0; i < count; i++) {
    const start = spans[2 * i] as number;
    const chars = (spans[2 * i + 1] as number) - start;
    if (chars < hexPrefixChars || chars % 2 !== 0) return undefined;
    if (text[start] !== ZERO || ((text[start + 1] as number) | CASE_BIT) !== LOWER_X) return undefined;
    txBytes += (chars - hexPrefixChars) / 2;
  }
  let shell: Uint8Array;
  let blockNumber: bigint;
  let blockHash: Uint8Array;
  try {
    const env = envelopeFromJson({
      ...envelope,
      executionPayload: { ...envelope.executionPayload, transactions: [] },
    });
    if (payloadVersion(env.executionPayload) < BlockVersion.V3) return undefined;
    shell = encodeEnvelope(env);
    blockNumber = env.executionPayload.blockNumber;
    blockHash = env.executionPayload.blockHash;
  } catch {
    return undefined;
  }
  // V3+: [root][fixed part][extraData][transactions (empty in the shell)][withdrawals]
  const shellView = new DataView(shell.buffer, shell.byteOffset, shell.byteLength);
  const txAt = rootBytes + shellView.getUint32(rootBytes + transactionsOffsetAt, true);
  const section = offsetBytes * count + txBytes;
  const out = Buffer.allocUnsafeSlow(shell.length + section);
  out.set(shell.subarray(0, txAt), 0);
  out.set(shell.subarray(txAt), txAt + section);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const withdrawalsOffset = shellView.getUint32(rootBytes + withdrawalsOffsetAt, true);
  view.setUint32(rootBytes + withdrawalsOffsetAt, withdrawalsOffset + section, true);
  let offset = offsetBytes * count;
  for (let i = 0; i < count; i++) {
    const start = (spans[2 * i] as number) + hexPrefixChars;
    const end = spans[2 * i + 1] as number;
    view.setUint32(txAt + offsetBytes * i, offset, true);
    if (!decodeHexInto(text, start, end, out, txAt + offset)) return undefined;
    offset += (end - start) / 2;
  }
  return { ssz: out, blockNumber, blockHash: bytesToHex(blockHash) };
}
