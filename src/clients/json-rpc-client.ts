/**
 * Generic JSON-RPC 2.0 over HTTP(S), on an undici keep-alive Pool per endpoint (op-node, EL, supervisor
 * are each called every health interval and by the control loop; reconnecting each time would add a
 * handshake per call).
 *
 * Invariants: every call is bounded by a timeout (default 10 s, op-service's per-call timeout) and by
 * the caller's signal; responses are size-capped; a JSON-RPC `error` object is thrown as JsonRpcError
 * with the server's code/message/data (also when the server sends it with a non-2xx status, so proxies
 * can relay it), everything else as RpcTransportError. Results are returned unvalidated as `unknown`
 * cast to T: typed clients (node-client, el-client) validate at their edge.
 */
import { Pool, errors as undiciErrors } from 'undici';
import { JsonRpcError, RpcTransportError } from './json-rpc-errors.ts';

export { isMethodNotFound, JsonRpcError, RpcTransportError } from './json-rpc-errors.ts';

export const rpcCallTimeoutMsDefault = 10_000;
/** Generous for ~2 MB payloads in admin_postUnsafePayload / eth_getBlockByNumber(full) responses. */
export const rpcResponseBytesMax = 64 * 1024 * 1024;
const keepAliveTimeoutMs = 30_000;
const poolConnectionsMax = 8;

export interface JsonRpcClientOptions {
  readonly url: string;
  readonly timeoutMs?: number;
  readonly headers?: Record<string, string>;
}

export interface JsonRpcCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface JsonRpcClient {
  readonly url: string;
  call<T>(method: string, params: readonly unknown[], opts?: JsonRpcCallOptions): Promise<T>;
  close(): Promise<void>;
}

interface RpcResponse {
  readonly jsonrpc?: unknown;
  readonly id?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code?: unknown; readonly message?: unknown; readonly data?: unknown };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rpcErrorOf(body: unknown): JsonRpcError | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const e = body.error;
  const code = typeof e.code === 'number' ? e.code : 0;
  const message = typeof e.message === 'string' ? e.message : JSON.stringify(e);
  return new JsonRpcError(code, message, e.data);
}

export function createJsonRpcClient(opts: JsonRpcClientOptions): JsonRpcClient {
  const url = new URL(opts.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RpcTransportError('connection', `unsupported rpc url scheme: ${opts.url}`);
  }
  const path = `${url.pathname || '/'}${url.search}`;
  const defaultTimeoutMs = opts.timeoutMs ?? rpcCallTimeoutMsDefault;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (url.username !== '' || url.password !== '') {
    const creds = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
  }
  const pool = new Pool(url.origin, {
    connections: poolConnectionsMax,
    keepAliveTimeout: keepAliveTimeoutMs,
  });
  let nextId = 1;
  let closed = false;

  async function call<T>(
    method: string,
    params: readonly unknown[],
    callOpts?: JsonRpcCallOptions,
  ): Promise<T> {
    if (closed) throw new RpcTransportError('connection', `rpc client for ${url.origin} is closed`);
    const id = nextId++;
    const timeoutMs = callOpts?.timeoutMs ?? defaultTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callOpts?.signal ? AbortSignal.any([timeout, callOpts.signal]) : timeout;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    let status: number;
    let text: string;
    try {
      const res = await pool.request({ path, method: 'POST', headers, body, signal });
      status = res.statusCode;
      const len = Number(res.headers['content-length'] ?? 0);
      if (len > rpcResponseBytesMax) {
        await res.body.dump();
        throw new RpcTransportError('invalid-response', `response too large: ${len} bytes`);
      }
      text = await readCapped(res.body, rpcResponseBytesMax);
    } catch (e) {
      if (e instanceof RpcTransportError) throw e;
      if (timeout.aborted) {
        throw new RpcTransportError('timeout', `${method}: context deadline exceeded after ${timeoutMs}ms`, {
          cause: e,
        });
      }
      if (callOpts?.signal?.aborted)
        throw new RpcTransportError('aborted', `${method}: context canceled`, { cause: e });
      throw new RpcTransportError('connection', `${method}: ${(e as Error).message}`, { cause: e });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      if (status < 200 || status >= 300) {
        throw new RpcTransportError('http', `${status}: ${text.slice(0, 512)}`, { status, cause: e });
      }
      throw new RpcTransportError('invalid-response', `${method}: invalid JSON response`, { cause: e });
    }
    const rpcErr = rpcErrorOf(parsed);
    if (rpcErr) throw rpcErr;
    if (status < 200 || status >= 300) {
      throw new RpcTransportError('http', `${status}: ${text.slice(0, 512)}`, { status });
    }
    if (!isObject(parsed) || !('result' in parsed)) {
      throw new RpcTransportError('invalid-response', `${method}: response without result`);
    }
    const resp = parsed as RpcResponse;
    if (resp.id !== id) throw new RpcTransportError('invalid-response', `${method}: response id mismatch`);
    return resp.result as T;
  }

  return {
    url: opts.url,
    call,
    async close() {
      if (closed) return;
      closed = true;
      await pool.close().catch(() => pool.destroy());
    },
  };
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array>, max: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > max) throw new RpcTransportError('invalid-response', `response larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** True for undici's socket-level errors (used by callers that distinguish connect failures). */
export function isConnectError(e: unknown): boolean {
  const cause = e instanceof Error ? e.cause : undefined;
  return (
    e instanceof RpcTransportError &&
    e.kind === 'connection' &&
    (cause instanceof undiciErrors.SocketError ||
      (cause instanceof Error && 'code' in cause && String(cause.code).startsWith('E')))
  );
}
