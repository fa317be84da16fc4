// openNodeStores: directory creation, exclusive lock, foreign-data refusal, log-store metric.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { StorageError, type StorageErrorCode } from '../../src/raft/storage/storage.ts';
import { entries } from './contract.ts';

const root = mkdtempSync(join(tmpdir(), 'open-stores-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => join(root, `n${n++}`, 'server-1');

async function rejectsCode(p: Promise<unknown>, code: StorageErrorCode, re?: RegExp): Promise<void> {
  await assert.rejects(
    p,
    (e: unknown) => e instanceof StorageError && e.code === code && (re?.test(e.message) ?? true),
  );
}

for (const backend of ['lmdb', 'file'] as const) {
  test(`${backend}: creates the node dir 0755 and locks it against a second open`, async () => {
    const dir = newDir();
    const s = await openNodeStores({ dir, backend });
    assert.equal(statSync(dir).mode & 0o777, 0o755 & ~process.umask());
    await rejectsCode(openNodeStores({ dir, backend }), 'ERR_LOCKED', /in use by process/);
    await s.close();
    const again = await openNodeStores({ dir, backend });
    await again.close();
  });

  test(`${backend}: a stale lock from a dead process is taken over`, async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    assert.ok(dead !== undefined && dead > 0);
    writeFileSync(join(dir, 'LOCK'), `${dead} 12345\n`);
    const s = await openNodeStores({ dir, backend });
    await s.log.storeLogs(entries(1, 2));
    await s.close();
  });

  test(`${backend}: a Go conductor's bbolt files are refused with a pointer to import-bolt`, async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'raft-log.db'), 'bolt');
    await rejectsCode(openNodeStores({ dir, backend }), 'ERR_FOREIGN_DATA', /op-conductor-init import-bolt/);
  });

  test(`${backend}: observes op_conductor_raft_log_store_duration_seconds around each log write`, async () => {
    const metrics = createMetrics();
    const s = await openNodeStores({ dir: newDir(), backend, metrics });
    await s.log.storeLogs(entries(1, 3));
    await s.log.storeLogs(entries(4, 5));
    await s.log.deleteRange(1, 2);
    const text = await metrics.registry.metrics();
    assert.match(text, /op_conductor_raft_log_store_duration_seconds_count 3/);
    assert.equal(s.log.lastIndex(), 5);
    await s.close();
  });
}

test('the other backend’s files are refused in both directions', async () => {
  const dir = newDir();
  const a = await openNodeStores({ dir, backend: 'lmdb' });
  await a.close();
  await rejectsCode(openNodeStores({ dir, backend: 'file' }), 'ERR_FOREIGN_DATA', /lmdb storage backend/);
  const dir2 = newDir();
  const b = await openNodeStores({ dir: dir2, backend: 'file' });
  await b.close();
  await rejectsCode(
    openNodeStores({ dir: dir2, backend: 'lmdb' }),
    'ERR_FOREIGN_DATA',
    /file storage backend/,
  );
});
