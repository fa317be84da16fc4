// The Raft core must stay pure (house rule A.10.1): no node:* or I/O imports, no timers, no clock,
// no Math.random, no process. Biome enforces most of this per path; this test is the backstop that also
// catches Math.random and dynamic imports, and it fails if the folder is ever moved or emptied.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const CORE_DIR = new URL('../../src/raft/core/', import.meta.url).pathname;
const FORBIDDEN: readonly [RegExp, string][] = [
  [/from\s+['"](node:|fs|net|os|crypto|timers|lmdb|pino|prom-client|fastify|undici|ws)['"/]/, 'I/O import'],
  [/\bimport\(/, 'dynamic import'],
  [/\brequire\(/, 'require'],
  [/\bset(Timeout|Interval|Immediate)\b/, 'timer'],
  [/\bDate\b/, 'clock (Date)'],
  [/\bperformance\./, 'clock (performance)'],
  [/\bMath\.random\b/, 'Math.random'],
  [/\bprocess\./, 'process'],
];

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listTs(p) : name.endsWith('.ts') ? [p] : [];
  });
}

test('src/raft/core imports no I/O and uses no clock, timer, randomness or process', () => {
  const files = listTs(CORE_DIR);
  assert.ok(files.length >= 3, 'core folder must exist and hold the core');
  const violations: string[] = [];
  for (const f of files) {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (/^\s*\*/.test(code)) return; // doc comment line
      for (const [re, what] of FORBIDDEN)
        if (re.test(code)) violations.push(`${f}:${i + 1}: ${what}: ${line.trim()}`);
    });
  }
  assert.deepEqual(violations, []);
});
