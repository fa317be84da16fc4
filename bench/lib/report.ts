/**
 * Turns one run's sections into the flat figures, the goals table of issue 11 (each met / not met / not
 * measured), and docs/performance.md.
 * Invariants: a goal is judged only from figures measured in this run (a missing section reads "not
 * measured", never "met"); every comparison names both sides, and ratios use figures of the same run.
 */

import type { SoakResult } from '../soak.bench.ts';
import type { E2eCommitRow } from './e2e-commit.ts';
import { LOOP_WINDOW_MS } from './loop-delay.ts';
import type { DiskFloor, MachineInfo } from './machine.ts';
import { addLatency, type Figures, type GoalVerdict } from './results.ts';
import { fmtBytes, fmtMs, fmtRatio, type LatencySummary, sizeLabel } from './stats.ts';

/** Structural copies of the bench modules' result rows (kept here so the report has no bench imports). */
export interface RaftRow {
  readonly kind: string;
  readonly sizeBytes: number;
  readonly http: LatencySummary;
  readonly hop: LatencySummary;
  readonly net: LatencySummary;
  readonly apply: LatencySummary | undefined;
  readonly leaderRssAnonBytes: number;
  /** Go rows: the TS cluster this one took turns with (absent in results from before 2026-12-07). */
  readonly pairedWith?: string | undefined;
}

/**
 * The Go row a TS row is compared with: the Go cluster that took turns with it, or the single unpaired Go
 * row of results from before each backend got its own phase.
 */
export function goReferenceRow<R extends RaftRow>(
  rows: readonly R[],
  tsKind: string,
  size: number,
): R | undefined {
  const go = rows.filter((r) => r.kind === 'go' && r.sizeBytes === size);
  return go.find((r) => r.pairedWith === tsKind) ?? go.find((r) => r.pairedWith === undefined);
}

export function raftClusterLabel(r: RaftRow): string {
  return r.kind === 'go' && r.pairedWith !== undefined ? `go (with ${r.pairedWith})` : r.kind;
}

/** Figure-key name of a Raft row: Go paired with the default backend keeps the plain `go` key (--compare). */
function raftFigureKind(r: RaftRow): string {
  return r.kind === 'go' && r.pairedWith !== undefined && r.pairedWith !== DEFAULT_BACKEND
    ? `go-with-${r.pairedWith}`
    : r.kind;
}

export interface FailoverFigures {
  readonly killToActive: LatencySummary;
  readonly killToBlock: LatencySummary;
  readonly transferToActive: LatencySummary;
  readonly transferToBlock: LatencySummary;
  readonly blockTimeMs: number;
}

/** The soak section's figures are exactly what the soak bench returns. */
export type SoakFigures = SoakResult;

export interface Sections {
  floors?: { disk: DiskFloor[]; rtt: LatencySummary };
  raft?: RaftRow[];
  e2e?: E2eCommitRow[];
  failover?: FailoverFigures;
  soak?: SoakFigures;
  /** Section name → error text, for sections that failed (reported, never silently dropped). */
  errors: Record<string, string>;
}

const MB = 1024 * 1024;
const sizeKey = (b: number) => sizeLabel(b).replace(' ', '');
const DEFAULT_BACKEND = 'ts-lmdb';

export function collectFigures(s: Sections): Figures {
  const f: Figures = {};
  for (const d of s.floors?.disk ?? []) {
    addLatency(f, `floor.disk.${sizeKey(d.sizeBytes)}.preallocated`, d.preallocated);
    addLatency(f, `floor.disk.${sizeKey(d.sizeBytes)}.growing`, d.growing);
  }
  if (s.floors) addLatency(f, 'floor.loopbackRtt', s.floors.rtt);
  for (const r of s.raft ?? []) {
    const k = `raft.${raftFigureKind(r)}.${sizeKey(r.sizeBytes)}`;
    addLatency(f, `${k}.http`, r.http);
    addLatency(f, `${k}.net`, r.net);
    addLatency(f, `${k}.apply`, r.apply);
  }
  for (const r of s.e2e ?? []) addLatency(f, `e2e.${r.mode}.${sizeKey(r.sizeBytes)}`, r.e2e);
  if (s.failover) {
    addLatency(f, 'failover.kill.toActive', s.failover.killToActive);
    addLatency(f, 'failover.kill.toBlock', s.failover.killToBlock);
    addLatency(f, 'failover.transfer.toActive', s.failover.transferToActive);
    addLatency(f, 'failover.transfer.toBlock', s.failover.transferToBlock);
  }
  if (s.soak) {
    const b = (value: number) => ({ value, unit: 'bytes' as const, better: 'lower' as const });
    f['soak.rssAnonMaxBytes'] = b(s.soak.rssAnonMaxBytes);
    f['soak.rssFileMaxBytes'] = b(s.soak.rssFileMaxBytes);
    f['soak.diskHeldMaxBytes'] = b(s.soak.diskHeldMaxBytes);
    // Net of the 10 ms sampling interval (lib/loop-delay.ts); the older soak.eventLoop* keys included it.
    const ms = (value: number) => ({ value, unit: 'ms' as const, better: 'lower' as const });
    f['soak.loopDelay.p99WorstMs'] = ms(s.soak.loopDelay.p99WorstMs);
    f['soak.loopDelay.p99MedianMs'] = ms(s.soak.loopDelay.p99MedianMs);
    f['soak.loopDelay.maxMs'] = ms(s.soak.loopDelay.maxMs);
    f['soak.idleLoopDelay.p99WorstMs'] = ms(s.soak.idleLoopDelay.p99WorstMs);
    addLatency(f, 'soak.commit', s.soak.commitLatency);
  }
  return f;
}

function raftRow(s: Sections, kind: string, size: number): RaftRow | undefined {
  return s.raft?.find((r) => r.kind === kind && r.sizeBytes === size);
}

function verdict(
  figure: string,
  goal: string,
  measured: string | undefined,
  met: boolean | undefined,
): GoalVerdict {
  return {
    figure,
    goal,
    measured: measured ?? 'not measured',
    met: measured === undefined ? undefined : met,
  };
}

export function judgeGoals(s: Sections): GoalVerdict[] {
  const out: GoalVerdict[] = [];
  const ts100 = raftRow(s, DEFAULT_BACKEND, 100_000);
  const go100 = goReferenceRow(s.raft ?? [], DEFAULT_BACKEND, 100_000);
  if (ts100 && go100) {
    const r50 = ts100.net.p50Ms / go100.net.p50Ms;
    const r99 = ts100.net.p99Ms / go100.net.p99Ms;
    out.push(
      verdict(
        'Raft commit 100 KB p50 / p99 vs Go hashicorp+bolt (net of the HTTP hop)',
        '≤ 0.5× / ≤ 0.7×',
        `${fmtMs(ts100.net.p50Ms)} / ${fmtMs(ts100.net.p99Ms)} ms vs ${fmtMs(go100.net.p50Ms)} / ${fmtMs(go100.net.p99Ms)} ms = ${fmtRatio(r50)} / ${fmtRatio(r99)}`,
        r50 <= 0.5 && r99 <= 0.7,
      ),
    );
  } else
    out.push(
      verdict('Raft commit 100 KB p50 / p99 vs Go hashicorp+bolt', '≤ 0.5× / ≤ 0.7×', undefined, undefined),
    );
  const floor100 = s.floors?.disk.find((d) => d.sizeBytes === 100_000);
  out.push(
    verdict(
      'Raft commit 100 KB p50 vs the disk floor (write+fdatasync 100 KB, preallocated)',
      '≤ 2×',
      ts100?.apply && floor100
        ? `${fmtMs(ts100.apply.p50Ms)} ms vs ${fmtMs(floor100.preallocated.p50Ms)} ms = ${fmtRatio(ts100.apply.p50Ms / floor100.preallocated.p50Ms)}`
        : undefined,
      ts100?.apply && floor100 ? ts100.apply.p50Ms <= 2 * floor100.preallocated.p50Ms : undefined,
    ),
  );
  const ts1m = raftRow(s, DEFAULT_BACKEND, 1_000_000);
  out.push(
    verdict(
      'Raft commit 1 MB p99 (in-process apply, lmdb)',
      '≤ 20 ms',
      ts1m?.apply ? `${fmtMs(ts1m.apply.p99Ms)} ms` : undefined,
      ts1m?.apply ? ts1m.apply.p99Ms <= 20 : undefined,
    ),
  );
  const json1m = s.e2e?.find((r) => r.mode === 'json' && r.sizeBytes === 1_000_000);
  out.push(
    verdict(
      'JSON commit 1 MB p99 (through the daemon)',
      '≤ 40 ms',
      json1m ? `${fmtMs(json1m.e2e.p99Ms)} ms` : undefined,
      json1m ? json1m.e2e.p99Ms <= 40 : undefined,
    ),
  );
  const bin2m = s.e2e?.find((r) => r.mode === 'binary' && r.sizeBytes === 2_000_000);
  const ts2m = raftRow(s, DEFAULT_BACKEND, 2_000_000);
  out.push(
    verdict(
      'binary commit 2 MB p50 above the Raft commit of the same bytes',
      '≤ 3 ms',
      bin2m && ts2m?.apply
        ? `${fmtMs(bin2m.e2e.p50Ms)} − ${fmtMs(ts2m.apply.p50Ms)} = ${fmtMs(bin2m.e2e.p50Ms - ts2m.apply.p50Ms)} ms (daemon's own: e2e mean − raft apply mean = ${fmtMs(bin2m.e2e.meanMs - bin2m.raftApplyMeanMs)} ms)`
        : undefined,
      bin2m && ts2m?.apply ? bin2m.e2e.p50Ms - ts2m.apply.p50Ms <= 3 : undefined,
    ),
  );
  const fo = s.failover;
  out.push(
    verdict(
      'failover after kill -9, default timeouts (kill → next block published)',
      'p99 ≤ 2.5 s',
      fo && fo.killToBlock.n > 0
        ? `p50 ${fmtMs(fo.killToBlock.p50Ms)} / p99 ${fmtMs(fo.killToBlock.p99Ms)} ms (n=${fo.killToBlock.n})`
        : undefined,
      fo ? fo.killToBlock.p99Ms <= 2500 : undefined,
    ),
    verdict(
      'planned transfer → new sequencer active',
      'p99 ≤ 150 ms',
      fo && fo.transferToActive.n > 0
        ? `p50 ${fmtMs(fo.transferToActive.p50Ms)} / p99 ${fmtMs(fo.transferToActive.p99Ms)} ms (n=${fo.transferToActive.n})`
        : undefined,
      fo ? fo.transferToActive.p99Ms <= 150 : undefined,
    ),
  );
  const sk = s.soak;
  out.push(
    verdict(
      'RSS anonymous at 4 × 1 MB/s; heap growth',
      '≤ 200 MB; < 5 MB per 10 min',
      sk
        ? `${fmtBytes(sk.rssAnonMaxBytes)}; ${fmtBytes(sk.heapGrowthPer10MinBytes)} per 10 min (${Math.round(sk.seconds)} s run)`
        : undefined,
      sk ? sk.rssAnonMaxBytes <= 200 * MB && sk.heapGrowthPer10MinBytes < 5 * MB : undefined,
    ),
    verdict(
      'event-loop delay p99 / max under load',
      '≤ 5 ms / ≤ 50 ms',
      sk
        ? `${fmtMs(sk.loopDelay.p99WorstMs)} / ${fmtMs(sk.loopDelay.maxMs)} ms (p99 of the worst ${LOOP_WINDOW_MS / 1000} s window; median window ${fmtMs(sk.loopDelay.p99MedianMs)} ms. An idle node process, same windows: ${fmtMs(sk.idleLoopDelay.p99WorstMs)} / ${fmtMs(sk.idleLoopDelay.maxMs)} ms, median ${fmtMs(sk.idleLoopDelay.p99MedianMs)} ms)`
        : undefined,
      sk ? sk.loopDelay.p99WorstMs <= 5 && sk.loopDelay.maxMs <= 50 : undefined,
    ),
    verdict(
      'disk held (1 MB commits; retention bounded by snapshot threshold 48 + trailing 32)',
      '≤ 100 MB',
      sk ? `${fmtBytes(sk.diskHeldMaxBytes)} max over ${sk.commits} commits` : undefined,
      sk ? sk.diskHeldMaxBytes <= 100 * MB : undefined,
    ),
  );
  return out;
}

const mark = (m: boolean | undefined) => (m === undefined ? 'not measured' : m ? '**met**' : '**not met**');
const lat = (x: LatencySummary | undefined) =>
  x && x.n > 0 ? `${fmtMs(x.p50Ms)} / ${fmtMs(x.p99Ms)} / ${fmtMs(x.maxMs)}` : '–';

export interface ReportInput {
  readonly mode: 'quick' | 'full';
  readonly machine: MachineInfo;
  readonly durationS: number;
  readonly sections: Sections;
  readonly goals: readonly GoalVerdict[];
  readonly params: Record<string, number | string>;
  readonly notes: string;
}

export function renderMarkdown(r: ReportInput): string {
  const s = r.sections;
  const L: string[] = [];
  const m = r.machine;
  L.push('# Performance', '');
  L.push(
    `Generated by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` (bench/run.ts) on ${m.date}; the figures are also in bench/results/latest.json. Do not edit by hand: re-run the bench.`,
    '',
  );
  L.push('## Machine', '');
  L.push('| | |', '|---|---|');
  L.push(`| CPU | ${m.cpuModel}, ${m.cores} cores |`, `| RAM | ${fmtBytes(m.ramBytes)} |`);
  L.push(`| OS | Linux ${m.kernel} |`, `| Node | ${m.node} |`, `| Filesystem | ${m.filesystem} |`);
  L.push(
    `| Mode | ${r.mode}, ${Math.round(r.durationS)} s; ${Object.entries(r.params)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} |`,
  );
  L.push('');
  L.push('## Goals (issue 11)', '', '| figure | goal | measured | verdict |', '|---|---|---|---|');
  for (const g of r.goals) L.push(`| ${g.figure} | ${g.goal} | ${g.measured} | ${mark(g.met)} |`);
  L.push('');
  if (Object.keys(s.errors).length > 0) {
    L.push('## Sections that failed in this run', '');
    for (const [k, v] of Object.entries(s.errors)) L.push(`- **${k}**: ${v}`);
    L.push('');
  }
  if (s.floors) {
    L.push('## Floors (same run)', '', 'p50 / p99 / max, ms.', '');
    L.push('| write + fdatasync | preallocated file | growing file |', '|---|---|---|');
    for (const d of s.floors.disk)
      L.push(`| ${sizeLabel(d.sizeBytes)} | ${lat(d.preallocated)} | ${lat(d.growing)} |`);
    L.push('', `Loopback TCP round trip (64 B, noDelay, two processes): ${lat(s.floors.rtt)} ms.`, '');
  }
  if (s.raft) {
    L.push('## Raft commit, 3 nodes on loopback (same run, same client)', '');
    L.push(
      "Each cluster is three OS processes: TS nodes (`bench/lib/ts-raft-node.ts`: RaftHost, real store, TcpTransport) or the Go interop program (hashicorp/raft 1.1.2 + raft-boltdb). Both answer the same HTTP `/apply`. Each TS backend runs in its own phase and takes turns, commit by commit, with its own Go cluster (the row below it), so one cluster's background disk work (the file store zero-fills its next segment after each rollover) never lands in another's commits. **http** is the client-side commit; **hop** is the same body POSTed to a follower, which reads it and refuses at once (the HTTP cost alone, measured right after each commit); **net** = http − hop per commit, the Raft commit on both sides; **apply** is `RaftHost.apply()` timed inside the TS leader (no HTTP). p50 / p99 / max, ms. Ratios are TS net / Go net.",
      '',
    );
    L.push('| size | cluster | http | hop p50 | net | apply (in-process) | net p50 vs Go | net p99 vs Go |');
    L.push('|---|---|---|---|---|---|---|---|');
    for (const row of s.raft) {
      const go = row.kind === 'go' ? undefined : goReferenceRow(s.raft, row.kind, row.sizeBytes);
      const vs = (a: number, b: number | undefined) => (go && b ? fmtRatio(a / b) : '');
      L.push(
        `| ${sizeLabel(row.sizeBytes)} | ${raftClusterLabel(row)} | ${lat(row.http)} | ${fmtMs(row.hop.p50Ms)} | ${lat(row.net)} | ${lat(row.apply)} | ${vs(row.net.p50Ms, go?.net.p50Ms)} | ${vs(row.net.p99Ms, go?.net.p99Ms)} |`,
      );
    }
    L.push('');
  }
  if (s.e2e) {
    L.push('## End-to-end commit through the daemon', '');
    L.push(
      "Leader conductor of the devnet (3 real compiled daemon processes, lmdb stores, TCP Raft between them directly), committed to by the sequencing simulated op-node. JSON: `conductor_commitUnsafePayload`; binary: `POST /commit-unsafe-payload` with SSZ. Bodies are encoded before timing. **raft apply (daemon)** is the mean of the daemon's own `op_conductor_commit_raft_apply_duration_seconds` over the same commits, so e2e mean − that mean is the RPC edge's cost. p50 / p99 / max, ms.",
      '',
    );
    L.push('| size | mode | SSZ bytes | e2e | e2e mean | raft apply mean (daemon) | RPC edge (mean) |');
    L.push('|---|---|---|---|---|---|---|');
    for (const e of s.e2e)
      L.push(
        `| ${sizeLabel(e.sizeBytes)} | ${e.mode} | ${e.sszBytes} | ${lat(e.e2e)} | ${fmtMs(e.e2e.meanMs)} | ${fmtMs(e.raftApplyMeanMs)} | ${fmtMs(e.e2e.meanMs - e.raftApplyMeanMs)} |`,
      );
    L.push('');
  }
  if (s.failover) {
    const f = s.failover;
    L.push('## Failover (devnet, default timeouts: heartbeat 1 s, election 1 s, lease 500 ms)', '');
    L.push(
      `Simulated op-nodes sequence a block every ${f.blockTimeMs} ms; sequencer state is polled in-process every 2 ms. "next block" is the new sequencer's first published block, so it includes up to one block time of waiting for op-node's next slot. p50 / p99 / max, ms.`,
      '',
    );
    L.push('| event | n | → sequencer active | → next block published |', '|---|---|---|---|');
    L.push(
      `| kill -9 of the leader conductor | ${f.killToActive.n} | ${lat(f.killToActive)} | ${lat(f.killToBlock)} |`,
    );
    L.push(
      `| conductor_transferLeader | ${f.transferToActive.n} | ${lat(f.transferToActive)} | ${lat(f.transferToBlock)} |`,
      '',
    );
  }
  if (s.soak) {
    const k = s.soak;
    L.push('## Steady state (4 commits/s of 1 MB, JSON, to the leader conductor)', '');
    L.push('| | |', '|---|---|');
    L.push(
      `| duration / commits | ${Math.round(k.seconds)} s / ${k.commits} (${k.commitsPerSecond.toFixed(2)}/s, ${k.commitErrors} errors, ${k.leaderChanges} leader changes) |`,
    );
    L.push(`| commit latency p50 / p99 / max | ${lat(k.commitLatency)} ms |`);
    L.push(
      `| RSS anonymous / file-backed (max) | ${fmtBytes(k.rssAnonMaxBytes)} / ${fmtBytes(k.rssFileMaxBytes)} |`,
    );
    L.push(`| V8 external memory (max) | ${fmtBytes(k.externalMaxBytes)} |`);
    L.push(
      `| V8 heap floor first → last quarter | ${fmtBytes(k.heapStartBytes)} → ${fmtBytes(k.heapEndBytes)} (${fmtBytes(k.heapGrowthPer10MinBytes)} per 10 min) |`,
    );
    L.push(
      `| event-loop delay beyond the 10 ms sampling interval: p99 worst / median ${LOOP_WINDOW_MS / 1000} s window, max | ${fmtMs(k.loopDelay.p99WorstMs)} / ${fmtMs(k.loopDelay.p99MedianMs)} ms, ${fmtMs(k.loopDelay.maxMs)} ms (idle node process: ${fmtMs(k.idleLoopDelay.p99WorstMs)} / ${fmtMs(k.idleLoopDelay.p99MedianMs)} ms, ${fmtMs(k.idleLoopDelay.maxMs)} ms) |`,
    );
    L.push(
      `| disk held by the leader's data dir (max / end) | ${fmtBytes(k.diskHeldMaxBytes)} / ${fmtBytes(k.diskHeldEndBytes)} |`,
      '',
    );
  }
  L.push(r.notes.trim(), '');
  return L.join('\n');
}
