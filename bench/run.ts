// `npm run bench`: every benchmark in one run, each figure measured next to its reference in the same run,
// written to docs/performance.md and bench/results/latest.json.
//   --quick            the ~3-minute version (fewer iterations, 1-minute soak, 3 kills, 5 transfers)
//   --compare [file]   run the quick bench and flag every figure > 20% worse than in `file`
//                      (default bench/results/latest.json); exit code 1 when any is flagged. Writes
//                      bench/results/compare.json and leaves latest.json and the docs alone.
//   --only a,b         sections to run: floor, raft, e2e, soak, failover (default: all)
//   --iterations N --sizes a,b --kinds ts-lmdb,ts-file,go --soak-seconds N --kills N --transfers N
//   --out-dir DIR      write latest.json and performance.md into DIR instead (the smoke test uses this)
//   --render [file]    measure nothing: re-render docs/performance.md from a results file (default
//                      bench/results/latest.json), e.g. after editing the notes in bench/lib/report-notes.ts
// Sections run one after another (never two clusters at once, apart from raft's interleaved clusters) so the
// machine's cores are shared the same way by each figure and its reference.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Devnet } from '../sim/devnet/devnet.ts';
import { runFailoverBench } from './failover.bench.ts';
import { BENCH_DEVNET_RUNTIME, buildDaemon } from './lib/daemon-runtime.ts';
import { runE2eCommitBench } from './lib/e2e-commit.ts';
import type { ClusterKind } from './lib/http-raft-cluster.ts';
import { machineInfo, measureDiskFloor, measureLoopbackRtt } from './lib/machine.ts';
import { collectFigures, judgeGoals, renderMarkdown, type Sections } from './lib/report.ts';
import { PERFORMANCE_NOTES } from './lib/report-notes.ts';
import {
  type BenchResults,
  compareFigures,
  RESULTS_VERSION,
  readResults,
  writeResults,
} from './lib/results.ts';
import { fmtMs, sizeLabel } from './lib/stats.ts';
import { RAFT_COMMIT_SIZES, runRaftCommitBench } from './raft-commit.bench.ts';
import { runSoakBench } from './soak.bench.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECTIONS = ['floor', 'raft', 'e2e', 'soak', 'failover'] as const;
type Section = (typeof SECTIONS)[number];
const FLOOR_SIZES = [10_000, 100_000, 1_000_000] as const;
/** The devnet's own sequencing while the e2e, soak and failover sections run: small blocks, 2 per second. */
const DEVNET_BLOCK_MS = 500;
const DEVNET_PAYLOAD_BYTES = 10_000;

interface Params {
  floorIterations: number;
  rttIterations: number;
  raftIterations: number;
  e2eIterations: number;
  soakSeconds: number;
  kills: number;
  transfers: number;
}

const QUICK: Params = {
  floorIterations: 30,
  rttIterations: 300,
  raftIterations: 20,
  e2eIterations: 15,
  soakSeconds: 60,
  kills: 3,
  transfers: 5,
};
// Raft and e2e rows take enough commits that a nearest-rank p99 is not simply the largest sample (with 60, it
// was): 300 → the 297th of 300, 200 → the 198th of 200. About 1.5 minutes more than 100 / 60.
const FULL: Params = {
  floorIterations: 200,
  rttIterations: 2000,
  raftIterations: 300,
  e2eIterations: 200,
  soakSeconds: 600,
  kills: 20,
  transfers: 20,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    only: { type: 'string' },
    iterations: { type: 'string' },
    sizes: { type: 'string' },
    kinds: { type: 'string' },
    'soak-seconds': { type: 'string' },
    kills: { type: 'string' },
    transfers: { type: 'string' },
    'out-dir': { type: 'string' },
    render: { type: 'boolean', default: false },
  },
});
const quick = values.quick || values.compare;
const params: Params = { ...(quick ? QUICK : FULL) };
if (values.iterations) {
  const n = Number(values.iterations);
  Object.assign(params, { floorIterations: n, rttIterations: n * 10, raftIterations: n, e2eIterations: n });
}
if (values['soak-seconds']) params.soakSeconds = Number(values['soak-seconds']);
if (values.kills) params.kills = Number(values.kills);
if (values.transfers) params.transfers = Number(values.transfers);
const only = new Set<Section>((values.only?.split(',') as Section[] | undefined) ?? SECTIONS);
for (const o of only)
  if (!SECTIONS.includes(o)) throw new Error(`bench: unknown section ${o} (${SECTIONS.join(', ')})`);
const sizes = values.sizes ? values.sizes.split(',').map(Number) : [...RAFT_COMMIT_SIZES];
const kinds = values.kinds ? (values.kinds.split(',') as ClusterKind[]) : undefined;
const outDir = values['out-dir'];
const compareWith = values.compare ? (positionals[0] ?? join(ROOT, 'bench/results/latest.json')) : undefined;
const log = (l: string) => console.error(`[bench] ${l}`);

/** Runs one section, recording (not swallowing) its failure so the report says what was not measured. */
async function section(s: Sections, name: Section, run: () => Promise<void>): Promise<void> {
  if (!only.has(name)) return;
  const t0 = performance.now();
  try {
    await run();
    log(`${name}: done in ${Math.round((performance.now() - t0) / 1000)} s`);
  } catch (e) {
    s.errors[name] = (e as Error).message.split('\n')[0]!;
    log(`${name}: FAILED: ${(e as Error).stack ?? String(e)}`);
  }
}

interface RenderParams {
  readonly params: Record<string, number | string>;
}

function writeReport(results: BenchResults & Partial<RenderParams>, docsDir: string): void {
  const md = renderMarkdown({
    mode: results.mode,
    machine: results.machine,
    durationS: results.durationS,
    sections: results.sections as unknown as Sections,
    goals: judgeGoals(results.sections as unknown as Sections),
    params: results.params ?? {},
    notes: PERFORMANCE_NOTES,
  });
  writeFileSync(join(docsDir, 'performance.md'), md);
}

async function main(): Promise<number> {
  if (values.render) {
    const from = positionals[0] ?? join(ROOT, 'bench/results/latest.json');
    writeReport(readResults(from) as BenchResults & Partial<RenderParams>, outDir ?? join(ROOT, 'docs'));
    log(`rendered ${join(outDir ?? join(ROOT, 'docs'), 'performance.md')} from ${from}`);
    return 0;
  }
  const started = performance.now();
  // The stores' directory: the floor is measured in the same place the TS and Go clusters write.
  const dir = mkdtempSync(join(tmpdir(), 'op-conductor-bench-'));
  const machine = machineInfo(dir);
  const s: Sections = { errors: {} };
  try {
    await section(s, 'floor', async () => {
      const disk = [];
      for (const size of FLOOR_SIZES) disk.push(await measureDiskFloor(dir, size, params.floorIterations));
      s.floors = { disk, rtt: await measureLoopbackRtt(params.rttIterations) };
    });
    await section(s, 'raft', async () => {
      s.raft = await runRaftCommitBench({
        dir,
        iterations: params.raftIterations,
        sizes,
        ...(kinds ? { kinds } : {}),
        log,
      });
    });
    if (only.has('e2e') || only.has('soak') || only.has('failover')) {
      buildDaemon();
      const devnet = new Devnet({
        blockTimeMs: DEVNET_BLOCK_MS,
        payloadBytes: DEVNET_PAYLOAD_BYTES,
        dir: join(dir, 'devnet'),
        ...BENCH_DEVNET_RUNTIME,
      });
      try {
        await devnet.start();
        log('devnet: started');
        // Soak first: LMDB's file keeps its high-water mark, so the e2e section's 2 MB commits would otherwise
        // count in the soak's "disk held" at 1 MB.
        await section(s, 'soak', async () => {
          s.soak = await runSoakBench(devnet, params.soakSeconds, log);
        });
        await section(s, 'e2e', async () => {
          s.e2e = await runE2eCommitBench(devnet, sizes, params.e2eIterations, log);
        });
        await section(s, 'failover', async () => {
          const r = await runFailoverBench(devnet, params.kills, params.transfers, log);
          s.failover = { ...r, blockTimeMs: DEVNET_BLOCK_MS };
        });
      } catch (e) {
        for (const n of ['e2e', 'soak', 'failover'] as const)
          if (only.has(n) && !s[n]) s.errors[n] ??= `devnet: ${(e as Error).message.split('\n')[0]}`;
        log(`devnet FAILED: ${(e as Error).stack ?? String(e)}`);
      } finally {
        await devnet.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const results: BenchResults & RenderParams = {
    version: RESULTS_VERSION,
    mode: quick ? 'quick' : 'full',
    machine,
    durationS: (performance.now() - started) / 1000,
    sections: s as unknown as Record<string, unknown>,
    figures: collectFigures(s),
    goals: judgeGoals(s),
    params: { ...params, sizes: sizes.map(sizeLabel).join('/') },
  };
  for (const g of results.goals)
    console.log(
      `${g.met === undefined ? 'n/a    ' : g.met ? 'MET    ' : 'NOT MET'}  ${g.figure}: ${g.measured} (goal ${g.goal})`,
    );

  if (compareWith) {
    const before = readResults(compareWith);
    writeResults(join(outDir ?? join(ROOT, 'bench/results'), 'compare.json'), results);
    const worse = compareFigures(before.figures, results.figures);
    console.log(`\nCompared with ${compareWith} (${before.machine.date}, ${before.mode}):`);
    if (worse.length === 0) console.log('  no figure is more than 20% worse');
    for (const w of worse)
      console.log(
        `  WORSE ${w.key}: ${fmtMs(w.before)} → ${fmtMs(w.after)} (${((w.worseBy - 1) * 100).toFixed(0)}% worse)`,
      );
    return worse.length === 0 ? 0 : 1;
  }
  const resultsDir = outDir ?? join(ROOT, 'bench/results');
  const docsDir = outDir ?? join(ROOT, 'docs');
  mkdirSync(resultsDir, { recursive: true });
  writeResults(join(resultsDir, 'latest.json'), results);
  writeReport(results, docsDir);
  log(`wrote ${join(resultsDir, 'latest.json')} and ${join(docsDir, 'performance.md')}`);
  return 0;
}

process.exitCode = await main();
