/**
 * CLI: run the deterministic simulator over many seeds.
 *   npm run sim -- --seeds N [--seed S] [--nodes 3|5] [--ticks T] [--trace]
 * Prints one line per failing seed and ends with `sim: <N> seeds, <V> violations, <L> liveness failures`;
 * exits non-zero when V or L > 0. `--seed S --trace` replays one seed with a readable trace.
 */
import { parseArgs } from 'node:util';
import { runSimulation } from './simulation.ts';

const TICKS_DEFAULT = 1500;

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '100' },
    seed: { type: 'string' },
    nodes: { type: 'string' },
    ticks: { type: 'string', default: String(TICKS_DEFAULT) },
    trace: { type: 'boolean', default: false },
  },
});
const seeds = values.seed !== undefined ? 1 : Number(values.seeds);
const first = values.seed !== undefined ? Number(values.seed) : 1;
const ticks = Number(values.ticks);
let violations = 0;
let liveness = 0;
for (let i = 0; i < seeds; i++) {
  const seed = first + i;
  const nodes = values.nodes !== undefined ? Number(values.nodes) : seed % 2 === 0 ? 5 : 3;
  const r = runSimulation({
    seed,
    nodes,
    ticks,
    ...(values.trace ? { trace: (l: string) => process.stdout.write(`${l}\n`) } : {}),
  });
  violations += r.violations.length > 0 ? 1 : 0;
  liveness += r.livenessFailure ? 1 : 0;
  if (r.violations.length > 0) console.log(`seed ${seed} (nodes ${nodes}): VIOLATION ${r.violations[0]}`);
  else if (r.livenessFailure) console.log(`seed ${seed} (nodes ${nodes}): LIVENESS ${r.livenessFailure}`);
}
console.log(`sim: ${seeds} seeds, ${violations} violations, ${liveness} liveness failures`);
process.exitCode = violations > 0 || liveness > 0 ? 1 : 0;
