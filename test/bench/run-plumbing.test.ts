// The bench runner's plumbing on tiny sizes: `bench/run.ts --quick` with two sections and two iterations writes a
// results file and a report of the expected shape (every goal listed, unmeasured ones marked "not measured"),
// and `--compare` flags a figure that got more than 20% worse and nothing else. Also the pure helpers
// (percentiles, compareFigures). Assertions are on structure only, never on speed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectFigures, judgeGoals, type RaftRow } from '../../bench/lib/report.ts';
import { type BenchResults, compareFigures, type Figures } from '../../bench/lib/results.ts';
import { percentile, summarize } from '../../bench/lib/stats.ts';
import { raftBenchPhases } from '../../bench/raft-commit.bench.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const RUN_TIMEOUT_MS = 50_000;
const GOAL_COUNT = 10;

function runBench(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/run.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('percentile is nearest-rank over sorted samples; summarize reports n, p50, p99, max, mean', () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  const s = summarize(xs);
  assert.deepEqual([s.n, s.p50Ms, s.p99Ms, s.maxMs, s.meanMs], [100, 50, 99, 100, 50.5]);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(summarize([]).p50Ms), 'an empty sample is NaN, not 0');
});

test('compareFigures flags only figures > 20% worse, in the figure’s own direction, present in both', () => {
  const before: Figures = {
    a: { value: 10, unit: 'ms', better: 'lower' },
    b: { value: 10, unit: 'ms', better: 'lower' },
    c: { value: 100, unit: 'per-s', better: 'higher' },
    gone: { value: 1, unit: 'ms', better: 'lower' },
  };
  const after: Figures = {
    a: { value: 12.5, unit: 'ms', better: 'lower' }, // 25% worse
    b: { value: 11.9, unit: 'ms', better: 'lower' }, // 19% worse: noise
    c: { value: 80, unit: 'per-s', better: 'higher' }, // 25% worse
    added: { value: 99, unit: 'ms', better: 'lower' },
  };
  const worse = compareFigures(before, after);
  assert.deepEqual(worse.map((w) => w.key).sort(), ['a', 'c']);
  assert.ok(worse.every((w) => w.worseBy > 1.2));
});

test('each TS backend takes turns with its own Go cluster; goals compare with the Go row paired with lmdb', () => {
  assert.deepEqual(raftBenchPhases(['ts-lmdb', 'ts-file', 'go']), [
    ['ts-lmdb', 'go'],
    ['ts-file', 'go'],
  ]);
  assert.deepEqual(raftBenchPhases(['ts-file']), [['ts-file']]);
  assert.deepEqual(raftBenchPhases(['go']), [['go']]);
  const row = (kind: string, p50: number, pairedWith?: string): RaftRow => {
    const l = summarize([p50, p50, p50]);
    return {
      kind,
      sizeBytes: 100_000,
      http: l,
      hop: summarize([0]),
      net: l,
      apply: undefined,
      leaderRssAnonBytes: 0,
      pairedWith,
    };
  };
  // The Go row paired with ts-file comes first and would give 0.25x; the lmdb pair gives 1x.
  const raft = [row('go', 4, 'ts-file'), row('ts-file', 1), row('ts-lmdb', 2), row('go', 2, 'ts-lmdb')];
  const goal = judgeGoals({ raft, errors: {} })[0];
  assert.match(goal?.measured ?? '', /= 1\.00× \/ 1\.00×/);
  const keys = Object.keys(collectFigures({ raft, errors: {} }));
  assert.ok(keys.includes('raft.go.100KB.net.p50Ms'), 'the lmdb pair keeps the plain go key');
  assert.ok(keys.includes('raft.go-with-ts-file.100KB.net.p50Ms'));
  // Results from before the phases: one unpaired Go row serves every TS row.
  const old = [row('ts-lmdb', 2), row('go', 4)];
  assert.match(judgeGoals({ raft: old, errors: {} })[0]?.measured ?? '', /= 0\.50× \/ 0\.50×/);
});

test('bench --quick on tiny sizes writes results and a report of the expected shape; --compare flags a regression', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-plumbing-'));
  try {
    const args = ['--only', 'floor,raft', '--iterations', '2', '--sizes', '10000', '--kinds', 'ts-lmdb'];
    const r = runBench(['--quick', ...args, '--out-dir', out]);
    assert.equal(r.status, 0, r.stderr);
    const res = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as BenchResults;
    assert.equal(res.version, 1);
    assert.equal(res.mode, 'quick');
    assert.equal(typeof res.machine.cpuModel, 'string');
    assert.ok(res.machine.cores > 0);
    assert.deepEqual(Object.keys(res.sections).sort(), ['errors', 'floors', 'raft']);
    for (const key of [
      'floor.disk.10KB.preallocated.p50Ms',
      'floor.disk.1MB.growing.p99Ms',
      'floor.loopbackRtt.p50Ms',
      'raft.ts-lmdb.10KB.http.p50Ms',
      'raft.ts-lmdb.10KB.net.p99Ms',
      'raft.ts-lmdb.10KB.apply.maxMs',
    ]) {
      assert.ok(res.figures[key], `figure ${key} present`);
      assert.ok(Number.isFinite(res.figures[key]!.value), `figure ${key} is a number`);
    }
    assert.equal(res.goals.length, GOAL_COUNT);
    assert.ok(res.goals.every((g) => g.met === undefined && g.measured === 'not measured'));
    const md = readFileSync(join(out, 'performance.md'), 'utf8');
    assert.match(md, /## Machine/);
    assert.match(md, /## Goals \(issue 11\)/);
    assert.equal(md.match(/\| not measured \| not measured \|/g)?.length, GOAL_COUNT);
    assert.match(md, /## Raft commit, 3 nodes on loopback/);
    assert.match(md, /\| 10 KB \| ts-lmdb \|/);

    // A previous run in which one figure was far better: only that one is flagged, and the exit code says so.
    const prev: BenchResults = {
      ...res,
      figures: { ...res.figures, 'floor.loopbackRtt.p50Ms': { value: 1e-6, unit: 'ms', better: 'lower' } },
    };
    const prevPath = join(out, 'prev.json');
    writeFileSync(prevPath, JSON.stringify(prev));
    const c = runBench(['--compare', prevPath, '--only', 'floor', '--iterations', '2', '--out-dir', out]);
    assert.equal(c.status, 1, c.stderr);
    assert.match(c.stdout, /WORSE floor\.loopbackRtt\.p50Ms/);
    const compared = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as BenchResults;
    assert.equal(compared.mode, 'quick');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
