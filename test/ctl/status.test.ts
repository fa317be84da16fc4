import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FakeCluster, inlineFlags, opsToml, startFakeCluster } from './fake-cluster.ts';
import { ctl, fast } from './harness.ts';

function rowOf(out: string, id: string): string[] {
  const line = out.split('\n').find((l) => l.startsWith(`${id} `));
  assert.ok(line, `no row for ${id} in:\n${out}`);
  return line.trim().split(/\s{2,}/);
}

describe('ctl status', () => {
  let cluster: FakeCluster;
  let dir: string;
  before(async () => {
    cluster = await startFakeCluster();
    dir = mkdtempSync(join(tmpdir(), 'ctl-status-'));
  });
  after(() => cluster.close());

  it('healthy cluster: one table, verdict healthy, exit 0 (TOML config, network as first argument)', async () => {
    const cfg = join(dir, 'config.toml');
    writeFileSync(cfg, opsToml(cluster, 'op-devnet'));
    const r = await ctl(['status', 'op-devnet', '-c', cfg, ...fast]);
    assert.equal(r.err, '');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^network op-devnet, 3 sequencers/);
    assert.match(r.out, /verdict: healthy cluster\n/);
    const seq1 = rowOf(r.out, 'seq-1');
    assert.deepEqual(seq1.slice(0, 9), ['seq-1', 'up', 'yes', 'seq-1', 'yes', 'no', 'no', 'yes', 'yes']);
    assert.equal(seq1[9], '100');
    assert.equal(seq1[12], 'voter');
    const seq2 = rowOf(r.out, 'seq-2');
    assert.deepEqual(seq2.slice(0, 9), ['seq-2', 'up', 'no', 'seq-1', 'yes', 'no', 'no', 'yes', 'no']);
    assert.match(r.out, /membership v7 \(from seq-1\): seq-1@127\.0\.0\.1:50050 \(voter\)/);
    assert.ok(!r.out.includes('\x1b['), 'no colour when not a TTY');
  });

  it('--json carries the snapshot and the verdict', async () => {
    const r = await ctl(['status', '--json', ...inlineFlags(cluster), ...fast]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as {
      verdict: { level: string; headline: string };
      sequencers: {
        id: string;
        conductor: { leader: boolean; leaderId: string };
        node: { unsafe: { number: number } };
      }[];
      membership: { value: { version: number } };
    };
    assert.equal(doc.verdict.level, 'ok');
    assert.deepEqual(
      doc.sequencers.map((s) => [s.id, s.conductor.leader, s.conductor.leaderId, s.node.unsafe.number]),
      [
        ['seq-1', true, 'seq-1', 100],
        ['seq-2', false, 'seq-1', 100],
        ['seq-3', false, 'seq-1', 100],
      ],
    );
    assert.equal(doc.membership.value.version, 7);
  });

  it('--color paints verdict and cells', async () => {
    const r = await ctl(['status', '--color', ...inlineFlags(cluster), ...fast]);
    assert.ok(r.out.includes('verdict: \x1b[32mhealthy cluster\x1b[0m'), r.out);
  });

  it('a dead node (conductor refuses connections, op-node too) shows as down, exit 3', async () => {
    const m = cluster.member('seq-2');
    m.conductorDown = true;
    m.nodeDown = true;
    try {
      const r = await ctl(['status', ...inlineFlags(cluster), ...fast]);
      assert.equal(r.code, 3);
      assert.deepEqual(rowOf(r.out, 'seq-2').slice(0, 4), ['seq-2', 'down', '?', '?']);
      assert.match(r.out, /verdict: node unreachable\n/);
      assert.match(r.out, /! node unreachable: seq-2 conductor, seq-2 op-node/);
      assert.match(r.out, /note: seq-2 conductor: conductor_\w+: /);
      assert.equal(rowOf(r.out, 'seq-1')[1], 'up');
    } finally {
      m.conductorDown = false;
      m.nodeDown = false;
    }
  });

  it('a hung conductor costs one per-call timeout, not a stall', async () => {
    const m = cluster.member('seq-3');
    m.conductorHangs = true;
    try {
      const r = await ctl(['status', ...inlineFlags(cluster), '--rpc-timeout', '300ms']);
      assert.equal(r.code, 3);
      assert.equal(rowOf(r.out, 'seq-3')[1], 'down');
      assert.match(r.out, /seq-3 conductor: conductor_\w+: timed out/);
    } finally {
      m.conductorHangs = false;
    }
  });

  it('two active sequencers and a split view are critical', async () => {
    cluster.member('seq-3').sequencing = true;
    cluster.member('seq-2').viewOverride = 'seq-3';
    try {
      const r = await ctl(['status', '--json', ...inlineFlags(cluster), ...fast]);
      assert.equal(r.code, 3);
      const doc = JSON.parse(r.out) as {
        verdict: { level: string; headline: string; problems: { category: string }[] };
      };
      assert.equal(doc.verdict.level, 'critical');
      assert.equal(doc.verdict.headline, 'two active sequencers');
      assert.ok(doc.verdict.problems.some((p) => p.category === 'split view'));
    } finally {
      cluster.member('seq-3').sequencing = false;
      delete cluster.member('seq-2').viewOverride;
    }
  });

  it('--watch --iterations 2 prints two snapshots', async () => {
    const r = await ctl([
      'status',
      '--watch',
      '--iterations',
      '2',
      '--interval',
      '50ms',
      ...inlineFlags(cluster),
      ...fast,
    ]);
    assert.equal(r.code, 0);
    assert.equal(r.out.match(/verdict: healthy cluster/g)?.length, 2);
  });

  it('membership differing from the config is reported (op-conductor-ops warnings)', async () => {
    const cfg = join(dir, 'nonvoter.toml');
    writeFileSync(cfg, opsToml(cluster, 'devnet', { 'seq-3': false }));
    const r = await ctl(['status', '-c', cfg, ...fast]);
    assert.equal(r.code, 3);
    assert.match(r.out, /membership differs from config: seq-3 should be nonvoter/);
  });
});
