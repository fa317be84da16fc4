/**
 * JSON-RPC error values with go-ethereum's codes and texts (`rpc/errors.go`). Clients such as
 * op-conductor-ops and op-node only look at the presence of `error`, but operators read the texts, and
 * kona/basectl match on codes, so both are kept verbatim.
 *
 * Invariant: every error that reaches the wire is an `RpcError`; any other thrown `Error` becomes
 * code -32000 with its message (Go's default for plain handler errors).
 */

export const RpcErrorCode = {
  /** Plain handler error (go-ethereum `defaultErrorCode`). */
  Default: -32000,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  Parse: -32700,
} as const;

export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
}

export function parseError(): RpcError {
  return new RpcError(RpcErrorCode.Parse, 'parse error');
}

export function invalidRequest(message = 'invalid request'): RpcError {
  return new RpcError(RpcErrorCode.InvalidRequest, message);
}

export function methodNotFound(method: string): RpcError {
  return new RpcError(RpcErrorCode.MethodNotFound, `the method ${method} does not exist/is not available`);
}

export function invalidParams(message: string): RpcError {
  return new RpcError(RpcErrorCode.InvalidParams, message);
}

/** What go-ethereum answers when a handler panics; here: a non-Error value was thrown. */
export function handlerCrashed(): RpcError {
  return new RpcError(RpcErrorCode.Internal, 'method handler crashed');
}

/**
 * Map anything a handler threw to a wire error. Errors that already carry a numeric JSON-RPC code
 * (our RpcError, or a backend's JSON-RPC error passed through by a proxy) keep code, message and data,
 * as go-ethereum does for errors implementing `rpc.Error`/`rpc.DataError`.
 */
export function toRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && Number.isInteger(code)) {
      return new RpcError(code, e.message, (e as { data?: unknown }).data);
    }
    return new RpcError(RpcErrorCode.Default, e.message);
  }
  return handlerCrashed();
}
