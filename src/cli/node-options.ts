/**
 * The V8 settings the daemon runs with. Two kinds, because Node takes them in two ways:
 *
 * DAEMON_NODE_OPTIONS goes in NODE_OPTIONS: the container image sets exactly this (docker/Dockerfile, checked
 * by test/docker/dockerfile.test.ts) and the benchmarks run the devnet's conductors with it, so the figures in
 * docs/performance.md are those of the shipped configuration.
 *
 * --max-semi-space-size=4 (MiB): V8's young generation otherwise grows to 16 MiB semi-spaces (48 MiB
 * reserved) when a commit allocates a few MB per second; every payload buffer dies young, so a smaller
 * nursery costs a few more short scavenges and keeps the RSS down. Measured with the soak bench (45 s,
 * 4 × 1 MB JSON commits/s, leader's RssAnon max): default 210 MiB, 8 → 184, 4 → 155, 2 → 153, with the
 * same commit latency and event-loop delay within noise.
 *
 * DAEMON_HEAP_GROWING_PERCENT is applied by the daemon itself at start (`applyDaemonHeapTuning`), since
 * NODE_OPTIONS refuses --heap-growing-percent and the chart starts the daemon through its bin script: every
 * way of starting it gets the same setting. V8 counts the ArrayBuffers allocated since the last full GC
 * against the old generation's limit, and a conductor's JS heap is small (~25 MiB) while each 1 MB commit
 * allocates ~3 MB of buffers on the leader (HTTP body chunks, the encoded payload). With V8's own factor
 * (1.1 for a heap this cheap to mark, so ~12 MiB of headroom) that meant a full mark-compact every ~3
 * commits, each a 2–8 ms pause plus marking steps of up to ~13 ms on the event loop. A fixed factor of 3
 * (inside V8's own 1.1–4 range) leaves ~50 MiB. Soak bench, 30 s at 4 × 1 MB/s, leader: 27 → 5 full GCs,
 * GC time on the event loop 617 → 273 ms, RssAnon 129 → 126 MiB (with the 8 MiB Raft entry cache).
 * An operator's own --heap-growing-percent on the node command line wins.
 */
import { setFlagsFromString } from 'node:v8';

export const DAEMON_NODE_OPTIONS = '--max-semi-space-size=4';
export const DAEMON_HEAP_GROWING_PERCENT = 200;
const HEAP_GROWING_FLAG = '--heap-growing-percent';

/**
 * Sets V8's heap growing factor for this process unless the node command line already sets one. Returns
 * the flag applied, or undefined when the command line's own setting was kept.
 */
export function applyDaemonHeapTuning(
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): string | undefined {
  const own = execArgv.some((a) => a === HEAP_GROWING_FLAG || a.startsWith(`${HEAP_GROWING_FLAG}=`));
  if (own) return undefined;
  const flag = `${HEAP_GROWING_FLAG}=${DAEMON_HEAP_GROWING_PERCENT}`;
  setFlags(flag);
  return flag;
}
