/**
 * Validation of the operator's cluster description (generate's --nodes/--server-ids/--initial-leader,
 * recover's --members): pure functions, each failure one clear ERR_INVALID_INPUT line.
 *
 * Invariants of a valid result (hashicorp's configuration rules, §3.2): at least one server, ids and
 * addresses non-empty and unique, every address a Go dial string `host:port` (IPv6 in brackets) with
 * a port in 1..65535, every server a Voter.
 */
import { type Configuration, type Server, Suffrage } from '../raft/core/types.ts';
import { InitError } from './errors.ts';

const PORT_MAX = 65535;
const HOST_RE = /^(\[[0-9a-fA-F:.%\w]+\]|[A-Za-z0-9._-]+)$/;

function invalid(message: string): InitError {
  return new InitError('ERR_INVALID_INPUT', message);
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export function checkAddress(address: string): void {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) throw invalid(`address "${address}" is not in host:port form`);
  const host = address.slice(0, colon);
  const port = address.slice(colon + 1);
  if (!HOST_RE.test(host)) throw invalid(`address "${address}" has an invalid host`);
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > PORT_MAX) {
    throw invalid(`address "${address}" has an invalid port (want 1..${PORT_MAX})`);
  }
}

function checkServers(servers: readonly Server[]): Configuration {
  if (servers.length === 0) throw invalid('at least one server is required');
  const ids = new Set<string>();
  const addrs = new Set<string>();
  for (const s of servers) {
    if (s.id === '') throw invalid('server ids must not be empty');
    if (/[/\\]|^\.\.?$/.test(s.id)) throw invalid(`server id "${s.id}" cannot be used as a directory name`);
    checkAddress(s.address);
    if (ids.has(s.id)) throw invalid(`duplicate server id "${s.id}"`);
    if (addrs.has(s.address)) throw invalid(`duplicate address "${s.address}"`);
    ids.add(s.id);
    addrs.add(s.address);
  }
  return { servers };
}

/** generate's inputs: nodes and ids in the same order. */
export function clusterFromLists(nodes: string, serverIds: string): Configuration {
  const addrs = splitList(nodes);
  const ids = splitList(serverIds);
  if (addrs.length !== ids.length) {
    throw invalid(`--nodes has ${addrs.length} entries but --server-ids has ${ids.length}; they must match`);
  }
  return checkServers(ids.map((id, i) => ({ suffrage: Suffrage.Voter, id, address: addrs[i]! })));
}

/** recover's `id=addr,…` form. */
export function clusterFromMembers(members: string): Configuration {
  return checkServers(
    splitList(members).map((m) => {
      const eq = m.indexOf('=');
      if (eq <= 0) throw invalid(`member "${m}" is not in id=host:port form`);
      return { suffrage: Suffrage.Voter, id: m.slice(0, eq), address: m.slice(eq + 1) };
    }),
  );
}

export function parseTerm(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw invalid(`${flag} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}
