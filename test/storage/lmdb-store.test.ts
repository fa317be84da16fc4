// LMDB store specifics: hashicorp's stable keys and value encodings in the `conf` database, big-endian
// index keys in `logs`, and structural damage to a record reported as ERR_CORRUPT, never as data.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { open } from 'lmdb';
import { lmdbFileName, openLmdbStores } from '../../src/raft/storage/lmdb-store.ts';
import { StorageError } from '../../src/raft/storage/storage.ts';
import { entries } from './contract.ts';

const root = mkdtempSync(join(tmpdir(), 'lmdb-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => join(root, `n${n++}`);

function rawEnv(dir: string) {
  const env = open<Buffer, Buffer>({
    path: join(dir, lmdbFileName),
    overlappingSync: false,
    encoding: 'binary',
    keyEncoding: 'binary',
    maxDbs: 4,
  });
  return {
    env,
    logs: env.openDB<Buffer, Buffer>('logs', { encoding: 'binary', keyEncoding: 'binary' }),
    conf: env.openDB<Buffer, Buffer>('conf', { encoding: 'binary', keyEncoding: 'binary' }),
  };
}

test('stable state uses hashicorp keys: CurrentTerm/LastVoteTerm as 8-byte big-endian, LastVoteCand as address bytes', async () => {
  const dir = newDir();
  const s = openLmdbStores(dir);
  await s.stable.setHardState({
    currentTerm: 258,
    lastVoteTerm: 257,
    lastVoteCandidateAddr: '10.0.0.2:50050',
    lastVoteCandidateId: 'n2',
  });
  await s.log.storeLogs(entries(1, 2));
  await s.close();
  const raw = rawEnv(dir);
  try {
    assert.equal(raw.conf.getBinary(Buffer.from('CurrentTerm'))?.toString('hex'), '0000000000000102');
    assert.equal(raw.conf.getBinary(Buffer.from('LastVoteTerm'))?.toString('hex'), '0000000000000101');
    assert.equal(raw.conf.getBinary(Buffer.from('LastVoteCand'))?.toString(), '10.0.0.2:50050');
    assert.equal(raw.conf.getBinary(Buffer.from('LastVoteCandId'))?.toString(), 'n2');
    const keys = [...raw.logs.getKeys()].map((k) => Buffer.from(k).toString('hex'));
    assert.deepEqual(keys, ['0000000000000001', '0000000000000002']);
  } finally {
    await raw.env.close();
  }
});

test('a damaged record (wrong index inside, bad header) is ERR_CORRUPT, not data', async () => {
  const dir = newDir();
  const s = openLmdbStores(dir);
  await s.log.storeLogs(entries(1, 3));
  await s.close();
  const raw = rawEnv(dir);
  const k = (i: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(i));
    return b;
  };
  try {
    // Record 3 copied under key 2 (index mismatch); record 3's version byte broken.
    const r3 = Buffer.from(raw.logs.getBinary(k(3))!);
    await raw.logs.put(k(2), r3);
    const bad = Buffer.from(r3);
    bad[0] = 0x7f;
    await raw.logs.put(k(3), bad);
  } finally {
    await raw.env.close();
  }
  const again = openLmdbStores(dir);
  try {
    assert.equal(again.log.getLog(1)?.index, 1);
    const corrupt = (e: unknown) => e instanceof StorageError && e.code === 'ERR_CORRUPT';
    assert.throws(() => again.log.getLog(2), corrupt);
    assert.throws(() => again.log.getLog(3), corrupt);
    assert.throws(() => again.log.getRange(1, 3), corrupt);
  } finally {
    await again.close();
  }
});
