/**
 * Worker thread: parses large JSON-RPC bodies and SSZ-encodes commit payloads off the RPC thread
 * (decode-json-body.ts), so `conductor_leader` keeps answering in milliseconds while multi-MB commits
 * arrive. The encoded SSZ goes back as a transferred buffer, never copied.
 */
import { parentPort } from 'node:worker_threads';
import { decodeJsonBody } from './decode-json-body.ts';
import type { DecodeRequest, EncodedWire } from './protocol.ts';

function transferOf(encoded: EncodedWire | undefined): ArrayBuffer[] {
  const buf = encoded?.ssz.buffer;
  return buf instanceof ArrayBuffer && encoded && encoded.ssz.byteLength === buf.byteLength ? [buf] : [];
}

const port = parentPort;
if (!port) throw new Error('decode-worker must run in a worker thread');
port.on('message', (req: DecodeRequest) => {
  const res = decodeJsonBody(req.seq, req.body);
  port.postMessage(res, transferOf(res.kind === 'commit' ? res.message.encoded : undefined));
});
