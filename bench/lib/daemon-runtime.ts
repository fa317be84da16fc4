/**
 * How the benchmarks run the daemon: compiled (dist/, as the container image runs it) with the image's
 * NODE_OPTIONS, so the figures are those of the shipped configuration and not of tsx's on-the-fly loader
 * (a second V8 isolate in every process: about 100 MiB more anonymous RSS per conductor in the soak).
 * buildDaemon() compiles dist/ from the current sources first, so a benchmark never measures stale code.
 * The conductors talk Raft directly, as in production: the devnet's fault proxies (which would relay every
 * payload through the benchmark process) are off, since no benchmark partitions the cluster.
 */
import { execFileSync } from 'node:child_process';
import type { DevnetOptions } from '../../sim/devnet/devnet.ts';
import { DAEMON_NODE_OPTIONS } from '../../src/cli/node-options.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * BENCH_NODE_ARGS: extra node flags for every process the benchmarks measure (TS Raft nodes and devnet
 * conductors), e.g. `--cpu-prof --cpu-prof-dir=D` to profile a run; NODE_OPTIONS refuses those flags.
 */
export function benchNodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}

export const BENCH_DEVNET_RUNTIME: Pick<
  DevnetOptions,
  'conductorRuntime' | 'conductorNodeOptions' | 'conductorNodeArgs' | 'faultProxies'
> = {
  conductorRuntime: 'dist',
  conductorNodeOptions: DAEMON_NODE_OPTIONS,
  conductorNodeArgs: benchNodeArgs(),
  faultProxies: false,
};

/** `tsc -p tsconfig.build.json` (a few seconds); throws with the compiler's output on failure. */
export function buildDaemon(): void {
  execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
