/**
 * Bounded polling: actions only *start* things (a leadership transfer RPC returns before the transfer
 * completes — optimism#22924), so each command re-reads the cluster until the outcome is visible.
 *
 * Invariant: gives up after `timeoutMs` with CtlError(ERR_TIMEOUT) that names what was awaited and what
 * was last seen; an observation that throws counts as "not yet" (a node may be mid-election).
 */
import type { CtlContext } from './context.ts';
import { CtlError, CtlErrorCode } from './errors.ts';
import { errorText } from './rpc.ts';

/** How often outcomes are re-read. */
export const pollIntervalMsDefault = 250;
/** How long an action's outcome may take to show (elections take ~1-2 s; pause waits on the loop). */
export const pollTimeoutMsDefault = 30_000;

export type Observation<T> =
  | { readonly done: true; readonly value: T }
  | { readonly done: false; readonly seen: string };

export async function pollUntil<T>(
  ctx: Pick<CtlContext, 'nowMs' | 'sleep' | 'pollTimeoutMs' | 'pollIntervalMs'>,
  what: string,
  observe: () => Promise<Observation<T>>,
): Promise<{ value: T; elapsedMs: number }> {
  const start = ctx.nowMs();
  const deadline = start + ctx.pollTimeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    try {
      const o = await observe();
      if (o.done) return { value: o.value, elapsedMs: ctx.nowMs() - start };
      seen = o.seen;
    } catch (e) {
      seen = errorText(e);
    }
    if (ctx.nowMs() >= deadline) break;
    await ctx.sleep(Math.min(ctx.pollIntervalMs, Math.max(0, deadline - ctx.nowMs())));
  }
  throw new CtlError(
    CtlErrorCode.Timeout,
    `timed out after ${ctx.pollTimeoutMs} ms waiting for ${what} (last seen: ${seen})`,
  );
}
