// Mutation tests: the checkers must be able to fail. Each test switches on a deliberate bug in the core
// (RaftCoreConfig.mutations) and asserts that the simulator's safety checkers report it, and that the
// same run without the bug is clean — so a checker that silently passes everything would fail here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSimulation } from '../../sim/simulation.ts';
import { runScriptFile } from './interaction-harness.ts';

const FIGURE_8 = new URL('./interaction/figure-8.txt', import.meta.url).pathname;
const SEEDS_MAX = 60;
const TICKS = 1000;

test('mutation commitPreviousTermByCounting: figure-8 script commits 3/2 and the checker flags it', () => {
  const clean = runScriptFile(FIGURE_8);
  assert.equal(clean.actual.at(-1), 'ok', 'without the bug the figure-8 run is safe');
  const broken = runScriptFile(FIGURE_8, { commitPreviousTermByCounting: true });
  const verdict = broken.actual.at(-1) ?? '';
  assert.notEqual(verdict, 'ok');
  assert.match(verdict, /leader completeness: n5 leads without committed entry 3\/2 \(has 3\)/);
});

test('mutation skipVoteTermCheck: the simulator finds two leaders in one term', () => {
  const caught: number[] = [];
  for (let seed = 1; seed <= SEEDS_MAX && caught.length === 0; seed++) {
    const r = runSimulation({ seed, nodes: 3, ticks: TICKS, mutations: { skipVoteTermCheck: true } });
    if (r.violations.length > 0) {
      assert.match(
        r.violations[0]!,
        /election safety|leader completeness|committed entry changed|core raft assertion/,
      );
      caught.push(seed);
    }
  }
  assert.ok(caught.length > 0, `no violation found in ${SEEDS_MAX} seeds with votes unchecked`);
  const seed = caught[0]!;
  const clean = runSimulation({ seed, nodes: 3, ticks: TICKS });
  assert.deepEqual(clean.violations, [], `seed ${seed} is clean without the mutation`);
});
