/**
 * `transfer-leader [--to id | id] [--force]` and `override-leader <id> on|off [--node]`.
 *
 * transfer-leader, validated like op-conductor-ops (infra#156): the target must be a configured voter
 * and, unless --force, reachable, healthy and not paused; a paused current leader is only noted. The RPC
 * only starts the transfer, so the command then polls until every reachable conductor names the new
 * leader. override-leader sets/clears the conductor's override (and with --node calls op-node's
 * admin_overrideLeader, which has no "off": clearing it means restarting that op-node) and polls
 * conductor_leaderOverridden.
 */

import { conductorOf, nodeOf, readBool, readMembership, requireLeader, snapshot } from '../cluster-ops.ts';
import { sequencerById } from '../config.ts';
import type { CtlContext } from '../context.ts';
import { CtlError, CtlErrorCode } from '../errors.ts';
import { pollUntil } from '../poll.ts';
import { asServerInfo, Suffrage } from '../shapes.ts';

/** Who every reachable conductor names as leader; done when they all name the same one, not `from`. */
async function observeNewLeader(ctx: CtlContext, from: string) {
  const views = await Promise.allSettled(
    ctx.cluster.sequencers.map(async (s) => {
      const info = asServerInfo(
        'conductor_leaderWithID',
        await conductorOf(ctx, s).call<unknown>('conductor_leaderWithID'),
      );
      return { id: s.id, view: info.id };
    }),
  );
  const answered = views.flatMap((v) => (v.status === 'fulfilled' ? [v.value] : []));
  const named = new Set(answered.map((a) => a.view));
  const seen = answered.map((a) => `${a.id}→${a.view || 'none'}`).join(', ') || 'no conductor answered';
  const [only] = [...named];
  if (answered.length > 0 && named.size === 1 && only !== undefined && only !== '' && only !== from) {
    const leader = ctx.cluster.sequencers.find((s) => s.id === only);
    // The new leader must also say so itself (its own raft state, not only followers' view).
    if (leader && !(await readBool(conductorOf(ctx, leader), 'conductor_leader')))
      return { done: false as const, seen };
    return { done: true as const, value: only };
  }
  return { done: false as const, seen };
}

export async function transferLeader(ctx: CtlContext): Promise<number> {
  const toId = ctx.args.str('to') ?? ctx.args.positional[0];
  const force = ctx.args.bool('force');
  const snap = await snapshot(ctx);
  const leader = requireLeader(snap);
  const plan: string[] = [];
  let call: () => Promise<unknown>;
  if (toId !== undefined) {
    const target = sequencerById(ctx.cluster, toId);
    if (target.id === leader.id)
      throw new CtlError(CtlErrorCode.Refused, `${target.id} is already the leader`);
    const membership = leader.conductor.membership ?? (await readMembership(ctx, leader.config));
    const member = membership.servers.find((s) => s.id === target.id);
    if (!member)
      throw new CtlError(
        CtlErrorCode.Refused,
        `${target.id} is not a cluster member (add-voter ${target.id} first)`,
      );
    if (member.suffrage !== Suffrage.Voter) {
      throw new CtlError(CtlErrorCode.Refused, `${target.id} is a nonvoter and cannot become leader`);
    }
    const t = snap.sequencers.find((s) => s.id === target.id);
    if (!force && t) {
      if (!t.conductor.reachable)
        throw new CtlError(CtlErrorCode.Refused, `${target.id}'s conductor is unreachable (use --force)`);
      if (t.conductor.healthy === false)
        throw new CtlError(CtlErrorCode.Refused, `${target.id} is unhealthy (use --force)`);
      if (t.conductor.paused === true)
        throw new CtlError(CtlErrorCode.Refused, `${target.id}'s conductor is paused (use --force)`);
    }
    plan.push(`transfer leadership from ${leader.id} to ${target.id} (${member.addr})`);
    const addr = member.addr;
    call = () =>
      conductorOf(ctx, leader.config).call('conductor_transferLeaderToServer', [target.id, addr], 'action');
  } else {
    plan.push(`transfer leadership away from ${leader.id} (raft picks the most up-to-date voter)`);
    call = () => conductorOf(ctx, leader.config).call('conductor_transferLeader', [], 'action');
  }
  if (leader.conductor.paused === true) plan.push(`note: the current leader ${leader.id} is paused`);
  await ctx.confirm(plan);
  await call();
  ctx.out(`transfer started on ${leader.id}; waiting for the cluster to agree on a new leader`);
  const { value: now, elapsedMs } = await pollUntil(ctx, `a leader other than ${leader.id}`, () =>
    observeNewLeader(ctx, leader.id),
  );
  if (toId !== undefined && now !== toId) {
    throw new CtlError(
      CtlErrorCode.Refused,
      `leadership moved to ${now}, not ${toId} (after ${elapsedMs} ms)`,
    );
  }
  ctx.out(`leader: ${leader.id} -> ${now} (${elapsedMs} ms)`);
  return 0;
}

function overrideState(ctx: CtlContext): boolean {
  const word = ctx.args.positional[1];
  if (ctx.args.bool('remove')) {
    if (word !== undefined && word !== 'off')
      throw new CtlError(CtlErrorCode.Usage, 'override-leader: --remove means off');
    return false;
  }
  if (word === undefined || word === 'on' || word === 'true') return true;
  if (word === 'off' || word === 'false') return false;
  throw new CtlError(CtlErrorCode.Usage, `override-leader: want on or off, got "${word}"`);
}

export async function overrideLeader(ctx: CtlContext): Promise<number> {
  const id = ctx.args.positional[0];
  if (id === undefined)
    throw new CtlError(
      CtlErrorCode.Usage,
      'override-leader: name the sequencer: override-leader <id> on|off',
    );
  const seq = sequencerById(ctx.cluster, id);
  const on = overrideState(ctx);
  const withNode = ctx.args.bool('node');
  const node = withNode ? nodeOf(ctx, seq) : undefined;
  const plan = [
    `${on ? 'set' : 'clear'} the leader override on ${seq.id}'s conductor (conductor_overrideLeader ${on})`,
  ];
  if (node && on) plan.push(`make ${seq.id}'s op-node act as leader (admin_overrideLeader)`);
  if (node && !on)
    plan.push(`op-node has no way to clear its override: restart ${seq.id}'s op-node afterwards`);
  await ctx.confirm(plan);
  const conductor = conductorOf(ctx, seq);
  await conductor.call('conductor_overrideLeader', [on], 'action');
  if (node && on) await node.call('admin_overrideLeader', [], 'action');
  const { elapsedMs } = await pollUntil(ctx, `${seq.id} leader override ${on ? 'on' : 'off'}`, async () => {
    const v = await readBool(conductor, 'conductor_leaderOverridden');
    return v === on ? { done: true, value: v } : { done: false, seen: `conductor_leaderOverridden=${v}` };
  });
  ctx.out(
    `${seq.id}: leader override ${on ? 'on' : 'off'} (${elapsedMs} ms)${node && on ? ', op-node overridden' : ''}`,
  );
  if (node && !on) ctx.out(`${seq.id}: restart its op-node to clear op-node's own override`);
  return 0;
}
