#!/usr/bin/env node
// Runs every *.test.ts under test/ with node's built-in test runner through the tsx loader.
// Node 20's `--test` does not expand globs, so the file list is gathered here.
// Usage: node scripts/run-tests.mjs [path-filter ...]   (filters are substrings of the file path)
// test/e2e runs after the other files, on its own (see ISOLATED_DIR).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const TEST_TIMEOUT_MS = 10 * 60 * 1000;

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(ROOT, p));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = collect(join(ROOT, 'test'), [])
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
/**
 * The e2e scenarios run real conductor clusters and hold them to failover bounds (a new sequencer within
 * 5 s of a kill -9), so they run on their own after everything else: on a 2-core machine a concurrent
 * CPU-heavy test file (property tests, other clusters) slowed a freshly restarted leader's commits past
 * op-node's 1 s budget and pushed a failover over the bound.
 */
const ISOLATED_DIR = 'test/e2e/';

function run(list, concurrency) {
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    `--test-concurrency=${concurrency}`,
    ...(process.env.TEST_REPORTER ? [`--test-reporter=${process.env.TEST_REPORTER}`] : []),
    ...list,
  ];
  return spawnSync(process.execPath, args, { stdio: 'inherit', cwd: ROOT }).status ?? 1;
}

const shared = files.filter((f) => !f.startsWith(ISOLATED_DIR));
const isolated = files.filter((f) => f.startsWith(ISOLATED_DIR));
let status = 0;
if (shared.length > 0) status = run(shared, process.env.TEST_CONCURRENCY ?? '2') || status;
if (isolated.length > 0) status = run(isolated, '1') || status;
process.exit(status);
