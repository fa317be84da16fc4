// CI run of the deterministic simulator: 500 seeds alternating 3 and 5 servers, each with random packet
// faults, partitions, crashes, skew, membership changes, transfers and snapshots, then a heal phase.
// Every seed must be free of safety violations and must show liveness after the heal. A failing seed is
// replayed with `npm run sim -- --seed S --trace`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSimulation } from '../../sim/simulation.ts';

const SEEDS = 500;
const TICKS = 1000;

test(`simulator: ${SEEDS} seeds without violations or liveness failures`, () => {
  const failures: string[] = [];
  let commits = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = runSimulation({ seed, nodes: seed % 2 === 0 ? 5 : 3, ticks: TICKS });
    commits += r.commits;
    if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations[0]}`);
    else if (r.livenessFailure) failures.push(`seed ${seed}: ${r.livenessFailure}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(commits > SEEDS * 10, `the workload must commit entries (got ${commits})`);
});
