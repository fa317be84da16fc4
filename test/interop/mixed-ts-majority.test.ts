/**
 * Mixed clusters where TS RaftHosts are the majority, against real hashicorp raft 1.1.2 nodes:
 * - 1 Go + 2 TS bootstrapped with one configuration elect a leader, apply 500 entries with identical bytes in
 *   identical order on every node, and survive the crash of a TS leader with no committed entry lost;
 * - every membership change hashicorp offers, issued on a TS leader, shows up in the Go nodes'
 *   /configuration (and in the other TS node's configuration at the same log index).
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
  freePort,
  MixedCluster,
  type Node,
  type TsNode,
  waitApplied,
  waitConf,
  waitLeader,
} from './cluster-helpers.ts';
import { appliedChain, buildGoPeer } from './go-peer.ts';

const bin = buildGoPeer();
const APPLY_MS = 5000;

describe('TS-majority mixed clusters with hashicorp raft 1.1.2', {
  skip: bin === null ? 'Go not installed' : false,
}, () => {
  it('1 Go + 2 TS: bootstrap, elect, 500 identical entries everywhere, crash the TS leader, nothing committed lost', async (t) => {
    const c = new MixedCluster();
    t.after(() => c.close());
    const t1 = await c.ts('t1');
    const t2 = await c.ts('t2');
    const gAddr = `127.0.0.1:${await freePort()}`;
    const servers = [
      { suffrage: Suffrage.Voter, id: 'g1', address: gAddr },
      { suffrage: Suffrage.Voter, id: 't1', address: t1.addr },
      { suffrage: Suffrage.Voter, id: 't2', address: t2.addr },
    ];
    // Every node bootstraps the same configuration (the TS nodes first: a Go vote reaching an unbootstrapped
    // TS node would raise its term and make its bootstrap refuse).
    await t1.host.bootstrap(servers);
    await t2.host.bootstrap(servers);
    const peers = servers.map((s) => `${s.id}=${s.address}`).join(',');
    const g1 = await c.go('g1', ['--bind', gAddr, '--bootstrap', '--peers', peers, ...FAST]);
    assert.equal(g1.raftAddr, gAddr);
    const all: Node[] = [g1, t1, t2];

    const first = await waitLeader(all);
    const datas = entryData('maj', 500);
    await applyAll(all, datas);
    const want = appliedChain(datas);
    for (const n of all) assert.equal(await waitApplied(n, 500), want, `${n.id} applied identical bytes`);
    for (const n of [t1, t2]) {
      assert.equal(n.fsm.restores, 0);
      assert.deepEqual(n.fsm.appliedData, datas, `${n.id} applied the same 500 payloads in order`);
    }

    // Make sure a TS node leads (hand leadership over from Go if Go won the election).
    let tsLeader: TsNode;
    const current = await waitLeader(all);
    if (current.kind === 'go') {
      await current.call(`/transfer?id=t1&addr=${t1.addr}`);
      await waitLeader([t1]);
      tsLeader = t1;
    } else tsLeader = current;
    const survivor = tsLeader === t1 ? t2 : t1;

    // Entries the TS leader reported committed, then it crashes at once (some followers may not have
    // applied the last of them yet).
    const more = entryData('before-crash', 20);
    await applyAll([tsLeader], more);
    await crashTs(tsLeader);

    const rest: Node[] = [g1, survivor];
    const next = await waitLeader(rest);
    t.diagnostic(`elected ${first.id}; crashed TS leader ${tsLeader.id}; new leader ${next.id}`);
    const want2 = appliedChain([...datas, ...more]);
    for (const n of rest)
      assert.equal(await waitApplied(n, 520), want2, `${n.id} kept every committed entry`);

    // The new leader (of either language) keeps replicating to the other survivor.
    const after = entryData('after-crash', 10);
    await applyAll(rest, after);
    const want3 = appliedChain([...datas, ...more, ...after]);
    for (const n of rest) assert.equal(await waitApplied(n, 530), want3, `${n.id} applied after failover`);
    assert.deepEqual(survivor.fsm.appliedData, [...datas, ...more, ...after]);
  });

  it('membership changes issued on a TS leader are visible in the Go nodes’ /configuration', async (t) => {
    const c = new MixedCluster();
    t.after(() => c.close());
    const t1 = await c.ts('t1');
    await t1.host.bootstrap([{ suffrage: Suffrage.Voter, id: 't1', address: t1.addr }]);
    await waitLeader([t1]);
    const g1 = await c.go('g1', FAST);
    const g2 = await c.go('g2', FAST);
    const t2 = await c.ts('t2');
    const V = Suffrage.Voter;
    const N = Suffrage.Nonvoter;

    /**
     * Issue a change on t1, then every listed node must show exactly `want` (TS nodes also at the index t1
     * returned; hashicorp 1.1.2's GetConfiguration does not report its index).
     */
    async function change(issue: () => Promise<number>, want: string[], on: Node[]): Promise<void> {
      const index = await issue();
      assert.equal(t1.host.getConfiguration().index, index);
      for (const n of on) {
        const at = await waitConf(n, want);
        if (n.kind === 'ts') assert.equal(at, index, `${n.id} configuration index`);
      }
    }

    await change(() => t1.host.addVoter('g1', g1.raftAddr, 0, APPLY_MS), [`g1:${V}`, `t1:${V}`], [g1]);
    await change(
      () => t1.host.addVoter('t2', t2.addr, 0, APPLY_MS),
      [`g1:${V}`, `t1:${V}`, `t2:${V}`],
      [g1, t2],
    );
    await change(
      () => t1.host.addNonvoter('g2', g2.raftAddr, 0, APPLY_MS),
      [`g1:${V}`, `g2:${N}`, `t1:${V}`, `t2:${V}`],
      [g1, g2, t2],
    );

    // A Go non-voter receives the TS leader's entries.
    const datas = entryData('conf', 50);
    await applyAll([t1], datas);
    const want = appliedChain(datas);
    for (const n of [g1, g2, t2]) assert.equal(await waitApplied(n, 50), want);

    // Promote, demote, and remove with prevIndex set (hashicorp's optimistic-concurrency check).
    await change(
      () => t1.host.addVoter('g2', g2.raftAddr, t1.host.getConfiguration().index, APPLY_MS),
      [`g1:${V}`, `g2:${V}`, `t1:${V}`, `t2:${V}`],
      [g1, g2, t2],
    );
    await change(
      () => t1.host.demoteVoter('g1', 0, APPLY_MS),
      [`g1:${N}`, `g2:${V}`, `t1:${V}`, `t2:${V}`],
      [g1, g2, t2],
    );
    await change(
      () => t1.host.removeServer('g1', t1.host.getConfiguration().index, APPLY_MS),
      [`g2:${V}`, `t1:${V}`, `t2:${V}`],
      [g2, t2],
    );
    // A stale prevIndex is refused and changes nothing.
    await assert.rejects(t1.host.removeServer('t2', 1, APPLY_MS));
    await waitConf(g2, [`g2:${V}`, `t1:${V}`, `t2:${V}`]);

    // The reshaped cluster (Go voter promoted from non-voter, two TS voters) still commits.
    const more = entryData('conf-after', 10);
    await applyAll([t1], more);
    const want2 = appliedChain([...datas, ...more]);
    for (const n of [g2, t2]) assert.equal(await waitApplied(n, 60), want2);
  });
});
