/**
 * Cluster configuration for `op-conductor ctl`: op-conductor-ops' TOML file read unchanged
 * (`[networks.<name>] sequencers = [...]`, `[sequencers.<raft-server-id>]` with raft_addr,
 * conductor_rpc_url, node_rpc_url, voting; builder/rollup-boost URLs accepted and ignored), or the
 * inline form `--conductors id=url,... [--nodes id=url,...] [--raft-addrs id=host:port,...]`.
 *
 * Pure: text in, ClusterConfig out. Invariants: ids are unique and non-empty; every URL is http(s);
 * every raft address is `host:port` with a port in 1..65535 (op-conductor-ops' own example has a
 * `host.50050` typo, so this is checked up front with a message naming the sequencer); a network only
 * names configured sequencers. The sequencer key is the raft server id (it is what membership calls send).
 */
import { parse as parseToml } from 'smol-toml';
import { CtlError, CtlErrorCode } from './errors.ts';

export interface SequencerConfig {
  /** Raft server id (the TOML key). */
  readonly id: string;
  readonly conductorRpcUrl: string;
  /** op-node RPC (admin_* and optimism_syncStatus); absent in the inline form without --nodes. */
  readonly nodeRpcUrl?: string;
  /** Raft (consensus) address `host:port`; absent in the inline form without --raft-addrs. */
  readonly raftAddr?: string;
  /** Desired suffrage: true = voter. The inline form assumes voters. */
  readonly voting: boolean;
}

export interface ClusterConfig {
  /** Network name when read from a TOML file with networks. */
  readonly network?: string;
  readonly sequencers: readonly SequencerConfig[];
  /** op-conductor-ops' `cert_path` (a CA bundle), resolved against the config file's directory. */
  readonly certPath?: string;
}

export interface OpsConfig {
  readonly networks: ReadonlyMap<string, readonly string[]>;
  readonly sequencers: ReadonlyMap<string, SequencerConfig>;
  readonly certPath?: string;
}

const portMax = 65_535;

function configError(source: string, message: string): CtlError {
  return new CtlError(CtlErrorCode.Config, `${source}: ${message}`);
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function checkUrl(url: string, what: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError(source, `${what}: invalid URL "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw configError(source, `${what}: URL must be http or https, got "${url}"`);
  }
  return url;
}

export function checkRaftAddr(addr: string, what: string, source: string): string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > portMax) {
    throw configError(source, `${what}: raft address must be host:port, got "${addr}"`);
  }
  return addr;
}

function reqString(t: Record<string, unknown>, key: string, where: string, source: string): string {
  const v = t[key];
  if (typeof v !== 'string' || v === '') throw configError(source, `${where}: missing or empty "${key}"`);
  return v;
}

/** Parse op-conductor-ops' config.toml. `source` names the file in messages. */
export function parseOpsConfig(text: string, source: string, configDir = '.'): OpsConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    const first = err.message.split('\n')[0] ?? 'invalid TOML';
    const at = err.line !== undefined ? ` at line ${err.line}, column ${err.column ?? 0}` : '';
    throw configError(source, `malformed TOML${at}: ${first}`);
  }
  const seqTable = doc.sequencers;
  if (!isTable(seqTable) || Object.keys(seqTable).length === 0) {
    throw configError(source, 'no [sequencers.<raft-server-id>] tables');
  }
  const sequencers = new Map<string, SequencerConfig>();
  for (const [id, raw] of Object.entries(seqTable)) {
    const where = `[sequencers.${id}]`;
    if (!isTable(raw)) throw configError(source, `${where} must be a table`);
    const voting = raw.voting;
    if (typeof voting !== 'boolean') throw configError(source, `${where}: "voting" must be true or false`);
    sequencers.set(id, {
      id,
      raftAddr: checkRaftAddr(reqString(raw, 'raft_addr', where, source), where, source),
      conductorRpcUrl: checkUrl(reqString(raw, 'conductor_rpc_url', where, source), where, source),
      nodeRpcUrl: checkUrl(reqString(raw, 'node_rpc_url', where, source), where, source),
      voting,
    });
  }
  const networks = new Map<string, string[]>();
  if (doc.networks !== undefined) {
    if (!isTable(doc.networks)) throw configError(source, '"networks" must be a table');
    for (const [name, raw] of Object.entries(doc.networks)) {
      const ids = isTable(raw) ? raw.sequencers : undefined;
      if (!Array.isArray(ids) || !ids.every((x): x is string => typeof x === 'string')) {
        throw configError(source, `[networks.${name}]: "sequencers" must be a list of sequencer ids`);
      }
      for (const id of ids) {
        if (!sequencers.has(id)) {
          throw configError(source, `[networks.${name}] names "${id}" but there is no [sequencers.${id}]`);
        }
      }
      if (new Set(ids).size !== ids.length)
        throw configError(source, `[networks.${name}] lists a sequencer twice`);
      networks.set(name, ids);
    }
  }
  const certPath = typeof doc.cert_path === 'string' && doc.cert_path !== '' ? doc.cert_path : undefined;
  return {
    networks,
    sequencers,
    ...(certPath !== undefined
      ? { certPath: certPath.startsWith('/') ? certPath : `${configDir}/${certPath}` }
      : {}),
  };
}

/**
 * Pick the cluster to operate on. With a network name: that network's sequencers. Without: the only
 * network, or every sequencer when the file has no networks; several networks need a name.
 */
export function selectNetwork(cfg: OpsConfig, network: string | undefined, source: string): ClusterConfig {
  const base = cfg.certPath !== undefined ? { certPath: cfg.certPath } : {};
  if (network !== undefined) {
    const ids = cfg.networks.get(network);
    if (!ids) {
      const known = [...cfg.networks.keys()].join(', ') || 'none';
      throw configError(source, `unknown network "${network}" (networks: ${known})`);
    }
    return { ...base, network, sequencers: ids.map((id) => cfg.sequencers.get(id) as SequencerConfig) };
  }
  if (cfg.networks.size === 0) return { ...base, sequencers: [...cfg.sequencers.values()] };
  if (cfg.networks.size === 1) {
    const [name] = [...cfg.networks.keys()] as [string];
    return selectNetwork(cfg, name, source);
  }
  throw configError(
    source,
    `several networks configured, name one with --network (${[...cfg.networks.keys()].join(', ')})`,
  );
}

/** Parse `id=value,id=value`. */
export function parseIdList(text: string, flag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) {
      throw new CtlError(CtlErrorCode.Usage, `${flag}: expected id=value, got "${item}"`);
    }
    const id = item.slice(0, eq).trim();
    if (out.has(id)) throw new CtlError(CtlErrorCode.Usage, `${flag}: id "${id}" given twice`);
    out.set(id, item.slice(eq + 1).trim());
  }
  if (out.size === 0) throw new CtlError(CtlErrorCode.Usage, `${flag}: empty list`);
  return out;
}

export interface InlineClusterArgs {
  readonly conductors: string;
  readonly nodes?: string;
  readonly raftAddrs?: string;
  /** Ids that should be non-voters (`--nonvoters a,b`). */
  readonly nonvoters?: string;
}

export function parseInlineCluster(args: InlineClusterArgs): ClusterConfig {
  const conductors = parseIdList(args.conductors, '--conductors');
  const nodes = args.nodes !== undefined ? parseIdList(args.nodes, '--nodes') : new Map<string, string>();
  const raft =
    args.raftAddrs !== undefined ? parseIdList(args.raftAddrs, '--raft-addrs') : new Map<string, string>();
  const nonvoters = new Set(
    (args.nonvoters ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  for (const [flag, m] of [
    ['--nodes', nodes],
    ['--raft-addrs', raft],
  ] as const) {
    for (const id of m.keys()) {
      if (!conductors.has(id))
        throw new CtlError(CtlErrorCode.Usage, `${flag}: id "${id}" is not in --conductors`);
    }
  }
  for (const id of nonvoters) {
    if (!conductors.has(id))
      throw new CtlError(CtlErrorCode.Usage, `--nonvoters: id "${id}" is not in --conductors`);
  }
  const sequencers: SequencerConfig[] = [];
  for (const [id, url] of conductors) {
    const node = nodes.get(id);
    const addr = raft.get(id);
    sequencers.push({
      id,
      conductorRpcUrl: checkUrl(url, `--conductors ${id}`, 'command line'),
      ...(node !== undefined ? { nodeRpcUrl: checkUrl(node, `--nodes ${id}`, 'command line') } : {}),
      ...(addr !== undefined ? { raftAddr: checkRaftAddr(addr, `--raft-addrs ${id}`, 'command line') } : {}),
      voting: !nonvoters.has(id),
    });
  }
  return { sequencers };
}

/** The configured sequencer with this id, or a one-line error listing the known ids. */
export function sequencerById(cluster: ClusterConfig, id: string): SequencerConfig {
  const s = cluster.sequencers.find((x) => x.id === id);
  if (!s) {
    throw new CtlError(
      CtlErrorCode.UnknownId,
      `unknown sequencer id "${id}" (configured: ${cluster.sequencers.map((x) => x.id).join(', ')})`,
    );
  }
  return s;
}
