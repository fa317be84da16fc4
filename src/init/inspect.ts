/**
 * info / verify: a read-only report of one node's Raft state, from our stores or directly from a Go
 * conductor's raft-boltdb files: term, vote, role hint, first/last index, every entry (configuration
 * entries with members and suffrage, command entries with the block number and hash decoded from the
 * SSZ payload), snapshots with their meta, and a list of inconsistencies.
 *
 * Invariants: nothing is written (our stores are opened only to read, under their directory lock, so a
 * running daemon's dir is refused with ERR_LOCKED rather than read mid-write); every problem becomes an
 * entry in `issues` instead of aborting, so verify can report them all; loops are bounded by the log's
 * own first/last index.
 */
import { basename } from 'node:path';
import { decodeEnvelope, payloadHead } from '../fsm/payload-codec.ts';
import {
  type Configuration,
  type HardState,
  type LogEntry,
  LogType,
  type SnapshotMeta,
} from '../raft/core/types.ts';
import { errorLine } from './errors.ts';
import { openGoStateDir, readGoLog } from './go-state.ts';
import type { OpenStores } from './node-stores.ts';
import { decodeConfiguration, decodeLegacyPeers } from './raftcodec/configuration-codec.ts';
import { requireStateDir, type StateFormat } from './state-format.ts';

const LOG_TYPE_NAMES = [
  'Command',
  'Noop',
  'AddPeerDeprecated',
  'RemovePeerDeprecated',
  'Barrier',
  'Configuration',
];
const SUFFRAGE_NAMES = ['Voter', 'Nonvoter', 'Staging'];

export interface EntryInfo {
  readonly index: number;
  readonly term: number;
  readonly type: string;
  readonly bytes: number;
  readonly members?: ReadonlyArray<{
    readonly id: string;
    readonly address: string;
    readonly suffrage: string;
  }>;
  readonly block?: { readonly number: string; readonly hash: string };
}

export interface StateInfo {
  readonly stateDir: string;
  readonly format: StateFormat;
  readonly serverId: string;
  readonly currentTerm: number;
  readonly lastVoteTerm: number;
  readonly lastVoteCandidate: string;
  readonly roleHint: 'leader' | 'follower';
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly entries: readonly EntryInfo[];
  readonly snapshots: ReadonlyArray<Omit<SnapshotMeta, 'configuration'> & { readonly members: string[] }>;
  readonly latestConfiguration: Configuration | undefined;
  /** What the FSM would hold after replaying: the highest block over the newest snapshot and the log. */
  readonly unsafeHead:
    | { readonly number: string; readonly hash: string; readonly from: 'snapshot' | 'log' }
    | undefined;
  readonly issues: readonly string[];
}

export interface InspectOptions {
  readonly stateDir: string;
  readonly serverId: string | undefined;
  readonly explicitBackend: 'lmdb' | 'file' | undefined;
  readonly openStores: OpenStores;
}

function members(cfg: Configuration): EntryInfo['members'] {
  return cfg.servers.map((s) => ({
    id: s.id,
    address: s.address,
    suffrage: SUFFRAGE_NAMES[s.suffrage] ?? String(s.suffrage),
  }));
}

/** Describes one entry; returns the configuration it carries, if any. */
function describe(e: LogEntry, issues: string[]): { info: EntryInfo; cfg?: Configuration } {
  const base = {
    index: e.index,
    term: e.term,
    type: LOG_TYPE_NAMES[e.type] ?? `Unknown(${e.type})`,
    bytes: e.data.byteLength,
  };
  try {
    if (e.type === LogType.Configuration) {
      const cfg = decodeConfiguration(e.data);
      return { info: { ...base, members: members(cfg) }, cfg };
    }
    if (e.type === LogType.AddPeerDeprecated || e.type === LogType.RemovePeerDeprecated) {
      const cfg = decodeLegacyPeers(e.data);
      return { info: { ...base, members: members(cfg) }, cfg };
    }
    if (e.type === LogType.Command) {
      const head = payloadHead(decodeEnvelope(e.data));
      return { info: { ...base, block: { number: head.blockNumber.toString(), hash: head.blockHash } } };
    }
  } catch (err) {
    issues.push(`entry ${e.index}: cannot decode ${base.type} data: ${errorLine(err)}`);
  }
  return { info: base };
}

interface RawState {
  hardState: HardState;
  entries: LogEntry[];
  firstIndex: number;
  lastIndex: number;
  snapshots: SnapshotMeta[];
  snapshotData: Uint8Array | undefined;
}

function readGo(dir: string, issues: string[]): RawState {
  const go = openGoStateDir(dir);
  for (const s of go.snapshots.skipped) issues.push(`snapshot ${s.name} skipped: ${s.reason}`);
  const entries: LogEntry[] = [];
  try {
    for (const e of readGoLog(go.logPath)) entries.push(e);
  } catch (err) {
    issues.push(errorLine(err));
  }
  const snap = go.snapshots.newest;
  return {
    hardState: { ...go.stable, lastVoteCandidateId: '' },
    entries,
    firstIndex: entries[0]?.index ?? 0,
    lastIndex: entries.at(-1)?.index ?? 0,
    snapshots: snap
      ? [
          {
            id: snap.id,
            index: snap.index,
            term: snap.term,
            configuration: snap.configuration,
            configurationIndex: snap.configurationIndex,
            size: snap.data.byteLength,
            version: 1,
          },
        ]
      : [],
    snapshotData: snap?.data,
  };
}

async function readOurs(opts: InspectOptions, format: 'lmdb' | 'file', issues: string[]): Promise<RawState> {
  const stores = await opts.openStores(opts.stateDir, format);
  try {
    const firstIndex = stores.log.firstIndex();
    const lastIndex = stores.log.lastIndex();
    const entries: LogEntry[] = [];
    for (let i = firstIndex; i >= 1 && i <= lastIndex; i++) {
      try {
        const e = stores.log.getLog(i);
        if (e === undefined)
          issues.push(`gap: entry ${i} is missing (log spans ${firstIndex}..${lastIndex})`);
        else entries.push(e);
      } catch (err) {
        issues.push(`entry ${i}: ${errorLine(err)}`);
      }
    }
    return {
      hardState: stores.stable.getHardState(),
      entries,
      firstIndex,
      lastIndex,
      snapshots: stores.snapshots.list(),
      snapshotData: stores.snapshots.openLatest()?.data,
    };
  } finally {
    await stores.close();
  }
}

function checkTerms(raw: RawState, issues: string[]): void {
  let prevTerm = 0;
  let prevIndex = 0;
  for (const e of raw.entries) {
    if (prevIndex !== 0 && e.index !== prevIndex + 1)
      issues.push(`gap: entries ${prevIndex + 1}..${e.index - 1} missing`);
    if (e.term < prevTerm)
      issues.push(`entry ${e.index}: term ${e.term} is lower than the previous entry's ${prevTerm}`);
    prevTerm = e.term;
    prevIndex = e.index;
  }
  const hs = raw.hardState;
  if (prevTerm > hs.currentTerm)
    issues.push(`last entry term ${prevTerm} is above CurrentTerm ${hs.currentTerm}`);
  if (hs.lastVoteTerm > hs.currentTerm)
    issues.push(`LastVoteTerm ${hs.lastVoteTerm} is above CurrentTerm ${hs.currentTerm}`);
  const snap = raw.snapshots[0];
  if (snap !== undefined && raw.firstIndex > snap.index + 1) {
    issues.push(`gap: log starts at ${raw.firstIndex} but the newest snapshot ends at ${snap.index}`);
  }
}

export async function inspectState(opts: InspectOptions): Promise<StateInfo> {
  const format = requireStateDir(opts.stateDir, opts.explicitBackend);
  const issues: string[] = [];
  const raw = format === 'go-bolt' ? readGo(opts.stateDir, issues) : await readOurs(opts, format, issues);
  checkTerms(raw, issues);
  const entries: EntryInfo[] = [];
  let head: StateInfo['unsafeHead'];
  if (raw.snapshotData !== undefined && raw.snapshotData.byteLength > 0) {
    try {
      const h = payloadHead(decodeEnvelope(raw.snapshotData));
      head = { number: h.blockNumber.toString(), hash: h.blockHash, from: 'snapshot' };
    } catch (err) {
      issues.push(`newest snapshot: state is not an SSZ execution payload envelope: ${errorLine(err)}`);
    }
  }
  let latest: Configuration | undefined = raw.snapshots[0]?.configuration;
  for (const e of raw.entries) {
    const d = describe(e, issues);
    entries.push(d.info);
    if (d.cfg !== undefined) latest = d.cfg;
    const b = d.info.block;
    if (b !== undefined && (head === undefined || BigInt(b.number) > BigInt(head.number))) {
      head = { number: b.number, hash: b.hash, from: 'log' };
    }
  }
  const serverId = opts.serverId ?? basename(opts.stateDir);
  const hs = raw.hardState;
  const self = latest?.servers.find((s) => s.id === serverId);
  const empty = raw.entries.length === 0 && raw.snapshots.length === 0 && raw.lastIndex === 0;
  // An empty node (fresh, or a follower from `generate --strict-initial-leader`) legitimately has no
  // configuration: it waits for a leader to contact it.
  if (!empty && (latest === undefined || latest.servers.length === 0)) {
    issues.push('no configuration: neither the log nor a snapshot holds one');
  } else if (latest !== undefined && self === undefined)
    issues.push(`configuration does not contain this server ("${serverId}")`);
  if (
    hs.lastVoteCandidateAddr !== '' &&
    latest !== undefined &&
    !latest.servers.some((s) => s.address === hs.lastVoteCandidateAddr)
  ) {
    issues.push(`vote for unknown server ${hs.lastVoteCandidateAddr} (not in the latest configuration)`);
  }
  const candidate = latest?.servers.find((s) => s.address === hs.lastVoteCandidateAddr);
  return {
    stateDir: opts.stateDir,
    format,
    serverId,
    currentTerm: hs.currentTerm,
    lastVoteTerm: hs.lastVoteTerm,
    lastVoteCandidate:
      hs.lastVoteCandidateAddr === ''
        ? ''
        : `${candidate?.id ?? hs.lastVoteCandidateId ?? '?'}@${hs.lastVoteCandidateAddr}`,
    roleHint:
      self !== undefined && hs.lastVoteTerm === hs.currentTerm && hs.lastVoteCandidateAddr === self.address
        ? 'leader'
        : 'follower',
    firstIndex: raw.firstIndex,
    lastIndex: raw.lastIndex,
    entries,
    snapshots: raw.snapshots.map(({ configuration, ...m }) => ({
      ...m,
      members: configuration.servers.map((s) => `${s.id}@${s.address}`),
    })),
    latestConfiguration: latest,
    unsafeHead: head,
    issues,
  };
}

export function formatInfo(info: StateInfo): string[] {
  const lines = [
    `State dir:      ${info.stateDir} (${info.format})`,
    `Server ID:      ${info.serverId}`,
    `Current term:   ${info.currentTerm}`,
    `Last vote:      term ${info.lastVoteTerm}${info.lastVoteCandidate ? ` for ${info.lastVoteCandidate}` : ' (none)'}`,
    `Role hint:      ${info.roleHint === 'leader' ? 'Leader (holds its own vote for the current term)' : 'Follower'}`,
    `Unsafe head:    ${info.unsafeHead ? `block ${info.unsafeHead.number} ${info.unsafeHead.hash} (from ${info.unsafeHead.from})` : 'none'}`,
    `Log:            first index ${info.firstIndex}, last index ${info.lastIndex}, ${info.entries.length} entries`,
  ];
  if (info.latestConfiguration) {
    lines.push('Cluster members:');
    for (const s of info.latestConfiguration.servers) {
      lines.push(`  - ${s.id} ${s.address} ${SUFFRAGE_NAMES[s.suffrage] ?? s.suffrage}`);
    }
  }
  lines.push('Entries:');
  for (const e of info.entries) {
    let extra = '';
    if (e.members)
      extra = ` members=[${e.members.map((m) => `${m.id}@${m.address}(${m.suffrage})`).join(', ')}]`;
    if (e.block) extra = ` block=${e.block.number} hash=${e.block.hash}`;
    lines.push(`  ${e.index} term=${e.term} type=${e.type} bytes=${e.bytes}${extra}`);
  }
  lines.push(`Snapshots: ${info.snapshots.length === 0 ? 'none' : ''}`);
  for (const s of info.snapshots) {
    lines.push(
      `  ${s.id} index=${s.index} term=${s.term} size=${s.size} configIndex=${s.configurationIndex} members=[${s.members.join(', ')}]`,
    );
  }
  lines.push(info.issues.length === 0 ? 'Consistency: OK' : `Consistency: ${info.issues.length} problem(s)`);
  for (const i of info.issues) lines.push(`  ! ${i}`);
  return lines;
}

export function infoToJson(info: StateInfo): string {
  return JSON.stringify(info, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
}
