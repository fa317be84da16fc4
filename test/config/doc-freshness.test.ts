// docs/configuration.md is generated from the schema; this fails when someone changes a flag and
// forgets `npm run docs:config` (or edits the doc by hand).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigDoc } from '../../src/config/doc.ts';
import { envVarFor, FLAGS } from '../../src/config/schema.ts';

test('docs/configuration.md matches the schema', () => {
  const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.ok(committed === renderConfigDoc(), 'docs/configuration.md is stale: run `npm run docs:config`');
});

test('the generated doc names every flag and env var', () => {
  const doc = renderConfigDoc();
  for (const f of FLAGS) {
    assert.ok(doc.includes(`\`--${f.name}\``), f.name);
    assert.ok(doc.includes(`\`${envVarFor(f.name)}\``), f.name);
  }
});
