#!/usr/bin/env node
// op-conductor-init: the Raft state tool (generate, info/verify, backup/restore, recover,
// edit-unsafehead, import-bolt). Runs the compiled entry from dist/ (built by `npm run build`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/init/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('op-conductor-init: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
const { runMain } = await import(main.href);
await runMain();
