/**
 * The RPC side of `op-conductor ctl`: one JSON-RPC client per endpoint URL, every call bounded by a
 * per-call timeout so one dead node never stalls a command, and — when an admin JWT secret is given —
 * `Authorization: Bearer <HS256 JWT>` on conductor calls (the daemon's opt-in `rpc.admin-jwt-secret`).
 *
 * Invariants: a token is never older than `tokenRefreshSec` when sent (the server accepts ±60 s of `iat`,
 * and `status --watch` runs for hours), so clients are rebuilt with a fresh token when it ages; op-node
 * calls never carry the token; failures come back as CtlError(ERR_RPC) naming sequencer, method and cause,
 * with a hint when the server refused for lack of a token.
 */

import {
  createJsonRpcClient,
  type JsonRpcClient,
  JsonRpcError,
  RpcTransportError,
} from '../clients/json-rpc-client.ts';
import { signAdminJwt } from '../rpc/auth/admin-jwt.ts';
import { CtlError, CtlErrorCode } from './errors.ts';

/** Status probes: short, so a black-holed node costs at most this much per refresh. */
export const statusCallTimeoutMs = 2_000;
/** Mutating calls: conductor_pause/resume wait for the control loop, which may sit in a 10 s op-node call. */
export const actionCallTimeoutMs = 15_000;
/** Rebuild the Bearer token when it is older than this (server tolerance is 60 s). */
export const tokenRefreshSec = 30;

export interface RpcEndpointsOptions {
  readonly adminJwtSecret?: Uint8Array;
  readonly statusTimeoutMs?: number;
  readonly actionTimeoutMs?: number;
  /** Wall clock in ms, for the token's `iat`. */
  readonly nowMs?: () => number;
}

export type CallKind = 'status' | 'action';

/** A client bound to one sequencer's conductor or op-node. */
export interface Endpoint {
  readonly label: string;
  call<T>(method: string, params?: readonly unknown[], kind?: CallKind): Promise<T>;
}

interface CachedClient {
  client: JsonRpcClient;
  tokenIatSec: number | undefined;
}

export class RpcEndpoints {
  private readonly clients = new Map<string, CachedClient>();
  private readonly nowMs: () => number;

  constructor(private readonly opts: RpcEndpointsOptions = {}) {
    this.nowMs = opts.nowMs ?? Date.now;
  }

  conductor(id: string, url: string): Endpoint {
    return this.endpoint(`${id} conductor`, url, true);
  }

  node(id: string, url: string): Endpoint {
    return this.endpoint(`${id} op-node`, url, false);
  }

  private endpoint(label: string, url: string, authed: boolean): Endpoint {
    return {
      label,
      call: <T>(method: string, params: readonly unknown[] = [], kind: CallKind = 'status') =>
        this.call<T>(label, url, authed, method, params, kind),
    };
  }

  private clientFor(url: string, authed: boolean): JsonRpcClient {
    const secret = authed ? this.opts.adminJwtSecret : undefined;
    const key = `${authed ? 'a' : 'p'} ${url}`;
    const nowSec = Math.floor(this.nowMs() / 1000);
    const cached = this.clients.get(key);
    if (cached && (cached.tokenIatSec === undefined || nowSec - cached.tokenIatSec < tokenRefreshSec)) {
      return cached.client;
    }
    if (cached) void cached.client.close();
    const headers: Record<string, string> = secret
      ? { authorization: `Bearer ${signAdminJwt(secret, nowSec)}` }
      : {};
    const client = createJsonRpcClient({ url, headers });
    this.clients.set(key, { client, tokenIatSec: secret ? nowSec : undefined });
    return client;
  }

  private async call<T>(
    label: string,
    url: string,
    authed: boolean,
    method: string,
    params: readonly unknown[],
    kind: CallKind,
  ): Promise<T> {
    const timeoutMs =
      kind === 'status'
        ? (this.opts.statusTimeoutMs ?? statusCallTimeoutMs)
        : (this.opts.actionTimeoutMs ?? actionCallTimeoutMs);
    try {
      return await this.clientFor(url, authed).call<T>(method, params, { timeoutMs });
    } catch (e) {
      throw rpcFailure(label, method, e);
    }
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.client.close().catch(() => undefined)));
  }
}

export function rpcFailure(label: string, method: string, e: unknown): CtlError {
  let text: string;
  if (e instanceof JsonRpcError) {
    text = e.message;
    if (text.startsWith('unauthorized')) text += ' (pass --admin-jwt-secret FILE)';
  } else if (e instanceof RpcTransportError) {
    const bare = e.message.replace(`${method}: `, '');
    const code = e.cause instanceof Error && 'code' in e.cause ? String(e.cause.code) : '';
    const cause = code !== '' && !bare.includes(code) ? ` (${code})` : '';
    text = e.kind === 'timeout' ? 'timed out' : `${bare}${cause}`;
  } else {
    text = e instanceof Error ? e.message : String(e);
  }
  return new CtlError(CtlErrorCode.Rpc, `${label}: ${method}: ${text}`, { cause: e });
}

/** The message of an RPC failure without the CtlError wrapping, for table notes. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
