// The daemon's own V8 heap setting: applied unless the node command line sets one, and really taken by V8
// when set at run time (a child process with --trace-gc-verbose shows the growing factor it computes limits
// with; a Node whose V8 froze its flags after start would fail here instead of in production).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { applyDaemonHeapTuning, DAEMON_HEAP_GROWING_PERCENT } from '../../src/cli/node-options.ts';

const CHILD_TIMEOUT_MS = 30_000;

test('applyDaemonHeapTuning sets the growing factor unless the command line has one', () => {
  const set: string[] = [];
  assert.equal(
    applyDaemonHeapTuning(['--max-semi-space-size=4'], (f) => set.push(f)),
    `--heap-growing-percent=${DAEMON_HEAP_GROWING_PERCENT}`,
  );
  assert.deepEqual(set, [`--heap-growing-percent=${DAEMON_HEAP_GROWING_PERCENT}`]);
  for (const own of [['--heap-growing-percent=50'], ['--heap-growing-percent', '50']]) {
    const none: string[] = [];
    assert.equal(
      applyDaemonHeapTuning(own, (f) => none.push(f)),
      undefined,
    );
    assert.deepEqual(none, []);
  }
});

test('V8 computes its old-generation limit with the daemon factor once it is applied', () => {
  const script = `
    import { applyDaemonHeapTuning } from ${JSON.stringify(new URL('../../src/cli/node-options.ts', import.meta.url).href)};
    applyDaemonHeapTuning([]);
    const keep = [];
    for (let i = 0; i < 3000; i++) { keep.push(new Array(5000).fill(i)); if (keep.length > 300) keep.shift(); }
  `;
  const r = spawnSync(
    process.execPath,
    ['--trace-gc', '--trace-gc-verbose', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  assert.equal(r.status, 0, r.stderr);
  const factors = [
    ...r.stdout.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g),
  ].map((m) => Number(m[1]));
  assert.ok(factors.length > 0, 'no old-generation limit computed');
  assert.equal(factors.at(-1), 1 + DAEMON_HEAP_GROWING_PERCENT / 100);
});
