/**
 * What the decode worker does with a JSON-RPC body: parse it and, for a commit call, SSZ-encode the payload.
 * Pure (no thread plumbing), so it is tested in-process.
 *
 * Invariants:
 * - Only a single `conductor_commitUnsafePayload` call with exactly one object param is handled here; every
 *   other body is answered `other` and handled by the ordinary dispatcher on the RPC thread, so JSON-RPC
 *   semantics live in one place.
 * - `decodeJsonBody` answers exactly what `decodeJsonBodyExact` answers (JSON.parse of the whole body, then
 *   encodePayloadForCommit), in less time: `decodeCommitFast` lifts the transactions array out of the text
 *   (json-skeleton.ts), parses only the rest and hex-decodes the transactions straight into the SSZ
 *   (payload-commit-spans.ts). It only answers a commit it has fully encoded; anything else (bad JSON, a
 *   codec error, an unusual body) declines and the exact path answers, with the exact error.
 */
import { encodePayloadForCommit } from '../../fsm/payload-codec.ts';
import { PayloadCodecError } from '../../fsm/payload-codec-error.ts';
import { encodeCommitFromTxSpans } from '../../fsm/payload-commit-spans.ts';
import { liftStringArrays, placeholderIndex } from './json-skeleton.ts';
import type { CodecErrorWire, CommitMessageWire, DecodeResponse } from './protocol.ts';

const COMMIT_METHOD = 'conductor_commitUnsafePayload';

type CallBase = Pick<CommitMessageWire, 'jsonrpc' | 'hasId' | 'id' | 'method'>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function codecError(e: unknown): CodecErrorWire {
  return {
    code: e instanceof PayloadCodecError ? e.code : undefined,
    message: e instanceof Error ? e.message : String(e),
  };
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** The commit call in a parsed body: its envelope param and the message fields the answer echoes. */
function commitCall(parsed: unknown): { base: CallBase; payload: Record<string, unknown> } | undefined {
  if (!isRecord(parsed)) return undefined;
  const params = parsed.params;
  const payload = Array.isArray(params) && params.length === 1 ? params[0] : undefined;
  if (parsed.method !== COMMIT_METHOD || !isRecord(payload)) return undefined;
  return {
    base: {
      jsonrpc: parsed.jsonrpc,
      hasId: Object.hasOwn(parsed, 'id'),
      id: parsed.id,
      method: COMMIT_METHOD,
    },
    payload,
  };
}

/** JSON.parse of the whole body, then the codec: the reference answer. */
export function decodeJsonBodyExact(seq: number, body: Uint8Array): DecodeResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(asBuffer(body).toString('utf8'));
  } catch {
    return { seq, kind: 'parse-error' };
  }
  const call = commitCall(parsed);
  if (!call) return { seq, kind: 'other' };
  try {
    const e = encodePayloadForCommit(call.payload);
    return {
      seq,
      kind: 'commit',
      message: { ...call.base, encoded: { ssz: e.ssz, blockNumber: e.blockNumber, blockHash: e.blockHash } },
    };
  } catch (e) {
    return { seq, kind: 'commit', message: { ...call.base, error: codecError(e) } };
  }
}

/** A successfully encoded commit without parsing the transaction strings, or undefined (ask the exact path). */
export function decodeCommitFast(seq: number, body: Uint8Array): DecodeResponse | undefined {
  const text = asBuffer(body);
  const skeleton = liftStringArrays(text);
  // Exactly one lifted array, and it must turn out to be the transactions (see json-skeleton.ts).
  if (skeleton?.arrays.length !== 1) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(skeleton.text);
  } catch {
    return undefined;
  }
  const call = commitCall(parsed);
  const payload = call?.payload.executionPayload;
  if (!call || !isRecord(payload) || placeholderIndex(payload.transactions) !== 0) return undefined;
  const e = encodeCommitFromTxSpans(call.payload, text, skeleton.arrays[0] as Uint32Array);
  if (!e) return undefined;
  return {
    seq,
    kind: 'commit',
    message: { ...call.base, encoded: { ssz: e.ssz, blockNumber: e.blockNumber, blockHash: e.blockHash } },
  };
}

export function decodeJsonBody(seq: number, body: Uint8Array): DecodeResponse {
  return decodeCommitFast(seq, body) ?? decodeJsonBodyExact(seq, body);
}
