/**
 * Takes one cluster snapshot: every conductor_* status call and every op-node call for every sequencer,
 * all at once, each with the short status timeout — so a refresh costs one timeout at worst, whatever
 * number of nodes is dead.
 *
 * Invariant: never throws for a node failure; failures land in the snapshot (reachable=false, error).
 */
import type { ClusterConfig, SequencerConfig } from './config.ts';
import type { RpcEndpoints } from './rpc.ts';
import { errorText } from './rpc.ts';
import { asBool, asMembership, asServerInfo, asUnsafeHead, type Membership } from './shapes.ts';
import type { ClusterSnapshot, ConductorView, NodeView, SequencerStatus } from './status-model.ts';

type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

function value<T>(s: Settled<T>): T | undefined {
  return s.ok ? s.value : undefined;
}

function firstError(all: readonly Settled<unknown>[]): string | undefined {
  for (const s of all) if (!s.ok) return s.error;
  return undefined;
}

async function probeConductor(rpc: RpcEndpoints, seq: SequencerConfig): Promise<ConductorView> {
  const ep = rpc.conductor(seq.id, seq.conductorRpcUrl);
  const bool = (method: string) => settle(ep.call<unknown>(method).then((v) => asBool(method, v)));
  const [leader, withId, overridden, active, paused, stopped, healthy, membership] = await Promise.all([
    bool('conductor_leader'),
    settle(ep.call<unknown>('conductor_leaderWithID').then((v) => asServerInfo('conductor_leaderWithID', v))),
    bool('conductor_leaderOverridden'),
    bool('conductor_active'),
    bool('conductor_paused'),
    bool('conductor_stopped'),
    bool('conductor_sequencerHealthy'),
    settle(
      ep
        .call<unknown>('conductor_clusterMembership')
        .then((v) => asMembership('conductor_clusterMembership', v)),
    ),
  ]);
  const all = [leader, withId, overridden, active, paused, stopped, healthy, membership];
  const info = value(withId);
  const error = firstError(all);
  return {
    reachable: all.some((s) => s.ok),
    ...(error !== undefined ? { error } : {}),
    leader: value(leader),
    leaderId: info?.id,
    leaderAddr: info?.addr,
    overridden: value(overridden),
    active: value(active),
    paused: value(paused),
    stopped: value(stopped),
    healthy: value(healthy),
    membership: value(membership),
  };
}

async function probeNode(rpc: RpcEndpoints, seq: SequencerConfig): Promise<NodeView> {
  if (seq.nodeRpcUrl === undefined) return { configured: false, reachable: false };
  const ep = rpc.node(seq.id, seq.nodeRpcUrl);
  const [sequencing, sync] = await Promise.all([
    settle(ep.call<unknown>('admin_sequencerActive').then((v) => asBool('admin_sequencerActive', v))),
    settle(ep.call<unknown>('optimism_syncStatus').then((v) => asUnsafeHead('optimism_syncStatus', v))),
  ]);
  const error = firstError([sequencing, sync]);
  return {
    configured: true,
    reachable: sequencing.ok || sync.ok,
    ...(error !== undefined ? { error } : {}),
    sequencing: value(sequencing),
    unsafe: value(sync),
  };
}

export async function probeSequencer(rpc: RpcEndpoints, seq: SequencerConfig): Promise<SequencerStatus> {
  const [conductor, node] = await Promise.all([probeConductor(rpc, seq), probeNode(rpc, seq)]);
  return { id: seq.id, config: seq, conductor, node };
}

/** The membership to show: the (non-overridden) leader's, else the highest version any conductor has. */
export function pickMembership(
  sequencers: readonly SequencerStatus[],
): { from: string; value: Membership } | undefined {
  const leader = sequencers.find((s) => s.conductor.leader === true && s.conductor.overridden !== true);
  if (leader?.conductor.membership) return { from: leader.id, value: leader.conductor.membership };
  let best: { from: string; value: Membership } | undefined;
  for (const s of sequencers) {
    const m = s.conductor.membership;
    if (m && (!best || m.version > best.value.version)) best = { from: s.id, value: m };
  }
  return best;
}

export async function takeSnapshot(
  rpc: RpcEndpoints,
  cluster: ClusterConfig,
  nowMs: () => number,
): Promise<ClusterSnapshot> {
  const atMs = nowMs();
  const sequencers = await Promise.all(cluster.sequencers.map((s) => probeSequencer(rpc, s)));
  const membership = pickMembership(sequencers);
  return {
    atMs,
    ...(cluster.network !== undefined ? { network: cluster.network } : {}),
    sequencers,
    ...(membership ? { membership } : {}),
  };
}
