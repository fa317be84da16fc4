/**
 * Renders docs/metrics.md from the metrics module itself (a fresh registry built by createMetrics), so the doc
 * cannot drift from what the daemon exports: name, type, labels, buckets and help of every op_conductor_* metric.
 */
import { createMetrics } from './metrics.ts';

interface MetricShape {
  readonly name: string;
  readonly help: string;
  readonly type: unknown;
  readonly labelNames?: readonly string[];
  readonly upperBounds?: readonly number[];
}

export function renderMetricsDoc(): string {
  const metrics = createMetrics().registry.getMetricsAsArray() as unknown as MetricShape[];
  const rows = [...metrics]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => {
      const labels = (m.labelNames ?? []).map((l) => `\`${l}\``).join(', ') || '—';
      const buckets = m.upperBounds ? m.upperBounds.join(' ') : '—';
      return `| \`${m.name}\` | ${String(m.type)} | ${labels} | ${buckets} | ${m.help} |`;
    });
  return [
    '# Metrics',
    '',
    'Generated from `src/metrics/metrics.ts` by `npm run docs:metrics`; a test fails when this file is stale.',
    'Served in the Prometheus text format on `metrics.addr:metrics.port` (any path) when `metrics.enabled`, together with',
    "prom-client's default `process_*` and `nodejs_*` collectors. Names, labels and buckets are the Go conductor's",
    "(spec §10, including the Base fork's commit/FSM/store histograms); the `op_conductor_raft_*` gauges are ours.",
    '',
    "`nodejs_eventloop_lag_*` are read from a histogram of a repeating 10 ms timer (prom-client's default precision) and",
    'include that interval: an idle conductor reads about 10–11 ms. The delay is the value minus 10 ms; set alert',
    'thresholds on that basis. Each scrape restarts the histogram, so a sample covers one scrape interval.',
    '',
    '| name | type | labels | buckets | help |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
