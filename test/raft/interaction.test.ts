// Runs every scripted interaction in test/raft/interaction/*.txt and compares each command's output with
// the golden text under its `----`. `UPDATE=1 node scripts/run-tests.mjs test/raft/interaction` rewrites
// the expectations (review the diff: it is the specification of the scenario).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScriptFile, updateScriptFile } from './interaction-harness.ts';

const DIR = new URL('./interaction/', import.meta.url).pathname;
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

test('interaction scripts exist', () => {
  assert.ok(files.length >= 6, `expected ≥ 6 scripts in ${DIR}, found ${files.length}`);
});

for (const f of files) {
  test(`interaction: ${f}`, () => {
    const path = join(DIR, f);
    const { blocks, actual } = runScriptFile(path);
    if (process.env.UPDATE === '1') {
      updateScriptFile(path, blocks, actual);
      return;
    }
    blocks.forEach((b, i) => {
      assert.equal(actual[i], b.expected, `${f}: output of "${b.command}" (block ${i + 1})`);
    });
    assert.ok(!actual.some((a) => a.startsWith('error: unknown command')), 'script uses only known commands');
  });
}
