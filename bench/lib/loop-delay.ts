/**
 * Event-loop delay as the soak reports it: how late the loop ran a timer, net of the timer's own interval.
 *
 * Node's monitorEventLoopDelay (which prom-client's nodejs_eventloop_lag_* metrics read, at prom-client's
 * default precision of 10 ms) records the time between two runs of a repeating timer, interval included:
 * an idle process reads p50 ≈ 9.9 ms, p99 ≈ 11 ms at resolution 10, and 1.1 ms at resolution 1. The delay the
 * goal speaks of is what comes on top of the interval, so every figure here subtracts it (floored at 0, as
 * a timer may fire a fraction of a millisecond early), as @fastify/under-pressure does.
 *
 * Both the daemon and the idle reference process are read in the same shape: one histogram per window of
 * `LOOP_WINDOW_MS`, summarised as the worst window's p99, the median window's p99 and the overall max, so
 * the two can be compared figure by figure.
 */

/** prom-client's default `eventLoopMonitoringPrecision` (ms); the daemon keeps the default. */
export const PROM_LOOP_RESOLUTION_MS = 10;
/** One histogram window (the soak's scrape interval; prom-client resets its histogram at each scrape). */
export const LOOP_WINDOW_MS = 5_000;

/** A raw monitorEventLoopDelay reading (ms, interval included) → the delay beyond the interval. */
export function netLoopDelayMs(rawMs: number, resolutionMs = PROM_LOOP_RESOLUTION_MS): number {
  return Number.isFinite(rawMs) ? Math.max(0, rawMs - resolutionMs) : Number.NaN;
}

export interface LoopDelaySummary {
  /** Windows summarised. */
  readonly windows: number;
  readonly p99WorstMs: number;
  readonly p99MedianMs: number;
  readonly maxMs: number;
}

/** Summarise per-window raw p99 and max readings (ms, interval included) as net delays. */
export function summarizeLoopDelay(
  windowP99RawMs: readonly number[],
  windowMaxRawMs: readonly number[],
  resolutionMs = PROM_LOOP_RESOLUTION_MS,
): LoopDelaySummary {
  const p99 = windowP99RawMs
    .filter(Number.isFinite)
    .map((v) => netLoopDelayMs(v, resolutionMs))
    .sort((a, b) => a - b);
  const max = windowMaxRawMs.filter(Number.isFinite).map((v) => netLoopDelayMs(v, resolutionMs));
  if (p99.length === 0)
    return { windows: 0, p99WorstMs: Number.NaN, p99MedianMs: Number.NaN, maxMs: Number.NaN };
  return {
    windows: p99.length,
    p99WorstMs: p99[p99.length - 1] as number,
    p99MedianMs: p99[Math.floor((p99.length - 1) / 2)] as number,
    maxMs: max.length > 0 ? Math.max(...max) : Number.NaN,
  };
}
