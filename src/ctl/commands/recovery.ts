/**
 * Disaster-recovery commands of op-conductor-ops (ecosystem.md §1.4), with their pre-conditions:
 *   halt-sequencer [--force]              — needs every conductor paused (else the conductors would restart
 *                                           it); admin_stopSequencer on each active op-node; polls until none
 *                                           is active.
 *   force-active-sequencer <id> [--force] — needs every conductor paused; stops the active sequencer(s) and
 *                                           takes the returned head hash (else the target's unsafe head
 *                                           hash), waits `stopSettleMs`, then admin_startSequencer(hash) on
 *                                           the target; polls until it is active. Also refused (unless
 *                                           --force) when the target's conductor is neither leader nor
 *                                           overridden: op-node asks its conductor first and would refuse to
 *                                           start, leaving the chain halted.
 */

import { nodeOf, readBool, requireAllPaused, snapshot } from '../cluster-ops.ts';
import { sequencerById } from '../config.ts';
import type { CtlContext } from '../context.ts';
import { CtlError, CtlErrorCode } from '../errors.ts';
import { pollUntil } from '../poll.ts';
import { asUnsafeHead } from '../shapes.ts';

/** op-conductor-ops sleeps this long between stopping one sequencer and starting another. */
export const stopSettleMs = 1_000;

export async function haltSequencer(ctx: CtlContext): Promise<number> {
  const snap = await snapshot(ctx);
  if (!ctx.args.bool('force')) requireAllPaused(snap, 'halt-sequencer');
  const active = snap.sequencers.filter((s) => s.node.sequencing === true);
  if (active.length === 0) {
    ctx.out('no op-node is sequencing; nothing to halt');
    return 0;
  }
  await ctx.confirm(active.map((s) => `stop the sequencer on ${s.id}'s op-node (admin_stopSequencer)`));
  for (const s of active) {
    const hash = await nodeOf(ctx, s.config).call<unknown>('admin_stopSequencer', [], 'action');
    ctx.out(`${s.id}: sequencer stopped at ${String(hash)}`);
  }
  const { elapsedMs } = await pollUntil(ctx, 'no active sequencer', async () => {
    const states = await Promise.all(
      active.map(async (s) => ({
        id: s.id,
        on: await readBool(nodeOf(ctx, s.config), 'admin_sequencerActive'),
      })),
    );
    const still = states.filter((s) => s.on).map((s) => s.id);
    return still.length === 0
      ? { done: true, value: true }
      : { done: false, seen: `still active: ${still.join(', ')}` };
  });
  ctx.out(`sequencing halted (${elapsedMs} ms)`);
  return 0;
}

export async function forceActiveSequencer(ctx: CtlContext): Promise<number> {
  const id = ctx.args.positional[0];
  if (id === undefined)
    throw new CtlError(CtlErrorCode.Usage, 'force-active-sequencer: name the sequencer to start');
  const seq = sequencerById(ctx.cluster, id);
  const targetNode = nodeOf(ctx, seq);
  const force = ctx.args.bool('force');
  const snap = await snapshot(ctx);
  if (!force) requireAllPaused(snap, 'force-active-sequencer');
  const target = snap.sequencers.find((s) => s.id === id);
  const active = snap.sequencers.filter((s) => s.node.sequencing === true);
  if (active.length === 1 && active[0]?.id === id) {
    ctx.out(`${id} is already the only active sequencer; nothing to do`);
    return 0;
  }
  if (!force && target && target.conductor.leader !== true) {
    throw new CtlError(
      CtlErrorCode.Refused,
      `${id}'s conductor is not leader, so its op-node would refuse to start; run transfer-leader --to ${id} or override-leader ${id} on first (or --force)`,
    );
  }
  const others = active.filter((s) => s.id !== id);
  const plan = others.map((s) => `stop the sequencer on ${s.id}'s op-node and take its head hash`);
  plan.push(
    `start the sequencer on ${id}'s op-node at ${others.length > 0 ? 'that hash' : `${id}'s unsafe head`}`,
  );
  await ctx.confirm(plan);
  let hash: string | undefined;
  for (const s of others) {
    const h = await nodeOf(ctx, s.config).call<unknown>('admin_stopSequencer', [], 'action');
    ctx.out(`${s.id}: sequencer stopped at ${String(h)}`);
    if (hash === undefined && typeof h === 'string') hash = h;
  }
  if (hash === undefined) {
    hash = asUnsafeHead('optimism_syncStatus', await targetNode.call<unknown>('optimism_syncStatus')).hash;
  } else {
    await ctx.sleep(stopSettleMs);
  }
  await targetNode.call('admin_startSequencer', [hash], 'action');
  const { elapsedMs } = await pollUntil(ctx, `${id} sequencing`, async () => {
    const on = await readBool(targetNode, 'admin_sequencerActive');
    return on ? { done: true, value: true } : { done: false, seen: 'admin_sequencerActive=false' };
  });
  ctx.out(`${id}: sequencer started at ${hash} (${elapsedMs} ms)`);
  return 0;
}
