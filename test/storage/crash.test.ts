// Crash tests with real processes: kill -9 a writer at random moments (20 times per backend), reopen,
// and check every acknowledged entry survived intact and the store is still usable.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCrashCampaign } from './crash-harness.ts';

const killsPerBackend = 20;
const root = mkdtempSync(join(tmpdir(), 'store-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));

for (const backend of ['file', 'lmdb'] as const) {
  test(`${backend}: ${killsPerBackend} kill -9s lose no acknowledged entry`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const r = await runCrashCampaign({ dir: join(root, backend), backend, kills: killsPerBackend, seed });
    assert.deepEqual(r.failures, [], `seed ${seed}`);
    assert.equal(r.kills, killsPerBackend);
    assert.ok(r.acks > killsPerBackend, `children acknowledged only ${r.acks} appends (seed ${seed})`);
    assert.ok(r.ackedChecked > 0, `no acknowledged entry was ever checked (seed ${seed})`);
  });
}
