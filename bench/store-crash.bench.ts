// Crash soak: kill -9 a store writer many times per backend and verify every acknowledged entry after
// each kill (the CI test does 20 per backend; this does --kills N, default 200).
// Usage: node --import tsx bench/store-crash.bench.ts [--kills 200] [--backend file|lmdb] [--seed N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCrashCampaign } from '../test/storage/crash-harness.ts';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '200' },
    backend: { type: 'string' },
    seed: { type: 'string' },
  },
});
const kills = Number(values.kills);
const seed = Number(values.seed ?? Date.now() % 1_000_000);
const backends =
  values.backend === undefined ? (['file', 'lmdb'] as const) : [values.backend as 'file' | 'lmdb'];
const root = mkdtempSync(join(tmpdir(), 'store-crash-soak-'));
let failed = false;
try {
  for (const backend of backends) {
    const t0 = performance.now();
    const r = await runCrashCampaign({ dir: join(root, backend), backend, kills, seed });
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `${backend}: kills=${r.kills} acknowledged-appends=${r.acks} acknowledged-entries-checked=${r.ackedChecked} ` +
        `failures=${r.failures.length} seed=${seed} time=${s}s`,
    );
    for (const f of r.failures.slice(0, 20)) console.log(`  ${f}`);
    if (r.failures.length > 0 || r.kills !== kills) failed = true;
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
