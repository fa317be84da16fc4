// Writes docs/configuration.md from the flag schema (src/config/schema.ts via src/config/doc.ts).
// Usage: node --import tsx scripts/gen-config-doc.ts          (write)
//        node --import tsx scripts/gen-config-doc.ts --check  (exit 1 if the committed doc is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigDoc } from '../src/config/doc.ts';

const path = new URL('../docs/configuration.md', import.meta.url);
const doc = renderConfigDoc();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // A missing doc is stale.
  }
  if (current !== doc) {
    process.stderr.write('docs/configuration.md is stale: run `npm run docs:config`\n');
    process.exit(1);
  }
} else {
  writeFileSync(path, doc);
}
