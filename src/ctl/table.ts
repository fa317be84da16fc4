/**
 * Renders a status snapshot as a text table (pure): one row per sequencer, then the membership line,
 * the verdict and its problems, then per-node error notes. With `colour`, good cells are green, bad
 * ones red, attention-worthy ones yellow (ANSI SGR); without it, plain text for pipes and logs.
 *
 * Invariants: column widths are computed on the uncoloured text, so colour never breaks alignment;
 * a cell is "?" when its call failed and "-" when there is nothing to ask (no op-node configured).
 */
import { overriddenLeaderId, suffrageName } from './shapes.ts';
import type { ClusterSnapshot, SequencerStatus } from './status-model.ts';
import { unsafeHeadStaleSec, type Verdict } from './verdict.ts';

type Tone = 'good' | 'bad' | 'warn' | 'plain';

interface Cell {
  readonly text: string;
  readonly tone: Tone;
}

const sgr: Record<Tone, string> = { good: '\x1b[32m', bad: '\x1b[31m', warn: '\x1b[33m', plain: '' };
const reset = '\x1b[0m';
const bold = '\x1b[1m';
/** Hash cells show this many leading characters (0x + 8 hex) and the last 4. */
const hashHeadChars = 10;
const hashTailChars = 4;

export const columns = [
  'SEQUENCER',
  'CONDUCTOR',
  'LEADER',
  'LEADER VIEW',
  'ACTIVE',
  'PAUSED',
  'STOPPED',
  'HEALTHY',
  'SEQUENCING',
  'UNSAFE #',
  'UNSAFE HASH',
  'AGE',
  'SUFFRAGE',
] as const;

const unknown: Cell = { text: '?', tone: 'warn' };
const none: Cell = { text: '-', tone: 'plain' };

function yesNo(v: boolean | undefined, good: boolean | 'none'): Cell {
  if (v === undefined) return unknown;
  const text = v ? 'yes' : 'no';
  if (good === 'none') return { text, tone: 'plain' };
  return { text, tone: v === good ? 'good' : 'bad' };
}

export function shortHash(hash: string): string {
  return hash.length <= hashHeadChars + hashTailChars + 1
    ? hash
    : `${hash.slice(0, hashHeadChars)}…${hash.slice(-hashTailChars)}`;
}

function row(s: SequencerStatus, snap: ClusterSnapshot, majorityView: string | undefined): Cell[] {
  const c = s.conductor;
  const n = s.node;
  const nowSec = snap.atMs / 1000;
  const reach: Cell = c.reachable ? { text: 'up', tone: 'good' } : { text: 'down', tone: 'bad' };
  let view: Cell = unknown;
  if (c.leaderId !== undefined) {
    const text = c.leaderId === '' ? 'none' : c.leaderId === overriddenLeaderId ? 'overridden' : c.leaderId;
    view = { text, tone: c.leaderId === '' || c.leaderId !== majorityView ? 'bad' : 'good' };
  }
  const leader: Cell =
    c.leader === undefined
      ? unknown
      : {
          text: c.leader ? (c.overridden ? 'yes (override)' : 'yes') : 'no',
          tone: c.leader ? 'good' : 'plain',
        };
  const nodeCell = (f: () => Cell): Cell => (!n.configured ? none : f());
  const sequencingCell = nodeCell(() =>
    n.sequencing === undefined
      ? unknown
      : { text: n.sequencing ? 'yes' : 'no', tone: n.sequencing ? (c.leader ? 'good' : 'bad') : 'plain' },
  );
  const num = nodeCell(() => (n.unsafe ? { text: String(n.unsafe.number), tone: 'plain' } : unknown));
  const hash = nodeCell(() => (n.unsafe ? { text: shortHash(n.unsafe.hash), tone: 'plain' } : unknown));
  const age = nodeCell(() => {
    if (!n.unsafe) return unknown;
    if (n.unsafe.timestamp === 0) return none;
    const sec = Math.max(0, Math.round(nowSec - n.unsafe.timestamp));
    return { text: `${sec}s`, tone: sec > unsafeHeadStaleSec ? 'bad' : 'good' };
  });
  const member = snap.membership?.value.servers.find((x) => x.id === s.id);
  let suffrage: Cell = unknown;
  if (snap.membership) {
    if (!member) suffrage = { text: 'not member', tone: 'bad' };
    else {
      const want = s.config.voting ? 0 : 1;
      suffrage = { text: suffrageName(member.suffrage), tone: member.suffrage === want ? 'good' : 'bad' };
    }
  }
  return [
    { text: s.id, tone: 'plain' },
    reach,
    leader,
    view,
    yesNo(c.active, true),
    c.paused === undefined ? unknown : { text: c.paused ? 'yes' : 'no', tone: c.paused ? 'warn' : 'good' },
    yesNo(c.stopped, false),
    yesNo(c.healthy, true),
    sequencingCell,
    num,
    hash,
    age,
    suffrage,
  ];
}

/** The leader id most reachable conductors name (the reference for the LEADER VIEW colour). */
export function majorityLeaderView(snap: ClusterSnapshot): string | undefined {
  const counts = new Map<string, number>();
  for (const s of snap.sequencers) {
    const v = s.conductor.leaderId;
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [v, k] of counts)
    if (k > bestCount) {
      best = v;
      bestCount = k;
    }
  return best;
}

function paint(cell: Cell, colour: boolean): string {
  return colour && cell.tone !== 'plain' ? `${sgr[cell.tone]}${cell.text}${reset}` : cell.text;
}

export function renderStatus(snap: ClusterSnapshot, verdict: Verdict, colour: boolean): string {
  const majority = majorityLeaderView(snap);
  const rows = snap.sequencers.map((s) => row(s, snap, majority));
  const header = columns.map((h) => ({ text: h, tone: 'plain' as Tone }));
  const widths = columns.map((_, i) => Math.max(...[header, ...rows].map((r) => (r[i] as Cell).text.length)));
  const line = (cells: readonly Cell[], isHeader: boolean) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] as number) - cell.text.length);
        const text = isHeader && colour ? `${bold}${cell.text}${reset}` : paint(cell, colour);
        return i === cells.length - 1 ? text : text + pad;
      })
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  const title = snap.network !== undefined ? `network ${snap.network}, ` : '';
  out.push(`${title}${snap.sequencers.length} sequencers, ${new Date(snap.atMs).toISOString()}`);
  out.push(line(header, true));
  for (const r of rows) out.push(line(r, false));
  if (snap.membership) {
    const m = snap.membership.value;
    const members = m.servers.map((x) => `${x.id}@${x.addr} (${suffrageName(x.suffrage)})`).join(', ');
    out.push(`membership v${m.version} (from ${snap.membership.from}): ${members}`);
  } else out.push('membership: unknown (no conductor answered conductor_clusterMembership)');
  const tone: Tone = verdict.level === 'ok' ? 'good' : verdict.level === 'critical' ? 'bad' : 'warn';
  out.push(`verdict: ${paint({ text: verdict.headline, tone }, colour)}`);
  for (const p of verdict.problems) {
    out.push(
      `  ${paint({ text: p.level === 'critical' ? '!!' : '!', tone: p.level === 'critical' ? 'bad' : 'warn' }, colour)} ${p.category}: ${p.detail}`,
    );
  }
  for (const s of snap.sequencers) {
    if (s.conductor.error !== undefined) out.push(`  note: ${s.conductor.error}`);
    if (s.node.error !== undefined) out.push(`  note: ${s.node.error}`);
  }
  return `${out.join('\n')}\n`;
}

/** The `--json` form: the snapshot plus the verdict, bigint-free and stable for scripts. */
export function statusJson(snap: ClusterSnapshot, verdict: Verdict): string {
  return `${JSON.stringify({ ...snap, verdict }, null, 2)}\n`;
}
