// Steady state of the real daemon under op-node's load: 4 commits/s of a 1 MB block, committed with JSON-RPC
// conductor_commitUnsafePayload by the devnet's sequencing op-node to its (leader) conductor, one outstanding,
// on a fixed 250 ms schedule, for the soak duration; the devnet's block timers are off meanwhile. The blocks
// are real chain blocks (each on the previous head, so the FSM takes each as the new head); they reuse one
// 1 MB transaction list whose root is hashed once (JS keccak costs about 0.4 ms per KB). Sampled every
// SAMPLE_MS from the leader conductor process (which does all the work):
// RSS anonymous vs file-backed (/proc/<pid>/status RssAnon/RssFile), V8 heap used and event-loop delay
// p99/max (prom-client default metrics, whose event-loop histogram restarts at each scrape, so each sample is
// one window; reported net of the histogram's 10 ms timer interval, see lib/loop-delay.ts, next to an idle
// node process read the same way), and the bytes its data directory holds. Heap growth compares the lowest
// heap seen in the first and in the last quarter of the run (post-GC floors, not GC noise), scaled to 10
// minutes.
// Run: node --import tsx bench/soak.bench.ts [--seconds 60] [--runtime dist|source] [--node-options '...']
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Devnet, type DevnetMember } from '../sim/devnet/devnet.ts';
import { fillerTransactions } from '../sim/l2/block.ts';
import { DAEMON_NODE_OPTIONS } from '../src/cli/node-options.ts';
import { diskBytesHeld, metric, scrapeMetrics } from './lib/daemon-probe.ts';
import { BENCH_DEVNET_RUNTIME, buildDaemon } from './lib/daemon-runtime.ts';
import { settleDevnet } from './lib/devnet-settle.ts';
import { procStatusBytes } from './lib/http-raft-cluster.ts';
import {
  LOOP_WINDOW_MS,
  type LoopDelaySummary,
  netLoopDelayMs,
  summarizeLoopDelay,
} from './lib/loop-delay.ts';
import { startIdleLoopProbe } from './lib/machine.ts';
import { fmtBytes, fmtMs, type LatencySummary, sleep, summarize } from './lib/stats.ts';

export const SOAK_COMMIT_INTERVAL_MS = 250;
export const SOAK_PAYLOAD_BYTES = 1_000_000;
const SAMPLE_MS = LOOP_WINDOW_MS;
const TEN_MINUTES_MS = 600_000;

export interface SoakResult {
  readonly seconds: number;
  readonly commits: number;
  readonly commitsPerSecond: number;
  readonly commitErrors: number;
  readonly leaderChanges: number;
  readonly commitLatency: LatencySummary;
  readonly rssAnonMaxBytes: number;
  readonly rssFileMaxBytes: number;
  /** Largest `external` (Buffers, ArrayBuffers and native allocations V8 knows of) seen. */
  readonly externalMaxBytes: number;
  readonly heapStartBytes: number;
  readonly heapEndBytes: number;
  readonly heapGrowthPer10MinBytes: number;
  /** The leader's event-loop delay beyond the sampling interval, per SAMPLE_MS window. */
  readonly loopDelay: LoopDelaySummary;
  /** The same measure in an idle node process over the same run: what the machine alone adds. */
  readonly idleLoopDelay: LoopDelaySummary;
  readonly diskHeldMaxBytes: number;
  readonly diskHeldEndBytes: number;
}

/**
 * Has the sequencing op-node build and commit a 1 MB block every SOAK_COMMIT_INTERVAL_MS (one at a time, on a
 * fixed schedule) until `stop()`, with the devnet's block timers off so these are the only blocks; collects
 * commit latencies. When the sequencer moves (a leader change), the load follows it.
 */
function startCommitLoad(
  devnet: Devnet,
  first: DevnetMember,
): {
  current(): DevnetMember;
  stop(): Promise<{ latencies: number[]; errors: number; leaderChanges: number }>;
} {
  const transactions = fillerTransactions(SOAK_PAYLOAD_BYTES, 'soak');
  devnet.l2.setAutoSequence(false);
  let sequencer = first;
  const latencies: number[] = [];
  let errors = 0;
  let leaderChanges = 0;
  let running = true;
  const loop = (async () => {
    let next = performance.now();
    while (running) {
      const now = devnet.members.find((m) => m.l2.sequencerActive && !m.l2.down);
      if (now && now !== sequencer) {
        leaderChanges++;
        sequencer = now;
      }
      try {
        if (!now) throw new Error('no sequencer');
        latencies.push(await now.l2.sequenceNow(transactions, 'json'));
      } catch {
        errors++;
      }
      next += SOAK_COMMIT_INTERVAL_MS;
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  return {
    current: () => sequencer,
    async stop() {
      running = false;
      await loop;
      devnet.l2.setAutoSequence(true);
      return { latencies, errors, leaderChanges };
    },
  };
}

export async function runSoakBench(
  devnet: Devnet,
  seconds: number,
  log: (l: string) => void = () => {},
): Promise<SoakResult> {
  const first = await settleDevnet(devnet);
  await scrapeMetrics(first.conductor.opts.host, first.conductor.opts.metricsPort); // restart the event-loop window
  const load = startCommitLoad(devnet, first);
  const idle = startIdleLoopProbe();
  const heap: number[] = [];
  const external: number[] = [];
  const rssAnon: number[] = [];
  const rssFile: number[] = [];
  const lagP99: number[] = [];
  const lagMax: number[] = [];
  const disk: number[] = [];
  const t0 = performance.now();
  const endAt = t0 + seconds * 1000;
  while (performance.now() < endAt) {
    await sleep(Math.min(SAMPLE_MS, Math.max(0, endAt - performance.now())));
    // Sample whichever conductor leads now (the one doing the work); leader changes are counted and reported.
    const leader = load.current();
    const { host, metricsPort, dataDir, id } = leader.conductor.opts;
    const pid = leader.conductor.pid ?? 0;
    const nodeDir = join(dataDir, id);
    const m = await scrapeMetrics(host, metricsPort).catch(() => new Map<string, number>());
    heap.push(metric(m, 'nodejs_heap_size_used_bytes'));
    external.push(metric(m, 'nodejs_external_memory_bytes'));
    lagP99.push(metric(m, 'nodejs_eventloop_lag_p99_seconds') * 1000);
    lagMax.push(metric(m, 'nodejs_eventloop_lag_max_seconds') * 1000);
    rssAnon.push(procStatusBytes(pid, 'RssAnon'));
    rssFile.push(procStatusBytes(pid, 'RssFile'));
    disk.push(diskBytesHeld(nodeDir));
    log(
      `soak: ${Math.round((performance.now() - t0) / 1000)} s rssAnon ${fmtBytes(rssAnon.at(-1)!)} heap ${fmtBytes(heap.at(-1)!)} loop delay p99 ${fmtMs(netLoopDelayMs(lagP99.at(-1)!))} ms disk ${fmtBytes(disk.at(-1)!)}`,
    );
  }
  const elapsedMs = performance.now() - t0;
  const { latencies, errors, leaderChanges } = await load.stop();
  const idleLoop = await idle.stop();
  const q = Math.max(1, Math.floor(heap.length / 4));
  const heapStart = Math.min(...heap.slice(0, q));
  const heapEnd = Math.min(...heap.slice(-q));
  const spanMs = elapsedMs * (1 - 1 / 4); // between the centres of the first and last quarters, roughly
  const commits = latencies.length;
  return {
    seconds: elapsedMs / 1000,
    commits,
    commitsPerSecond: commits / (elapsedMs / 1000),
    commitErrors: errors,
    leaderChanges,
    commitLatency: summarize(latencies),
    rssAnonMaxBytes: Math.max(...rssAnon),
    rssFileMaxBytes: Math.max(...rssFile),
    externalMaxBytes: Math.max(...external),
    heapStartBytes: heapStart,
    heapEndBytes: heapEnd,
    heapGrowthPer10MinBytes: ((heapEnd - heapStart) / spanMs) * TEN_MINUTES_MS,
    loopDelay: summarizeLoopDelay(lagP99, lagMax),
    idleLoopDelay: idleLoop,
    diskHeldMaxBytes: Math.max(...disk),
    diskHeldEndBytes: disk.at(-1) ?? Number.NaN,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      runtime: { type: 'string', default: 'dist' },
      'node-options': { type: 'string', default: DAEMON_NODE_OPTIONS },
    },
  });
  if (values.runtime !== 'source') buildDaemon();
  const devnet = new Devnet({
    blockTimeMs: 500,
    payloadBytes: 10_000,
    ...BENCH_DEVNET_RUNTIME,
    conductorRuntime: values.runtime === 'source' ? 'source' : 'dist',
    conductorNodeOptions: values['node-options'],
  });
  try {
    await devnet.start();
    const r = await runSoakBench(devnet, Number(values.seconds), (l) => console.error(l));
    console.log(JSON.stringify(r, null, 2));
  } finally {
    await devnet.close();
    rmSync(devnet.dir, { recursive: true, force: true });
  }
}
