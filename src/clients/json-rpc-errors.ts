/**
 * Errors of the JSON-RPC clients. A server-side JSON-RPC error keeps the server's code, text and data
 * untouched (callers match on them: -32601 "method not found", `sequencer not running`, ...); every
 * other failure — connect, HTTP status, timeout, abort, malformed response — is an RpcTransportError.
 */
export class JsonRpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'JsonRpcError';
    this.code = code;
    this.data = data;
  }
}

export const RpcTransportErrorKind = {
  /** TCP/TLS connect or socket failure. */
  Connection: 'connection',
  /** Non-2xx HTTP status without a JSON-RPC error body. */
  Http: 'http',
  /** The per-call timeout elapsed. */
  Timeout: 'timeout',
  /** The caller's AbortSignal fired. */
  Aborted: 'aborted',
  /** 2xx response that is not a JSON-RPC response for our request. */
  InvalidResponse: 'invalid-response',
} as const;
export type RpcTransportErrorKind = (typeof RpcTransportErrorKind)[keyof typeof RpcTransportErrorKind];

export class RpcTransportError extends Error {
  readonly kind: RpcTransportErrorKind;
  /** HTTP status when kind is 'http'. */
  readonly status: number | undefined;
  constructor(kind: RpcTransportErrorKind, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RpcTransportError';
    this.kind = kind;
    this.status = options?.status;
  }
}

/** The message a Go JSON-RPC client would surface: the server's error text, or the transport error. */
export function isMethodNotFound(e: unknown): boolean {
  return (
    e instanceof JsonRpcError && (e.code === -32601 || e.message.toLowerCase().includes('method not found'))
  );
}
