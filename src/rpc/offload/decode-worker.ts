/**
 * Worker thread: parses large JSON-RPC bodies and SSZ-encodes commit payloads off the RPC thread, so
 * `conductor_leader` keeps answering in milliseconds while multi-MB commits arrive.
 *
 * Invariant: only a single `conductor_commitUnsafePayload` call with exactly one object param is handled
 * here; every other body is answered `other` and handled by the ordinary dispatcher on the RPC thread,
 * so JSON-RPC semantics live in one place.
 */
import { parentPort } from 'node:worker_threads';
import { encodePayloadForCommit } from '../../fsm/payload-codec.ts';
import { PayloadCodecError } from '../../fsm/payload-codec-error.ts';
import type { CodecErrorWire, DecodeRequest, DecodeResponse, EncodedWire } from './protocol.ts';

const COMMIT_METHOD = 'conductor_commitUnsafePayload';

function codecError(e: unknown): CodecErrorWire {
  return {
    code: e instanceof PayloadCodecError ? e.code : undefined,
    message: e instanceof Error ? e.message : String(e),
  };
}

function transferOf(encoded: EncodedWire | undefined): ArrayBuffer[] {
  const buf = encoded?.ssz.buffer;
  return buf instanceof ArrayBuffer && encoded && encoded.ssz.byteLength === buf.byteLength ? [buf] : [];
}

function handleJson(seq: number, body: Uint8Array): DecodeResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return { seq, kind: 'parse-error' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { seq, kind: 'other' };
  const m = parsed as Record<string, unknown>;
  const params = m.params;
  const payload = Array.isArray(params) && params.length === 1 ? params[0] : undefined;
  if (
    m.method !== COMMIT_METHOD ||
    payload === null ||
    typeof payload !== 'object' ||
    Array.isArray(payload)
  ) {
    return { seq, kind: 'other' };
  }
  const base = { jsonrpc: m.jsonrpc, hasId: Object.hasOwn(m, 'id'), id: m.id, method: COMMIT_METHOD };
  try {
    const e = encodePayloadForCommit(payload);
    return {
      seq,
      kind: 'commit',
      message: { ...base, encoded: { ssz: e.ssz, blockNumber: e.blockNumber, blockHash: e.blockHash } },
    };
  } catch (e) {
    return { seq, kind: 'commit', message: { ...base, error: codecError(e) } };
  }
}

const port = parentPort;
if (!port) throw new Error('decode-worker must run in a worker thread');
port.on('message', (req: DecodeRequest) => {
  const res = handleJson(req.seq, req.body);
  port.postMessage(res, transferOf(res.kind === 'commit' ? res.message.encoded : undefined));
});
