// Every expression in the Grafana dashboard must reference metrics the daemon really exports: the names are
// taken from a live registry built by src/metrics/metrics.ts (with the default process/nodejs collectors),
// including the _bucket/_sum/_count series of histograms. A renamed metric breaks this test, not a dashboard.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createMetrics } from '../../src/metrics/metrics.ts';

interface Panel {
  title: string;
  targets: { expr: string }[];
}

const PROMQL_WORDS = new Set([
  'sum',
  'by',
  'rate',
  'increase',
  'histogram_quantile',
  'le',
  'instance',
  'without',
  'max',
  'min',
  'avg',
]);

async function exportedSeries(): Promise<Set<string>> {
  const m = createMetrics({ defaultMetrics: true });
  const names = new Set<string>();
  for (const metric of await m.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const s of ['_bucket', '_sum', '_count']) names.add(metric.name + s);
  }
  return names;
}

function metricNames(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return (withoutStrings.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter(
    (w) => !PROMQL_WORDS.has(w) && w.includes('_'),
  );
}

test('every dashboard expression references an exported metric', async () => {
  const dash = JSON.parse(
    readFileSync(new URL('../../docs/grafana/op-conductor.json', import.meta.url), 'utf8'),
  ) as { panels: Panel[] };
  const exported = await exportedSeries();
  const missing: string[] = [];
  let checked = 0;
  for (const p of dash.panels) {
    for (const t of p.targets) {
      const names = metricNames(t.expr);
      assert.ok(names.length > 0, `${p.title}: expression references no metric: ${t.expr}`);
      for (const n of names) {
        checked++;
        if (!exported.has(n)) missing.push(`${p.title}: ${n}`);
      }
    }
  }
  assert.ok(checked >= 20, 'dashboard covers the exported metrics');
  assert.deepEqual(missing, []);
});

test('the extractor finds metric names and ignores PromQL words and label values (the check can fail)', () => {
  assert.deepEqual(
    metricNames('histogram_quantile(0.99, sum by (le) (rate(op_conductor_x_bucket{error!="a_b"}[5m])))'),
    ['op_conductor_x_bucket'],
  );
});
