#!/usr/bin/env node
// op-conductor-ctl: operate a whole conductor cluster (status, transfer-leader, pause/resume, override,
// membership, disaster recovery). Same as `op-conductor ctl`. Runs the compiled entry from dist/.
import { existsSync } from 'node:fs';

const main = new URL('../dist/ctl/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('op-conductor-ctl: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
const { runCtl } = await import(main.href);
process.exitCode = await runCtl(process.argv.slice(2));
