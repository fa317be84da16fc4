/**
 * The bench's results file (bench/results/latest.json): the machine, the mode, every section's structured
 * rows, and a flat map of named figures that --compare checks against a previous file.
 * Invariants: a figure's key names what it measures and its unit (`raft.ts-lmdb.100KB.net.p99Ms`); `better`
 * says which direction is an improvement; compare flags only keys present in both files, and only by
 * more than the tolerance (20%), so noise below it and new or dropped figures never fail a run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { MachineInfo } from './machine.ts';
import type { LatencySummary } from './stats.ts';

export const RESULTS_VERSION = 1;
export const REGRESSION_TOLERANCE = 0.2;

export interface Figure {
  readonly value: number;
  readonly unit: 'ms' | 'bytes' | 'ratio' | 'per-s';
  readonly better: 'lower' | 'higher';
}

export type Figures = Record<string, Figure>;

export interface BenchResults {
  readonly version: number;
  readonly mode: 'quick' | 'full';
  readonly machine: MachineInfo;
  readonly durationS: number;
  readonly sections: Record<string, unknown>;
  readonly figures: Figures;
  readonly goals: readonly GoalVerdict[];
}

export interface GoalVerdict {
  readonly figure: string;
  readonly goal: string;
  readonly measured: string;
  /** undefined: not measured in this run (section skipped or failed). */
  readonly met: boolean | undefined;
}

/** Adds p50/p99/max of a latency summary under `key`. */
export function addLatency(figures: Figures, key: string, s: LatencySummary | undefined): void {
  if (!s || s.n === 0) return;
  figures[`${key}.p50Ms`] = { value: s.p50Ms, unit: 'ms', better: 'lower' };
  figures[`${key}.p99Ms`] = { value: s.p99Ms, unit: 'ms', better: 'lower' };
  figures[`${key}.maxMs`] = { value: s.maxMs, unit: 'ms', better: 'lower' };
}

export interface Regression {
  readonly key: string;
  readonly before: number;
  readonly after: number;
  /** after/before for lower-is-better figures, before/after otherwise (> 1 is worse). */
  readonly worseBy: number;
}

/** Figures more than `tolerance` worse in `after` than in `before` (keys in both, finite values only). */
export function compareFigures(
  before: Figures,
  after: Figures,
  tolerance = REGRESSION_TOLERANCE,
): Regression[] {
  const out: Regression[] = [];
  for (const [key, a] of Object.entries(after)) {
    const b = before[key];
    if (!b || !Number.isFinite(a.value) || !Number.isFinite(b.value)) continue;
    if (b.value <= 0 || a.value <= 0) continue;
    const worseBy = a.better === 'lower' ? a.value / b.value : b.value / a.value;
    if (worseBy > 1 + tolerance) out.push({ key, before: b.value, after: a.value, worseBy });
  }
  return out.sort((x, y) => y.worseBy - x.worseBy);
}

export function readResults(path: string): BenchResults {
  const r = JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  if (r.version !== RESULTS_VERSION || typeof r.figures !== 'object')
    throw new Error(`${path}: not a bench results file (version ${String(r.version)})`);
  return r;
}

export function writeResults(path: string, r: BenchResults): void {
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}
