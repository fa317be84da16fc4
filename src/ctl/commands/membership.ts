/**
 * Raft membership commands, all sent to the leader with the membership `version` read just before (or
 * given with --version), so a concurrent change is refused by the server (`configuration changed since
 * <v> (latest is <w>)`) instead of being overwritten:
 *   add-voter / add-nonvoter <id>      — raft address from the config (raft_addr / --raft-addrs);
 *   remove-server <id>                 — also for ids only present in the live membership;
 *   update-cluster-membership          — makes membership match the config: adds missing members,
 *                                        promotes nonvoters that should vote (AddVoter promotes),
 *                                        demotes voters that should not (remove, then add as nonvoter —
 *                                        AddNonvoter never demotes), fixes changed addresses; members
 *                                        already right are left alone, so running it twice changes nothing.
 * Every command polls the membership until the change is visible.
 */

import {
  conductorOf,
  memberOf,
  newestMembership,
  readMembership,
  requireLeader,
  snapshot,
} from '../cluster-ops.ts';
import type { SequencerConfig } from '../config.ts';
import { sequencerById } from '../config.ts';
import type { CtlContext } from '../context.ts';
import { CtlError, CtlErrorCode } from '../errors.ts';
import { pollUntil } from '../poll.ts';
import { type Membership, Suffrage, suffrageName } from '../shapes.ts';
import type { SequencerStatus } from '../status-model.ts';

function raftAddrOf(seq: SequencerConfig): string {
  if (seq.raftAddr === undefined) {
    throw new CtlError(
      CtlErrorCode.Config,
      `no raft address for ${seq.id} (raft_addr, or --raft-addrs ${seq.id}=host:port)`,
    );
  }
  return seq.raftAddr;
}

async function leaderAndMembership(
  ctx: CtlContext,
): Promise<{ leader: SequencerStatus; membership: Membership }> {
  const leader = requireLeader(await snapshot(ctx));
  return { leader, membership: await readMembership(ctx, leader.config) };
}

function addMethod(voter: boolean): string {
  return voter ? 'conductor_addServerAsVoter' : 'conductor_addServerAsNonvoter';
}

async function waitForMember(ctx: CtlContext, id: string, suffrage: number | undefined, skip?: string) {
  const want = suffrage === undefined ? 'removed' : suffrageName(suffrage);
  return pollUntil(ctx, `${id} ${want} in the membership`, async () => {
    const m = await newestMembership(ctx, skip);
    const member = memberOf(m, id);
    const done = suffrage === undefined ? !member : member?.suffrage === suffrage;
    return done
      ? { done: true, value: m }
      : { done: false, seen: `v${m.version}: ${member ? suffrageName(member.suffrage) : 'absent'}` };
  });
}

export async function addServer(ctx: CtlContext, voter: boolean): Promise<number> {
  const command = voter ? 'add-voter' : 'add-nonvoter';
  const id = ctx.args.positional[0];
  if (id === undefined) throw new CtlError(CtlErrorCode.Usage, `${command}: name the sequencer to add`);
  const seq = sequencerById(ctx.cluster, id);
  const addr = raftAddrOf(seq);
  const { leader, membership } = await leaderAndMembership(ctx);
  const want = voter ? Suffrage.Voter : Suffrage.Nonvoter;
  const existing = memberOf(membership, id);
  if (existing && existing.suffrage === want && existing.addr === addr) {
    ctx.out(
      `${id} is already a ${suffrageName(want)} at ${addr} (membership v${membership.version}); nothing to do`,
    );
    return 0;
  }
  if (existing?.suffrage === Suffrage.Voter && !voter) {
    throw new CtlError(
      CtlErrorCode.Refused,
      `${id} is a voter; raft does not demote with add-nonvoter (remove-server ${id} first)`,
    );
  }
  const version = ctx.args.int('version') ?? membership.version;
  await ctx.confirm([
    `add ${id} (${addr}) as ${suffrageName(want)} via leader ${leader.id}, membership version ${version}`,
  ]);
  await conductorOf(ctx, leader.config).call(addMethod(voter), [id, addr, version], 'action');
  const { value: m, elapsedMs } = await waitForMember(ctx, id, want);
  ctx.out(`${id} is now a ${suffrageName(want)} (membership v${m.version}, ${elapsedMs} ms)`);
  return 0;
}

export async function removeServer(ctx: CtlContext): Promise<number> {
  const id = ctx.args.positional[0];
  if (id === undefined) throw new CtlError(CtlErrorCode.Usage, 'remove-server: name the server to remove');
  const { leader, membership } = await leaderAndMembership(ctx);
  if (!memberOf(membership, id)) {
    throw new CtlError(
      CtlErrorCode.UnknownId,
      `${id} is not a cluster member (members: ${membership.servers.map((s) => s.id).join(', ')})`,
    );
  }
  const version = ctx.args.int('version') ?? membership.version;
  const plan = [`remove ${id} from the cluster via leader ${leader.id}, membership version ${version}`];
  if (id === leader.id) plan.push(`note: ${id} is the leader; removing it triggers an election`);
  await ctx.confirm(plan);
  await conductorOf(ctx, leader.config).call('conductor_removeServer', [id, version], 'action');
  const { value: m, elapsedMs } = await waitForMember(ctx, id, undefined, id);
  ctx.out(`${id} removed (membership v${m.version}, ${elapsedMs} ms)`);
  return 0;
}

type Step = {
  readonly kind: 'add' | 'remove';
  readonly seq: SequencerConfig;
  readonly voter: boolean;
  readonly why: string;
};

/** The changes that make `m` match the config (pure). */
export function reconcile(configured: readonly SequencerConfig[], m: Membership, leaderId: string): Step[] {
  const steps: Step[] = [];
  for (const seq of configured) {
    const addr = raftAddrOf(seq);
    const member = memberOf(m, seq.id);
    const want = seq.voting ? Suffrage.Voter : Suffrage.Nonvoter;
    if (!member) {
      steps.push({ kind: 'add', seq, voter: seq.voting, why: 'not a member' });
    } else if (member.suffrage === Suffrage.Voter && !seq.voting) {
      if (seq.id === leaderId) {
        throw new CtlError(
          CtlErrorCode.Refused,
          `${seq.id} should be a nonvoter but is the leader: transfer-leader first`,
        );
      }
      steps.push({ kind: 'remove', seq, voter: true, why: 'voter, should be nonvoter' });
      steps.push({ kind: 'add', seq, voter: false, why: 're-add as nonvoter' });
    } else if (member.suffrage !== want || member.addr !== addr) {
      const why =
        member.suffrage !== want
          ? `${suffrageName(member.suffrage)}, should be voter`
          : `address ${member.addr} -> ${addr}`;
      steps.push({ kind: 'add', seq, voter: seq.voting, why });
    }
  }
  return steps;
}

export async function updateClusterMembership(ctx: CtlContext): Promise<number> {
  const { leader, membership } = await leaderAndMembership(ctx);
  const steps = reconcile(ctx.cluster.sequencers, membership, leader.id);
  const configured = new Set(ctx.cluster.sequencers.map((s) => s.id));
  for (const s of membership.servers) {
    if (!configured.has(s.id))
      ctx.out(`note: member ${s.id} (${s.addr}) is not configured; remove it with remove-server ${s.id}`);
  }
  if (steps.length === 0) {
    ctx.out(`membership v${membership.version} already matches the config`);
    return 0;
  }
  await ctx.confirm(
    steps.map((s) =>
      s.kind === 'add'
        ? `add ${s.seq.id} (${s.seq.raftAddr}) as ${s.voter ? 'voter' : 'nonvoter'} — ${s.why}`
        : `remove ${s.seq.id} — ${s.why}`,
    ),
  );
  const leaderRpc = conductorOf(ctx, leader.config);
  for (const step of steps) {
    // A fresh version per step: each change bumps it, and a change by someone else must be refused.
    const { version } = await readMembership(ctx, leader.config);
    if (step.kind === 'remove') {
      await leaderRpc.call('conductor_removeServer', [step.seq.id, version], 'action');
      await waitForMember(ctx, step.seq.id, undefined, step.seq.id);
      ctx.out(`${step.seq.id}: removed (${step.why})`);
    } else {
      await leaderRpc.call(addMethod(step.voter), [step.seq.id, raftAddrOf(step.seq), version], 'action');
      await waitForMember(ctx, step.seq.id, step.voter ? Suffrage.Voter : Suffrage.Nonvoter);
      ctx.out(`${step.seq.id}: added as ${step.voter ? 'voter' : 'nonvoter'} (${step.why})`);
    }
  }
  const after = await readMembership(ctx, leader.config);
  ctx.out(
    `membership v${after.version}: ${after.servers.map((s) => `${s.id} (${suffrageName(s.suffrage)})`).join(', ')}`,
  );
  return 0;
}
