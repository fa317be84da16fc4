/**
 * The shape of one JSON-RPC method as the dispatcher sees it. Each method lives in its own file under
 * methods/ or proxy/ and is built by a factory that receives its dependencies.
 *
 * Invariant: `params` lists the positional parameter kinds in order; the dispatcher decodes and checks
 * them (Go texts) before `handle` runs, so handlers receive values of the declared kinds.
 */
import type { Logger } from '../logging/logger.ts';
import type { ParamKind } from './json-rpc/params.ts';

export interface MethodContext {
  /** Ends when the request times out or the client goes away (Go's request context). */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface RpcMethod {
  readonly name: string;
  readonly params: readonly ParamKind[];
  /** Requires a valid admin token when admin auth is configured (changes the cluster). */
  readonly admin?: boolean;
  /** Returns the JSON result; `undefined` is sent as `null` (Go methods without a return value). */
  handle(args: readonly unknown[], ctx: MethodContext): unknown;
}
