// docs/metrics.md is generated from the metrics module; this fails when a metric changes without
// `npm run docs:metrics` (or when the doc is edited by hand).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderMetricsDoc } from '../../src/metrics/doc.ts';

test('docs/metrics.md matches src/metrics/metrics.ts', () => {
  const committed = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  assert.ok(committed === renderMetricsDoc(), 'docs/metrics.md is stale: run `npm run docs:metrics`');
});

test('the doc lists the Go conductor metrics with their buckets', () => {
  const doc = renderMetricsDoc();
  for (const name of [
    'op_conductor_healthchecks_count',
    'op_conductor_state_changes_count',
    'op_conductor_loop_execution_time',
  ]) {
    assert.ok(doc.includes(`\`${name}\``), name);
  }
  assert.match(
    doc,
    /`op_conductor_loop_execution_time` \| histogram \| — \| 0\.005 0\.01 0\.025 0\.05 0\.1 0\.25 0\.5 1 2\.5 5 10 \|/,
  );
});
