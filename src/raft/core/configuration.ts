/**
 * Membership rules, as hashicorp/raft's configuration.go (see hashicorp-raft-wire.md §3.2, §3.4).
 * Pure functions over immutable Configuration values.
 * Invariants: a valid configuration has non-empty unique IDs and addresses and at least one Voter;
 * Staging counts as a non-voter; quorum is a majority of the Voters.
 */
import { RaftError, RaftErrorCode } from './errors.ts';
import { type Configuration, type Server, type ServerAddress, type ServerId, Suffrage } from './types.ts';

export type ConfigurationChange =
  | { readonly kind: 'addVoter'; readonly id: ServerId; readonly address: ServerAddress }
  | { readonly kind: 'addNonvoter'; readonly id: ServerId; readonly address: ServerAddress }
  | { readonly kind: 'demoteVoter'; readonly id: ServerId }
  | { readonly kind: 'removeServer'; readonly id: ServerId };

export const CONFIGURATION_EMPTY: Configuration = { servers: [] };

export function findServer(c: Configuration, id: ServerId): Server | undefined {
  return c.servers.find((s) => s.id === id);
}

export function isVoter(c: Configuration, id: ServerId): boolean {
  return findServer(c, id)?.suffrage === Suffrage.Voter;
}

export function voterIds(c: Configuration): ServerId[] {
  return c.servers.filter((s) => s.suffrage === Suffrage.Voter).map((s) => s.id);
}

export function quorumSize(c: Configuration): number {
  return Math.floor(voterIds(c).length / 2) + 1;
}

/** hashicorp checkConfiguration: error text `invalid configuration: ...` style, code InvalidConfiguration. */
export function validateConfiguration(c: Configuration): RaftError | undefined {
  const ids = new Set<string>();
  const addrs = new Set<string>();
  let voters = 0;
  for (const s of c.servers) {
    if (s.id === '') return invalid('empty ID in configuration');
    if (s.address === '') return invalid(`empty address in configuration: ${s.id}`);
    if (ids.has(s.id)) return invalid(`found duplicate ID in configuration: ${s.id}`);
    if (addrs.has(s.address)) return invalid(`found duplicate address in configuration: ${s.address}`);
    ids.add(s.id);
    addrs.add(s.address);
    if (s.suffrage === Suffrage.Voter) voters++;
  }
  if (voters === 0) return invalid('need at least one voter in configuration');
  return undefined;
}

function invalid(why: string): RaftError {
  return new RaftError(RaftErrorCode.InvalidConfiguration, why);
}

/** hashicorp nextConfiguration (without the prevIndex check, which the caller does against `latest`). */
export function nextConfiguration(
  current: Configuration,
  change: ConfigurationChange,
): Configuration | RaftError {
  const servers = [...current.servers];
  const at = servers.findIndex((s) => s.id === change.id);
  switch (change.kind) {
    case 'addVoter': {
      const s: Server = { suffrage: Suffrage.Voter, id: change.id, address: change.address };
      if (at >= 0) servers[at] = s;
      else servers.push(s);
      break;
    }
    case 'addNonvoter': {
      const existing = at >= 0 ? servers[at] : undefined;
      if (existing !== undefined && existing.suffrage !== Suffrage.Nonvoter) {
        // A Voter (or Staging) keeps its suffrage: only the address changes (hashicorp semantics).
        servers[at] = { ...existing, address: change.address };
      } else if (existing !== undefined) {
        servers[at] = { suffrage: Suffrage.Nonvoter, id: change.id, address: change.address };
      } else {
        servers.push({ suffrage: Suffrage.Nonvoter, id: change.id, address: change.address });
      }
      break;
    }
    case 'demoteVoter': {
      const existing = at >= 0 ? servers[at] : undefined;
      if (existing !== undefined) servers[at] = { ...existing, suffrage: Suffrage.Nonvoter };
      break;
    }
    case 'removeServer':
      if (at >= 0) servers.splice(at, 1);
      break;
  }
  const next: Configuration = { servers };
  return validateConfiguration(next) ?? next;
}

export function configurationsEqual(a: Configuration, b: Configuration): boolean {
  if (a.servers.length !== b.servers.length) return false;
  return a.servers.every((s, i) => {
    const o = b.servers[i];
    return o !== undefined && o.id === s.id && o.address === s.address && o.suffrage === s.suffrage;
  });
}
