/**
 * Shared steps of the ctl actions: read the cluster, find the one raft leader, read membership fresh
 * from it, resolve raft addresses, and pick the endpoints of a sequencer.
 *
 * Invariant: an action only proceeds on an unambiguous picture — exactly one reachable conductor that is
 * raft leader without the override; anything else is a CtlError(ERR_REFUSED) saying what was seen.
 */
import { type SequencerConfig, sequencerById } from './config.ts';
import type { CtlContext } from './context.ts';
import { CtlError, CtlErrorCode } from './errors.ts';
import { takeSnapshot } from './probe.ts';
import type { Endpoint } from './rpc.ts';
import { asBool, asMembership, type Membership, type ServerInfo } from './shapes.ts';
import type { ClusterSnapshot, SequencerStatus } from './status-model.ts';

export function snapshot(ctx: CtlContext): Promise<ClusterSnapshot> {
  return takeSnapshot(ctx.rpc, ctx.cluster, () => ctx.nowMs());
}

export function conductorOf(ctx: CtlContext, seq: SequencerConfig): Endpoint {
  return ctx.rpc.conductor(seq.id, seq.conductorRpcUrl);
}

export function nodeOf(ctx: CtlContext, seq: SequencerConfig): Endpoint {
  if (seq.nodeRpcUrl === undefined) {
    throw new CtlError(
      CtlErrorCode.Config,
      `no op-node URL for ${seq.id} (node_rpc_url, or --nodes ${seq.id}=URL)`,
    );
  }
  return ctx.rpc.node(seq.id, seq.nodeRpcUrl);
}

/** The single raft leader (override excluded), or a refusal naming what the cluster looks like. */
export function requireLeader(snap: ClusterSnapshot): SequencerStatus {
  const up = snap.sequencers.filter((s) => s.conductor.reachable);
  if (up.length === 0) {
    const why = snap.sequencers.map((s) => s.conductor.error ?? `${s.id}: unreachable`).join('; ');
    throw new CtlError(CtlErrorCode.Refused, `no conductor reachable: ${why}`);
  }
  const leaders = up.filter((s) => s.conductor.leader === true && s.conductor.overridden !== true);
  if (leaders.length > 1) {
    throw new CtlError(
      CtlErrorCode.Refused,
      `split view: ${leaders.map((s) => s.id).join(', ')} all claim leadership`,
    );
  }
  const leader = leaders[0];
  if (!leader) {
    const overridden = up.filter((s) => s.conductor.overridden === true).map((s) => s.id);
    const extra = overridden.length > 0 ? ` (leader override on: ${overridden.join(', ')})` : '';
    throw new CtlError(CtlErrorCode.Refused, `no raft leader among reachable conductors${extra}`);
  }
  return leader;
}

export async function readMembership(ctx: CtlContext, seq: SequencerConfig): Promise<Membership> {
  const v = await conductorOf(ctx, seq).call<unknown>('conductor_clusterMembership');
  return asMembership('conductor_clusterMembership', v);
}

/**
 * Membership as the cluster sees it now, from whichever conductor (except `skip`) has the newest
 * configuration — used while polling, when the leader may be changing.
 */
export async function newestMembership(ctx: CtlContext, skip?: string): Promise<Membership> {
  const seqs = ctx.cluster.sequencers.filter((s) => s.id !== skip);
  const all = await Promise.allSettled(seqs.map((s) => readMembership(ctx, s)));
  let best: Membership | undefined;
  for (const r of all)
    if (r.status === 'fulfilled' && (!best || r.value.version > best.version)) best = r.value;
  if (!best) throw new CtlError(CtlErrorCode.Rpc, 'no conductor answered conductor_clusterMembership');
  return best;
}

export async function readBool(ep: Endpoint, method: string): Promise<boolean> {
  return asBool(method, await ep.call<unknown>(method));
}

export function memberOf(m: Membership, id: string): ServerInfo | undefined {
  return m.servers.find((s) => s.id === id);
}

/** The ids an action applies to: `--all`, or the positional ids / `--sequencer-id`, each validated. */
export function targetIds(ctx: CtlContext, command: string): string[] {
  const named = [...ctx.args.positional];
  const one = ctx.args.str('sequencer-id');
  if (one !== undefined) named.push(one);
  if (ctx.args.bool('all')) {
    if (named.length > 0)
      throw new CtlError(CtlErrorCode.Usage, `${command}: give either --all or ids, not both`);
    return ctx.cluster.sequencers.map((s) => s.id);
  }
  if (named.length === 0)
    throw new CtlError(CtlErrorCode.Usage, `${command}: name the sequencers or pass --all`);
  for (const id of named) sequencerById(ctx.cluster, id);
  return [...new Set(named)];
}

/** Refuses unless every conductor answered and is paused (op-conductor-ops' disaster-recovery rule). */
export function requireAllPaused(snap: ClusterSnapshot, command: string): void {
  const notPaused = snap.sequencers.filter((s) => s.conductor.paused !== true).map((s) => s.id);
  if (notPaused.length > 0) {
    throw new CtlError(
      CtlErrorCode.Refused,
      `${command} needs every conductor paused first (not paused or unreachable: ${notPaused.join(', ')}); run pause --all, or pass --force`,
    );
  }
}
