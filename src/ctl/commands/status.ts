/**
 * `status [--watch [--interval 2s] [--iterations N]] [--json]`: one snapshot rendered as a table (or JSON),
 * or with --watch a refresh every interval — redrawn in place on a terminal, appended otherwise (one JSON
 * document per line with --json) — until Ctrl-C or N refreshes.
 *
 * Exit status: 0 for a healthy cluster, 3 when the last verdict is degraded or critical, so scripts and
 * probes can use it; errors reaching the nodes are part of the table, not failures of the command.
 */

import { snapshot } from '../cluster-ops.ts';
import type { CtlContext } from '../context.ts';
import { renderStatus, statusJson } from '../table.ts';
import { judge } from '../verdict.ts';

export const watchIntervalMsDefault = 2_000;
export const unhealthyExitCode = 3;
const clearScreen = '\x1b[H\x1b[2J';

export async function status(ctx: CtlContext, colour: boolean): Promise<number> {
  const watch = ctx.args.bool('watch');
  const json = ctx.args.bool('json');
  const intervalMs = ctx.args.duration('interval') ?? watchIntervalMsDefault;
  const iterations = watch ? (ctx.args.int('iterations') ?? 0) : 1;
  let healthy = false;
  for (let i = 0; iterations === 0 || i < iterations; i++) {
    if (i > 0) {
      await ctx.sleep(intervalMs, ctx.signal);
      if (ctx.signal?.aborted) break;
    }
    const snap = await snapshot(ctx);
    const verdict = judge(snap);
    healthy = verdict.level === 'ok';
    if (json) ctx.write(watch ? `${JSON.stringify({ ...snap, verdict })}\n` : statusJson(snap, verdict));
    else {
      const table = renderStatus(snap, verdict, colour);
      ctx.write(watch && ctx.tty ? clearScreen + table : watch ? `${table}\n` : table);
    }
    if (ctx.signal?.aborted) break;
  }
  return healthy ? 0 : unhealthyExitCode;
}
