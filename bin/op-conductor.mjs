#!/usr/bin/env node
// The op-conductor daemon. Runs the compiled composition root from dist/ (built by `npm run build`,
// which `npm ci` runs through the `prepare` script).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('op-conductor: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
const { runMain } = await import(main.href);
await runMain();
