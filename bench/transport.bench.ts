// Issue 5's transport figure: 3 TS nodes vs 3 Go hashicorp/raft nodes on loopback, 100 KB commits through the
// real stores and transports, in the same run, with the ratio TS/Go (goal: p50 ≤ 0.5×, p99 ≤ 0.7×). It is the
// 100 KB row of bench/raft-commit.bench.ts (same processes, same client, HTTP hop subtracted per commit).
// Run: node --import tsx bench/transport.bench.ts [--iterations 100] [--size 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmtMs, fmtRatio, sizeLabel } from './lib/stats.ts';
import { goPeerAvailable, printRaftCommitRows, runRaftCommitBench } from './raft-commit.bench.ts';

const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '100' }, size: { type: 'string', default: '100000' } },
});
const size = Number(values.size);
if (!goPeerAvailable()) {
  console.error(
    '!!! transport bench: the Go interop program is not built (scripts/build-interop.sh); nothing to compare',
  );
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'transport-bench-'));
try {
  const rows = await runRaftCommitBench({
    dir,
    iterations: Number(values.iterations),
    sizes: [size],
    kinds: ['ts-lmdb', 'ts-file', 'go'],
    log: (l) => console.error(l),
  });
  printRaftCommitRows(rows);
  const go = rows.find((r) => r.kind === 'go')!;
  for (const r of rows.filter((x) => x.kind !== 'go')) {
    const r50 = r.net.p50Ms / go.net.p50Ms;
    const r99 = r.net.p99Ms / go.net.p99Ms;
    console.log(
      `${r.kind} vs Go at ${sizeLabel(size)}: p50 ${fmtMs(r.net.p50Ms)} vs ${fmtMs(go.net.p50Ms)} ms = ${fmtRatio(r50)} (goal ≤ 0.5×), p99 ${fmtMs(r.net.p99Ms)} vs ${fmtMs(go.net.p99Ms)} ms = ${fmtRatio(r99)} (goal ≤ 0.7×)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
