// FileSnapshotStore: hashicorp's meta.json shape and CRC, tolerance of Go-written and broken snapshots.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../src/logging/logger.ts';
import { crc32, crc64Ecma } from '../../src/raft/storage/checksums.ts';
import { FileSnapshotStore, metaFromJson } from '../../src/raft/storage/snapshot-store.ts';

const root = mkdtempSync(join(tmpdir(), 'snap-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => join(root, `n${n++}`);
const cfg = {
  servers: [
    { suffrage: 0 as const, id: 'node1', address: '10.0.0.1:50050' },
    { suffrage: 1 as const, id: 'node2', address: '10.0.0.2:50050' },
  ],
};

test('checksums match their catalogue check values', () => {
  assert.equal(Buffer.from(crc64Ecma(Buffer.from('123456789'))).toString('hex'), '995dc9bbdf1939fa');
  assert.equal(crc32(Buffer.from('123456789')).toString(16), 'cbf43926');
});

test('meta.json is written as Go json.Encoder would: field order, Peers, base64 CRC, newline', async () => {
  const dir = newDir();
  const store = new FileSnapshotStore(dir, { nowMs: () => 1704067200000 });
  const data = Buffer.from('fsm-state');
  const meta = await store.save({ index: 42, term: 7, configuration: cfg, configurationIndex: 1 }, data);
  assert.equal(meta.id, '7-42-1704067200000');
  const text = readFileSync(join(dir, 'snapshots', meta.id, 'meta.json'), 'utf8');
  const crc = Buffer.from(crc64Ecma(data)).toString('base64');
  assert.equal(
    text,
    '{"Version":1,"ID":"7-42-1704067200000","Index":42,"Term":7,"Peers":"ka4xMC4wLjAuMTo1MDA1MA==",' +
      '"Configuration":{"Servers":[{"Suffrage":0,"ID":"node1","Address":"10.0.0.1:50050"},' +
      '{"Suffrage":1,"ID":"node2","Address":"10.0.0.2:50050"}]},"ConfigurationIndex":1,"Size":9,' +
      `"CRC":"${crc}"}\n`,
  );
  assert.deepEqual(readFileSync(join(dir, 'snapshots', meta.id, 'state.bin')), data);
  await store.close();
});

test('a snapshot written by Go (spec example shape) is listed and opened', async () => {
  const dir = newDir();
  const id = '7-42-1704067200000';
  const snapDir = join(dir, 'snapshots', id);
  mkdirSync(snapDir, { recursive: true });
  const state = Buffer.from([1, 2, 3, 4]);
  writeFileSync(join(snapDir, 'state.bin'), state);
  const crc = Buffer.from(crc64Ecma(state)).toString('base64');
  writeFileSync(
    join(snapDir, 'meta.json'),
    `{"Version":1,"ID":"${id}","Index":42,"Term":7,"Peers":"ka4xMC4wLjAuMTo1MDA1MA==","Configuration":{"Servers":[{"Suffrage":0,"ID":"node1","Address":"10.0.0.1:50050"}]},"ConfigurationIndex":1,"Size":4,"CRC":"${crc}"}\n`,
  );
  const store = new FileSnapshotStore(dir);
  const latest = store.openLatest();
  assert.equal(latest?.meta.id, id);
  assert.equal(latest?.meta.index, 42);
  assert.deepEqual(latest?.meta.configuration.servers, [
    { suffrage: 0, id: 'node1', address: '10.0.0.1:50050' },
  ]);
  assert.deepEqual(Buffer.from(latest!.data), state);
  await store.close();
});

test('bad snapshots are skipped with a warning; .tmp leftovers are removed on open', async () => {
  const dir = newDir();
  let t = 1000;
  const store = new FileSnapshotStore(dir, { nowMs: () => t++, retain: 5 });
  const good = await store.save(
    { index: 1, term: 1, configuration: cfg, configurationIndex: 1 },
    Buffer.from('a'),
  );
  const badCrc = await store.save(
    { index: 2, term: 1, configuration: cfg, configurationIndex: 1 },
    Buffer.from('b'),
  );
  const badSize = await store.save(
    { index: 3, term: 1, configuration: cfg, configurationIndex: 1 },
    Buffer.from('c'),
  );
  const badVer = await store.save(
    { index: 4, term: 1, configuration: cfg, configurationIndex: 1 },
    Buffer.from('d'),
  );
  await store.close();
  const s = (id: string, f: string) => join(dir, 'snapshots', id, f);
  writeFileSync(s(badCrc.id, 'state.bin'), 'x');
  writeFileSync(s(badSize.id, 'state.bin'), 'cc');
  writeFileSync(
    s(badVer.id, 'meta.json'),
    readFileSync(s(badVer.id, 'meta.json'), 'utf8').replace('"Version":1', '"Version":2'),
  );
  mkdirSync(join(dir, 'snapshots', '9-9-9.tmp'));
  const warnings: string[] = [];
  const logger = silentLogger();
  logger.warn = ((obj: unknown, msg?: string) => {
    warnings.push(String(msg ?? obj));
  }) as typeof logger.warn;
  const reopened = new FileSnapshotStore(dir, { logger });
  assert.ok(!existsSync(join(dir, 'snapshots', '9-9-9.tmp')));
  assert.deepEqual(
    reopened.list().map((m) => m.id),
    [good.id],
  );
  assert.equal(reopened.openLatest()?.meta.id, good.id);
  assert.ok(
    warnings.some((w) => /CRC/.test(w)),
    warnings.join('; '),
  );
  assert.ok(
    warnings.some((w) => /size/.test(w)),
    warnings.join('; '),
  );
  assert.ok(
    warnings.some((w) => /meta/.test(w)),
    warnings.join('; '),
  );
  await reopened.close();
});

test('retain keeps the newest by (term, index) and deletes the rest from disk', async () => {
  const dir = newDir();
  const store = new FileSnapshotStore(dir, { retain: 2 });
  await store.save({ index: 50, term: 3, configuration: cfg, configurationIndex: 1 }, Buffer.from('x'));
  await store.save({ index: 90, term: 2, configuration: cfg, configurationIndex: 1 }, Buffer.from('y'));
  await store.save({ index: 10, term: 4, configuration: cfg, configurationIndex: 1 }, Buffer.from('z'));
  assert.deepEqual(
    store.list().map((m) => [m.term, m.index]),
    [
      [4, 10],
      [3, 50],
    ],
  );
  assert.equal(readdirSync(join(dir, 'snapshots')).length, 2);
  await store.close();
});

test('metaFromJson rejects malformed metadata with a reason', () => {
  assert.equal(typeof metaFromJson('not json'), 'string');
  assert.equal(typeof metaFromJson('{"Version":1}'), 'string');
  assert.equal(
    typeof metaFromJson(
      '{"Version":1,"ID":"1-1-1","Index":1,"Term":1,"Size":0,"ConfigurationIndex":0,"CRC":"AA=="}',
    ),
    'string',
  );
});

test('list() notices a snapshot corrupted after it was last listed', async () => {
  const dir = newDir();
  const store = new FileSnapshotStore(dir, { retain: 2 });
  const a = await store.save(
    { index: 1, term: 1, configuration: cfg, configurationIndex: 1 },
    Buffer.from('aaaa'),
  );
  const b = await store.save(
    { index: 2, term: 1, configuration: cfg, configurationIndex: 1 },
    Buffer.from('bbbb'),
  );
  assert.deepEqual(
    store.list().map((m) => m.id),
    [b.id, a.id],
  );
  writeFileSync(join(dir, 'snapshots', b.id, 'state.bin'), 'bbbc');
  assert.deepEqual(
    store.list().map((m) => m.id),
    [a.id],
  );
  assert.equal(store.openLatest()?.meta.id, a.id);
  await store.close();
});
