/**
 * `pause` / `resume` (`--all` | ids | op-conductor-ops' `--sequencer-id`): calls every named conductor at
 * once, prints one line per conductor, then polls conductor_paused until each that accepted shows the
 * new state. Unlike op-conductor-ops (which always exits 0), a conductor that failed makes the exit non-zero.
 */

import { conductorOf, readBool, targetIds } from '../cluster-ops.ts';
import { sequencerById } from '../config.ts';
import type { CtlContext } from '../context.ts';
import { CtlError, CtlErrorCode } from '../errors.ts';
import { pollUntil } from '../poll.ts';
import { errorText } from '../rpc.ts';

export async function pauseOrResume(ctx: CtlContext, pause: boolean): Promise<number> {
  const verb = pause ? 'pause' : 'resume';
  const ids = targetIds(ctx, verb);
  await ctx.confirm([`${verb} conductors: ${ids.join(', ')}`]);
  const results = await Promise.allSettled(
    ids.map((id) => conductorOf(ctx, sequencerById(ctx.cluster, id)).call(`conductor_${verb}`, [], 'action')),
  );
  const ok: string[] = [];
  const failed: string[] = [];
  results.forEach((r, i) => {
    const id = ids[i] as string;
    if (r.status === 'fulfilled') ok.push(id);
    else {
      failed.push(errorText(r.reason));
    }
  });
  if (ok.length > 0) {
    const { elapsedMs } = await pollUntil(
      ctx,
      `${ok.join(', ')} ${pause ? 'paused' : 'resumed'}`,
      async () => {
        const states = await Promise.all(
          ok.map(async (id) => ({
            id,
            paused: await readBool(conductorOf(ctx, sequencerById(ctx.cluster, id)), 'conductor_paused'),
          })),
        );
        const pending = states.filter((s) => s.paused !== pause).map((s) => s.id);
        return pending.length === 0
          ? { done: true, value: true }
          : { done: false, seen: `still ${pause ? 'running' : 'paused'}: ${pending.join(', ')}` };
      },
    );
    for (const id of ok) ctx.out(`${id}: ${pause ? 'paused' : 'resumed'}`);
    ctx.out(`${ok.length} of ${ids.length} ${pause ? 'paused' : 'resumed'} (${elapsedMs} ms)`);
  }
  if (failed.length > 0) throw new CtlError(CtlErrorCode.Rpc, `${verb} failed: ${failed.join('; ')}`);
  return 0;
}
