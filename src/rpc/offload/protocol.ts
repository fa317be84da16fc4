/**
 * Messages between the RPC thread and the payload decode workers. Pure data (structured-clone safe);
 * byte buffers are never copied between threads: a request body is a view of a SharedArrayBuffer (or of a
 * transferred ArrayBuffer), the encoded SSZ comes back as a transferred ArrayBuffer.
 */
export interface DecodeRequest {
  readonly seq: number;
  /** The JSON-RPC body. The worker must not keep it: a shared buffer is reused once the answer is sent. */
  readonly body: Uint8Array;
}

export interface EncodedWire {
  readonly ssz: Uint8Array;
  readonly blockNumber: bigint;
  readonly blockHash: `0x${string}`;
}

export interface CodecErrorWire {
  /** PayloadCodecError code, or undefined for any other error. */
  readonly code: string | undefined;
  readonly message: string;
}

export type DecodeResponse =
  /** A single `conductor_commitUnsafePayload` call whose payload was encoded in the worker. */
  | { readonly seq: number; readonly kind: 'commit'; readonly message: CommitMessageWire }
  /** Valid JSON of any other shape: the RPC thread parses it itself (rare for large bodies). */
  | { readonly seq: number; readonly kind: 'other' }
  | { readonly seq: number; readonly kind: 'parse-error' };

export interface CommitMessageWire {
  readonly jsonrpc: unknown;
  readonly hasId: boolean;
  readonly id: unknown;
  readonly method: string;
  readonly encoded?: EncodedWire;
  readonly error?: CodecErrorWire;
}
