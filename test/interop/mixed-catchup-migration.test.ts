/**
 * Mixed clusters against real hashicorp raft 1.1.2 nodes, across restarts and membership moves:
 * - a TS node that was down while the Go leaders compacted their logs catches up by InstallSnapshot from Go;
 * - a Go node that was down while the TS leaders compacted their logs catches up by InstallSnapshot from TS;
 * - the rolling-migration path: a TS node joins a running 3-node Go cluster as a voter, replicates, is
 *   removed, and no Go configuration lists it any more.
 * In the catch-up tests every node of the leader's language compacts, so whichever of them leads after the
 * lagging node comes back, only a snapshot can bring it up to date. The lagging node's own snapshot store
 * proves it: it never took a snapshot itself (thresholds far above the entry counts), yet it holds one past
 * the last index it had before it went down.
 * Skips loudly (not a pass) only when Go or the raft sources are not installed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Suffrage } from '../../src/raft/core/types.ts';
import {
  applyAll,
  crashTs,
  entryData,
  FAST,
  MixedCluster,
  PATIENT_GO,
  PATIENT_TIMING,
  TIMING,
  waitApplied,
  waitConf,
  waitLeader,
} from './cluster-helpers.ts';
import { appliedChain, buildGoPeer } from './go-peer.ts';

const bin = buildGoPeer();
/** Log entries kept behind a snapshot, on both sides: far fewer than the entries written while a node is down. */
const TRAILING = 20;
const GO_COMPACTING = [...FAST, '--trailing-logs', String(TRAILING)];
const TS_COMPACTING = { ...TIMING, trailingLogs: TRAILING };
const CATCHUP_MS = 30_000;

describe('catch-up and migration in mixed clusters with hashicorp raft 1.1.2', {
  skip: bin === null ? 'Go not installed' : false,
}, () => {
  it('a TS node that fell behind catches up by InstallSnapshot from a Go leader', async (t) => {
    const c = new MixedCluster();
    t.after(() => c.close());
    const g1 = await c.go('g1', ['--bootstrap', ...GO_COMPACTING]);
    await g1.waitState((s) => s.role === 'leader', 'g1 leader');
    const g2 = await c.go('g2', GO_COMPACTING);
    const t1 = await c.ts('t1', { durable: true });
    await g1.call(`/add_voter?id=g2&addr=${g2.raftAddr}`);
    await g1.call(`/add_voter?id=t1&addr=${t1.addr}`);
    const early = entryData('lag-ts', 50);
    await applyAll([g1, g2, t1], early);
    await waitApplied(t1, 50);
    const behind = t1.host.stats().lastLogIndex;

    // t1 goes down (its LMDB stores stay on disk); the Go nodes move on and compact past it.
    await t1.host.shutdown();
    const late = entryData('lag-ts', 200, 50);
    await applyAll([g1, g2], late);
    const want = appliedChain([...early, ...late]);
    for (const g of [g1, g2]) {
      assert.equal(await waitApplied(g, 250), want);
      await g.call('/snapshot');
      assert.ok(
        g.snapshotIndexes().some((i) => i - TRAILING > behind),
        `${g.id} compacted past t1`,
      );
    }

    // Back on the same address with a fresh FSM: only a Go snapshot can fill the gap.
    const t1b = await c.restartTs(t1, { timing: PATIENT_TIMING });
    assert.equal(await waitApplied(t1b, 250, CATCHUP_MS), want, 't1 restored the Go snapshot');
    assert.ok(t1b.fsm.restores >= 1, 't1 restored its FSM from a snapshot');
    const installed = t1b.host.stats().lastSnapshotIndex;
    assert.ok(
      installed > behind + TRAILING,
      `t1 holds a snapshot at ${installed}, past its old log end ${behind}`,
    );

    // Replication continues from the snapshot.
    const next = entryData('lag-ts-next', 10);
    await applyAll([g1, g2, t1b], next);
    const want2 = appliedChain([...early, ...late, ...next]);
    for (const n of [g1, g2, t1b]) assert.equal(await waitApplied(n, 260), want2, `${n.id} after catch-up`);
    assert.deepEqual(t1b.fsm.appliedData.slice(-10), next);
  });

  it('a Go node that fell behind catches up by InstallSnapshot from a TS leader', async (t) => {
    const c = new MixedCluster();
    t.after(() => c.close());
    const t1 = await c.ts('t1', { timing: TS_COMPACTING });
    const t2 = await c.ts('t2', { timing: TS_COMPACTING });
    await t1.host.bootstrap([{ suffrage: Suffrage.Voter, id: 't1', address: t1.addr }]);
    await waitLeader([t1]);
    const g1 = await c.go('g1', FAST);
    await t1.host.addVoter('t2', t2.addr, 0, 5000);
    await t1.host.addVoter('g1', g1.raftAddr, 0, 5000);
    const early = entryData('lag-go', 50);
    await applyAll([t1, t2, g1], early);
    await waitApplied(g1, 50);
    const behind = (await g1.state()).lastIndex;
    assert.deepEqual(g1.snapshotIndexes(), [], 'g1 took no snapshot of its own');

    // g1 is SIGKILLed (its bolt stores stay on disk); the TS nodes move on and compact past it.
    await g1.stop();
    const late = entryData('lag-go', 200, 50);
    await applyAll([t1, t2], late);
    const want = appliedChain([...early, ...late]);
    for (const n of [t1, t2]) {
      assert.equal(await waitApplied(n, 250), want);
      await n.host.snapshotNow();
      assert.ok(n.host.stats().lastSnapshotIndex - TRAILING > behind, `${n.id} compacted past g1`);
    }

    // Back on the same address with its old log: only a TS snapshot can fill the gap.
    const g1b = await c.restartGo(g1, PATIENT_GO);
    assert.equal(await waitApplied(g1b, 250, CATCHUP_MS), want, 'g1 restored the TS snapshot');
    const installed = g1b.snapshotIndexes();
    assert.ok(
      installed.some((i) => i > behind + TRAILING),
      `g1 holds a snapshot past its old log end ${behind}: ${installed.join(',')}`,
    );

    // Replication continues from the snapshot.
    const next = entryData('lag-go-next', 10);
    await applyAll([t1, t2, g1b], next);
    const want2 = appliedChain([...early, ...late, ...next]);
    for (const n of [t1, t2, g1b]) assert.equal(await waitApplied(n, 260), want2, `${n.id} after catch-up`);
  });

  it('rolling migration: a TS node joins a running 3-node Go cluster as a voter, replicates, and is removed', async (t) => {
    const c = new MixedCluster();
    t.after(() => c.close());
    const g1 = await c.go('g1', ['--bootstrap', ...FAST]);
    await g1.waitState((s) => s.role === 'leader', 'g1 leader');
    const g2 = await c.go('g2', FAST);
    const g3 = await c.go('g3', FAST);
    await g1.call(`/add_voter?id=g2&addr=${g2.raftAddr}`);
    await g1.call(`/add_voter?id=g3&addr=${g3.raftAddr}`);
    const early = entryData('migrate', 20);
    await applyAll([g1, g2, g3], early);
    const gos = [g1, g2, g3];
    for (const g of gos) await waitApplied(g, 20);

    const t1 = await c.ts('t1');
    await g1.call(`/add_voter?id=t1&addr=${t1.addr}`);
    const V = Suffrage.Voter;
    const withTs = [`g1:${V}`, `g2:${V}`, `g3:${V}`, `t1:${V}`];
    for (const n of [...gos, t1]) await waitConf(n, withTs);

    const late = entryData('migrate', 100, 20);
    await applyAll([...gos, t1], late);
    const want = appliedChain([...early, ...late]);
    for (const n of [...gos, t1])
      assert.equal(await waitApplied(n, 120), want, `${n.id} applied identical bytes`);
    assert.deepEqual(t1.fsm.appliedData, [...early, ...late], 't1 replayed the Go log from index 1');

    await (await waitLeader(gos)).call('/remove_server?id=t1');
    for (const g of gos) await waitConf(g, [`g1:${V}`, `g2:${V}`, `g3:${V}`]);
    await crashTs(t1);

    // The Go cluster carries on without the TS node.
    const after = entryData('migrate-after', 10);
    await applyAll(gos, after);
    const want2 = appliedChain([...early, ...late, ...after]);
    for (const g of gos) assert.equal(await waitApplied(g, 130), want2, `${g.id} after removal`);
  });
});
