// Failover on the devnet (3 real conductor processes, default Raft timeouts, op-node simulators sequencing):
// - kill -9 of the leader conductor → (a) another op-node's sequencer is active (admin_startSequencer accepted),
//   (b) that op-node publishes its first block (a block above every head at the time of the kill);
// - planned transfer (conductor_transferLeader on the leader) → another op-node's sequencer is active, and its
//   first block is published.
// Sequencer state is read in-process (the simulated L2 runs in this process) every POLL_MS, so the figures
// carry at most POLL_MS of polling error. The killed conductor is restarted and the cluster settles
// (every conductor answers and reports a healthy sequencer) before the next round.
// Run: node --import tsx bench/failover.bench.ts [--kills 5] [--transfers 5]
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Devnet, type DevnetMember } from '../sim/devnet/devnet.ts';
import { BENCH_DEVNET_RUNTIME, buildDaemon } from './lib/daemon-runtime.ts';
import { settleDevnet } from './lib/devnet-settle.ts';
import { fmtMs, type LatencySummary, summarize, waitUntil } from './lib/stats.ts';

const POLL_MS = 2;
const FAILOVER_TIMEOUT_MS = 30_000;

export interface FailoverResult {
  readonly killToActive: LatencySummary;
  readonly killToBlock: LatencySummary;
  readonly transferToActive: LatencySummary;
  readonly transferToBlock: LatencySummary;
  readonly blockTimeMs: number;
}

function maxHead(devnet: Devnet): bigint {
  return devnet.members.reduce((m, x) => (x.l2.head.number > m ? x.l2.head.number : m), 0n);
}

/** Times from t0 until a sequencer other than `old` is active, and until it published above `headAtT0`. */
async function timeNewSequencer(
  devnet: Devnet,
  old: DevnetMember,
  t0: number,
  headAtT0: bigint,
): Promise<{ activeMs: number; blockMs: number }> {
  const next = await waitUntil(
    'a new active sequencer',
    FAILOVER_TIMEOUT_MS,
    () => devnet.members.find((m) => m !== old && m.l2.sequencerActive),
    POLL_MS,
  );
  const activeMs = performance.now() - t0;
  await waitUntil(
    'the new sequencer to publish',
    FAILOVER_TIMEOUT_MS,
    () => (next.l2.head.number > headAtT0 && next.l2.sequencerActive ? true : undefined),
    POLL_MS,
  );
  return { activeMs, blockMs: performance.now() - t0 };
}

export async function runFailoverBench(
  devnet: Devnet,
  kills: number,
  transfers: number,
  log: (l: string) => void = () => {},
): Promise<Omit<FailoverResult, 'blockTimeMs'>> {
  const killActive: number[] = [];
  const killBlock: number[] = [];
  for (let i = 0; i < kills; i++) {
    const leader = await settleDevnet(devnet);
    const head = maxHead(devnet);
    const t0 = performance.now();
    await leader.conductor.kill();
    const r = await timeNewSequencer(devnet, leader, t0, head);
    killActive.push(r.activeMs);
    killBlock.push(r.blockMs);
    log(
      `failover: kill -9 #${i + 1}: sequencer active after ${fmtMs(r.activeMs)} ms, block after ${fmtMs(r.blockMs)} ms`,
    );
    leader.conductor.start();
  }
  const tActive: number[] = [];
  const tBlock: number[] = [];
  for (let i = 0; i < transfers; i++) {
    const leader = await settleDevnet(devnet);
    const head = maxHead(devnet);
    const t0 = performance.now();
    await devnet.call(leader, 'conductor_transferLeader');
    const r = await timeNewSequencer(devnet, leader, t0, head);
    tActive.push(r.activeMs);
    tBlock.push(r.blockMs);
    log(
      `failover: transfer #${i + 1}: sequencer active after ${fmtMs(r.activeMs)} ms, block after ${fmtMs(r.blockMs)} ms`,
    );
  }
  return {
    killToActive: summarize(killActive),
    killToBlock: summarize(killBlock),
    transferToActive: summarize(tActive),
    transferToBlock: summarize(tBlock),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '5' },
      transfers: { type: 'string', default: '5' },
      'block-ms': { type: 'string', default: '250' },
      'payload-bytes': { type: 'string', default: '100000' },
    },
  });
  buildDaemon();
  const devnet = new Devnet({
    blockTimeMs: Number(values['block-ms']),
    payloadBytes: Number(values['payload-bytes']),
    ...BENCH_DEVNET_RUNTIME,
  });
  try {
    await devnet.start();
    const r = await runFailoverBench(devnet, Number(values.kills), Number(values.transfers), (l) =>
      console.error(l),
    );
    const line = (name: string, s: LatencySummary) =>
      console.log(
        `  ${name.padEnd(28)} n=${s.n} p50 ${fmtMs(s.p50Ms)} p99 ${fmtMs(s.p99Ms)} max ${fmtMs(s.maxMs)} ms`,
      );
    console.log('Failover (ms):');
    line('kill -9 → sequencer active', r.killToActive);
    line('kill -9 → next block', r.killToBlock);
    line('transfer → sequencer active', r.transferToActive);
    line('transfer → next block', r.transferToBlock);
  } finally {
    await devnet.close();
    rmSync(devnet.dir, { recursive: true, force: true });
  }
}
