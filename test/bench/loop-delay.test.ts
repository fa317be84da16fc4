// The soak's event-loop figures: a raw monitorEventLoopDelay reading includes the timer's interval, which is
// taken off (floored at 0); per-window readings summarise as worst / median window p99 and overall max.
// Also that the histogram really does include the interval (the reason for the subtraction): an idle
// process's smallest reading at resolution 10 is at least 5 ms, never a delay of ~0.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { netLoopDelayMs, PROM_LOOP_RESOLUTION_MS, summarizeLoopDelay } from '../../bench/lib/loop-delay.ts';

const SAMPLE_WINDOW_MS = 200;

test('netLoopDelayMs takes off the interval and floors at 0', () => {
  assert.equal(netLoopDelayMs(13.5), 3.5);
  assert.equal(netLoopDelayMs(9.7), 0);
  assert.equal(netLoopDelayMs(2.5, 1), 1.5);
  assert.ok(Number.isNaN(netLoopDelayMs(Number.NaN)));
});

test('summarizeLoopDelay: worst and median window p99, overall max, all net; NaN windows skipped', () => {
  const s = summarizeLoopDelay([12, 30, Number.NaN, 11, 14], [20, 70, Number.NaN, 15, 16]);
  assert.deepEqual(s, { windows: 4, p99WorstMs: 20, p99MedianMs: 2, maxMs: 60 });
  const none = summarizeLoopDelay([], []);
  assert.equal(none.windows, 0);
  assert.ok(Number.isNaN(none.p99WorstMs) && Number.isNaN(none.maxMs));
});

test('monitorEventLoopDelay readings include the interval', async () => {
  const h = monitorEventLoopDelay({ resolution: PROM_LOOP_RESOLUTION_MS });
  h.enable();
  await new Promise((r) => setTimeout(r, SAMPLE_WINDOW_MS));
  h.disable();
  assert.ok(h.count > 0, 'no readings');
  assert.ok(h.min / 1e6 >= PROM_LOOP_RESOLUTION_MS / 2, `min ${h.min / 1e6} ms`);
});
