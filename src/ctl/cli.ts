/** Runs `op-conductor ctl` on this process's argv and stdio (for `node --import tsx src/ctl/cli.ts ...`). */
import { runCtl } from './main.ts';

process.exitCode = await runCtl(process.argv.slice(2));
