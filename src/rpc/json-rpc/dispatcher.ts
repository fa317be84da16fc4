/**
 * JSON-RPC 2.0 message dispatch with go-ethereum's semantics (`rpc/handler.go`, `rpc/json.go`), independent
 * of HTTP so it can be tested and fuzzed directly.
 *
 * Invariants:
 * - A call needs `"jsonrpc":"2.0"`, a non-empty string method and an id that is not an object/array
 *   (`"id":null` counts as an id, as in Go). A notification has no id and gets no answer. Anything else
 *   answers -32600 `invalid request` (with the id when it is usable, else null).
 * - Batches run their calls one after another and answer with an array; an empty batch answers a single
 *   -32600 `empty batch`; a batch with only notifications answers nothing.
 * - Every answer is a complete JSON-RPC response string; handler failures never escape `dispatch`.
 * - Metrics carry `rpc="main"`; the method label is the method name for registered methods and
 *   `unknown` otherwise (keeps label cardinality bounded against arbitrary input).
 */
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { MethodContext, RpcMethod } from '../method.ts';
import { invalidRequest, methodNotFound, type RpcError, toRpcError } from './errors.ts';
import { decodeParams } from './params.ts';

export const RPC_LABEL = 'main';
const UNKNOWN_METHOD_LABEL = 'unknown';
/** go-ethereum's default batch item limit (node.DefaultConfig BatchRequestLimit). */
export const batchItemsMax = 1000;

/** Per-request checks the HTTP layer supplies (admin auth) and the request's lifetime signal. */
export interface DispatchContext {
  readonly signal: AbortSignal;
  /** Called for methods marked `admin`; throws an RpcError to refuse. */
  readonly authorizeAdmin?: (method: string) => void;
  /** Byte size of the whole request body, used as the params size of a single request. */
  readonly bodyBytes?: number;
}

interface Message {
  readonly version: string;
  readonly method: string;
  readonly hasId: boolean;
  readonly id: unknown;
  readonly params: unknown;
  readonly isResponseShape: boolean;
}

function toMessage(raw: unknown): Message {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      version: '',
      method: '',
      hasId: false,
      id: undefined,
      params: undefined,
      isResponseShape: false,
    };
  }
  const o = raw as Record<string, unknown>;
  const hasId = Object.hasOwn(o, 'id');
  return {
    version: typeof o.jsonrpc === 'string' ? o.jsonrpc : '',
    method: typeof o.method === 'string' ? o.method : '',
    hasId,
    id: o.id,
    params: o.params,
    isResponseShape: !Object.hasOwn(o, 'params') && (Object.hasOwn(o, 'result') || Object.hasOwn(o, 'error')),
  };
}

function validId(m: Message): boolean {
  return m.hasId && (m.id === null || typeof m.id !== 'object');
}

function encodeId(id: unknown): string {
  return id === undefined ? 'null' : JSON.stringify(id);
}

export function encodeError(id: unknown, err: RpcError): string {
  const body: { code: number; message: string; data?: unknown } = { code: err.code, message: err.message };
  if (err.data !== undefined) body.data = err.data;
  return `{"jsonrpc":"2.0","id":${encodeId(id)},"error":${JSON.stringify(body)}}`;
}

function encodeResult(id: unknown, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${encodeId(id)},"result":${resultJson}}`;
}

export class Dispatcher {
  readonly #methods: ReadonlyMap<string, RpcMethod>;
  readonly #log: Logger;
  readonly #metrics: Metrics;

  constructor(methods: readonly RpcMethod[], log: Logger, metrics: Metrics) {
    const map = new Map<string, RpcMethod>();
    for (const m of methods) {
      if (map.has(m.name)) throw new Error(`duplicate rpc method ${m.name}`);
      map.set(m.name, m);
    }
    this.#methods = map;
    this.#log = log;
    this.#metrics = metrics;
  }

  methodNames(): string[] {
    return [...this.#methods.keys()];
  }

  /** Answer a parsed request body. `undefined` means "no answer" (notifications only). */
  async dispatch(body: unknown, ctx: DispatchContext): Promise<string | undefined> {
    if (!Array.isArray(body)) return this.#handle(toMessage(body), ctx, ctx.bodyBytes);
    if (body.length === 0) return encodeError(null, invalidRequest('empty batch'));
    if (body.length > batchItemsMax) {
      const firstCall = body.map(toMessage).find((m) => validId(m));
      return `[${encodeError(firstCall?.id ?? null, invalidRequest('batch too large'))}]`;
    }
    const answers: string[] = [];
    for (const item of body) {
      const answer = await this.#handle(toMessage(item), ctx, undefined);
      if (answer !== undefined) answers.push(answer);
    }
    return answers.length === 0 ? undefined : `[${answers.join(',')}]`;
  }

  async #handle(
    m: Message,
    ctx: DispatchContext,
    bodyBytes: number | undefined,
  ): Promise<string | undefined> {
    const versionOk = m.version === '2.0';
    const isCall = versionOk && validId(m) && m.method !== '';
    const isNotification = versionOk && !m.hasId && m.method !== '';
    if (!isCall && !isNotification) {
      // A stray response object (e.g. echoed back by a confused client) is dropped silently, as in Go.
      if (versionOk && validId(m) && m.method === '' && m.isResponseShape) return undefined;
      return encodeError(validId(m) ? m.id : null, invalidRequest());
    }
    const method = this.#methods.get(m.method);
    const label = method ? m.method : UNKNOWN_METHOD_LABEL;
    const labels = { rpc: RPC_LABEL, method: label };
    const started = performance.now();
    this.#metrics.rpcServerRequests.inc(labels);
    if (method) {
      const paramsBytes = bodyBytes ?? (m.params === undefined ? 0 : JSON.stringify(m.params).length);
      this.#metrics.rpcServerParamsSize.inc(labels, paramsBytes);
    }
    let answer: string;
    let errorLabel = '<nil>';
    try {
      if (!method) throw methodNotFound(m.method);
      if (method.admin) ctx.authorizeAdmin?.(m.method);
      const args = decodeParams(m.params, method.params);
      const methodCtx: MethodContext = { signal: ctx.signal, log: this.#log };
      const result = await method.handle(args, methodCtx);
      const resultJson = result === undefined ? 'null' : JSON.stringify(result);
      this.#metrics.rpcServerResultsSize.inc(labels, resultJson.length);
      answer = encodeResult(m.id, resultJson);
      this.#log.debug({ method: m.method, durationMs: performance.now() - started }, `Served ${m.method}`);
    } catch (e) {
      const err = toRpcError(e);
      errorLabel = `rpc_${err.code}`;
      answer = encodeError(m.id, err);
      this.#log.warn(
        { method: m.method, err: err.message, code: err.code, durationMs: performance.now() - started },
        `Served ${m.method}`,
      );
    }
    this.#metrics.rpcServerResponses.inc({ ...labels, error: errorLabel });
    this.#metrics.rpcServerRequestDuration.observe(labels, (performance.now() - started) / 1000);
    return isCall ? answer : undefined;
  }
}
