/**
 * Result shapes of the calls ctl makes, validated at the edge (a foreign server may answer anything):
 * conductor_* booleans, ServerInfo `{id, addr, suffrage:int}`, ClusterMembership `{servers, version}`
 * (op-conductor.md §3.3), and op-node's optimism_syncStatus `unsafe_l2 {number, hash, timestamp}`.
 *
 * Invariant: a wrong shape is a CtlError(ERR_RPC) naming the method, never a silent default.
 */
import { CtlError, CtlErrorCode } from './errors.ts';

export const Suffrage = { Voter: 0, Nonvoter: 1 } as const;
/** conductor_leaderWithID's id while the leader override is on (op-conductor-mon keys on this text). */
export const overriddenLeaderId = 'N/A (Leader overridden)';

export interface ServerInfo {
  readonly id: string;
  readonly addr: string;
  readonly suffrage: number;
}

export interface Membership {
  readonly servers: readonly ServerInfo[];
  readonly version: number;
}

export interface UnsafeHead {
  readonly number: number;
  readonly hash: string;
  /** Block timestamp, unix seconds. */
  readonly timestamp: number;
}

function bad(method: string, what: string): CtlError {
  return new CtlError(CtlErrorCode.Rpc, `${method}: unexpected result shape (${what})`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asBool(method: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw bad(method, `want bool, got ${JSON.stringify(v)}`);
  return v;
}

export function asServerInfo(method: string, v: unknown): ServerInfo {
  if (
    !isObject(v) ||
    typeof v.id !== 'string' ||
    typeof v.addr !== 'string' ||
    typeof v.suffrage !== 'number'
  ) {
    throw bad(method, 'want {id, addr, suffrage}');
  }
  return { id: v.id, addr: v.addr, suffrage: v.suffrage };
}

export function asMembership(method: string, v: unknown): Membership {
  if (!isObject(v) || !Array.isArray(v.servers) || typeof v.version !== 'number') {
    throw bad(method, 'want {servers, version}');
  }
  return { servers: v.servers.map((s) => asServerInfo(method, s)), version: v.version };
}

function quantity(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^0x[0-9a-fA-F]+$/.test(v)) return Number.parseInt(v, 16);
  return undefined;
}

export function asUnsafeHead(method: string, v: unknown): UnsafeHead {
  const u = isObject(v) ? v.unsafe_l2 : undefined;
  if (!isObject(u)) throw bad(method, 'want unsafe_l2');
  const number = quantity(u.number);
  const timestamp = quantity(u.timestamp) ?? 0;
  if (number === undefined || typeof u.hash !== 'string') throw bad(method, 'want unsafe_l2.number/hash');
  return { number, hash: u.hash, timestamp };
}

export function suffrageName(s: number): string {
  return s === Suffrage.Voter ? 'voter' : s === Suffrage.Nonvoter ? 'nonvoter' : `suffrage ${s}`;
}
