/**
 * The verdict line under the status table (pure). Problems are listed most dangerous first; the first one
 * names the verdict:
 *   critical — no conductor reachable, two active sequencers, split view (several leaders, or conductors
 *              naming different leaders), no leader;
 *   degraded — node unreachable, no active sequencer, leader override on, paused / stopped / unhealthy
 *              conductors, unsafe head stale, membership differing from the config (op-conductor-ops'
 *              warnings: wrong suffrage, configured but not a member, member but not configured).
 * No problem at all → "healthy cluster".
 */

import { overriddenLeaderId, Suffrage } from './shapes.ts';
import type { ClusterSnapshot } from './status-model.ts';

/** An unsafe head older than this on a reachable op-node is reported (OP Stack blocks come every 1-2 s). */
export const unsafeHeadStaleSec = 30;

export type VerdictLevel = 'ok' | 'degraded' | 'critical';

export interface Problem {
  readonly level: Exclude<VerdictLevel, 'ok'>;
  readonly category: string;
  readonly detail: string;
}

export interface Verdict {
  readonly level: VerdictLevel;
  /** The first problem's category, or "healthy cluster". */
  readonly headline: string;
  readonly problems: readonly Problem[];
}

export const Category = {
  Healthy: 'healthy cluster',
  NoConductor: 'no conductor reachable',
  TwoActive: 'two active sequencers',
  SplitView: 'split view',
  NoLeader: 'no leader',
  Unreachable: 'node unreachable',
  NoActive: 'no active sequencer',
  Override: 'leader override on',
  Paused: 'conductor paused',
  Stopped: 'conductor stopped',
  Unhealthy: 'sequencer unhealthy',
  Stale: 'unsafe head stale',
  Membership: 'membership differs from config',
} as const;

const ids = (xs: readonly { id: string }[]) => xs.map((x) => x.id).join(', ');

export function judge(snap: ClusterSnapshot): Verdict {
  const seqs = snap.sequencers;
  const problems: Problem[] = [];
  const crit = (category: string, detail: string) => problems.push({ level: 'critical', category, detail });
  const warn = (category: string, detail: string) => problems.push({ level: 'degraded', category, detail });

  const up = seqs.filter((s) => s.conductor.reachable);
  if (up.length === 0) crit(Category.NoConductor, ids(seqs));

  const sequencing = seqs.filter((s) => s.node.sequencing === true);
  if (sequencing.length > 1) crit(Category.TwoActive, ids(sequencing));

  const leaders = up.filter((s) => s.conductor.leader === true);
  const views = new Set(
    up.map((s) => s.conductor.leaderId).filter((v): v is string => v !== undefined && v !== ''),
  );
  if (leaders.length > 1) crit(Category.SplitView, `${ids(leaders)} all claim leadership`);
  else if (views.size > 1) {
    const detail = up
      .filter((s) => s.conductor.leaderId)
      .map((s) => `${s.id}→${s.conductor.leaderId}`)
      .join(', ');
    crit(Category.SplitView, detail);
  }
  if (up.length > 0 && leaders.length === 0 && views.size === 0)
    crit(Category.NoLeader, 'no conductor knows a leader');

  const downConductors = seqs.filter((s) => !s.conductor.reachable).map((s) => `${s.id} conductor`);
  const downNodes = seqs.filter((s) => s.node.configured && !s.node.reachable).map((s) => `${s.id} op-node`);
  if (downConductors.length + downNodes.length > 0)
    warn(Category.Unreachable, [...downConductors, ...downNodes].join(', '));

  const nodesAnswered = seqs.filter((s) => s.node.sequencing !== undefined);
  if (nodesAnswered.length > 0 && sequencing.length === 0)
    warn(Category.NoActive, 'no op-node is sequencing');

  const overridden = up.filter(
    (s) => s.conductor.overridden === true || s.conductor.leaderId === overriddenLeaderId,
  );
  if (overridden.length > 0) warn(Category.Override, ids(overridden));
  const stopped = up.filter((s) => s.conductor.stopped === true);
  if (stopped.length > 0) warn(Category.Stopped, ids(stopped));
  const paused = up.filter((s) => s.conductor.paused === true && s.conductor.stopped !== true);
  if (paused.length > 0) warn(Category.Paused, ids(paused));
  const unhealthy = up.filter((s) => s.conductor.healthy === false);
  if (unhealthy.length > 0) warn(Category.Unhealthy, ids(unhealthy));
  const nowSec = snap.atMs / 1000;
  const stale = seqs.filter(
    (s) =>
      s.node.unsafe !== undefined &&
      s.node.unsafe.timestamp > 0 &&
      nowSec - s.node.unsafe.timestamp > unsafeHeadStaleSec,
  );
  if (stale.length > 0) warn(Category.Stale, `${ids(stale)} (older than ${unsafeHeadStaleSec}s)`);

  const m = snap.membership?.value;
  if (m) {
    const diffs: string[] = [];
    const configured = new Set(seqs.map((s) => s.id));
    for (const s of seqs) {
      const member = m.servers.find((x) => x.id === s.id);
      const want = s.config.voting ? Suffrage.Voter : Suffrage.Nonvoter;
      if (!member) diffs.push(`${s.id} is not a member`);
      else if (member.suffrage !== want)
        diffs.push(`${s.id} should be ${s.config.voting ? 'voter' : 'nonvoter'}`);
    }
    for (const x of m.servers) if (!configured.has(x.id)) diffs.push(`member ${x.id} is not configured`);
    if (diffs.length > 0) warn(Category.Membership, diffs.join('; '));
  }

  const first = problems[0];
  return first
    ? {
        level: problems.some((p) => p.level === 'critical') ? 'critical' : 'degraded',
        headline: first.category,
        problems,
      }
    : { level: 'ok', headline: Category.Healthy, problems };
}
