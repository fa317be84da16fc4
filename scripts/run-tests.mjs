#!/usr/bin/env node
// Runs every *.test.ts under test/ with node's built-in test runner through the tsx loader.
// Node 20's `--test` does not expand globs, so the file list is gathered here.
// Usage: node scripts/run-tests.mjs [path-filter ...]   (filters are substrings of the file path)
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
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-timeout=${TEST_TIMEOUT_MS}`,
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? '2'}`,
  ...(process.env.TEST_REPORTER ? [`--test-reporter=${process.env.TEST_REPORTER}`] : []),
  ...files,
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: ROOT });
process.exit(r.status ?? 1);
