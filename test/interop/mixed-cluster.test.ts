/**
 * Mixed clusters of real hashicorp raft 1.1.2 nodes and TS RaftHosts on the TCP transport: a TS node joins
 * a Go cluster as a voter, 500 entries replicate with identical applied bytes everywhere, leadership moves
 * Go→TS, the TS leader replicates to the Go nodes, and leadership moves back TS→Go.
 * Shared setup (the TS FSM with raftpeer's hash chain, timing, teardown) is in cluster-helpers.ts.
 * Skips loudly (not a pass) only when Go or the raft sources are not installed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { waitFor } from '../transport/helpers.ts';
import { FAST, MixedCluster } from './cluster-helpers.ts';
import { appliedChain, buildGoPeer } from './go-peer.ts';

const bin = buildGoPeer();
const cluster = new MixedCluster();
after(() => cluster.close());
const tsNode = (id: string) => cluster.ts(id);
const goPeer = (id: string, args: string[]) => cluster.go(id, args);

describe('mixed clusters with hashicorp raft 1.1.2', {
  skip: bin === null ? 'Go not installed' : false,
}, () => {
  it('2 Go + 1 TS: join, 500 entries identical everywhere, transfer Go→TS, TS leads Go, transfer TS→Go, kill the Go leader, remove it', async () => {
    const g1 = await goPeer('g1', ['--bootstrap', ...FAST]);
    await g1.waitState((s) => s.role === 'leader', 'g1 leader');
    const g2 = await goPeer('g2', FAST);
    const t1 = await tsNode('t1');
    await g1.call(`/add_voter?id=g2&addr=${g2.raftAddr}`);
    await g1.call(`/add_voter?id=t1&addr=${t1.addr}`);

    const datas: Buffer[] = [];
    for (let i = 0; i < 500; i++) {
      const d = createHash('sha256').update(`entry-${i}`).digest();
      datas.push(Buffer.concat([d, Buffer.alloc(i % 300, i & 0xff)]));
      await g1.call('/apply', datas[i]);
    }
    const want = appliedChain(datas);
    await waitFor(() => t1.fsm.count === 500, 'TS applied 500', 15_000);
    assert.equal(t1.fsm.chain.toString('hex'), want, 'TS applied identical bytes in identical order');
    for (const g of [g1, g2]) {
      const s = await g.waitState((x) => x.appliedCount === 500, `${g.id} applied 500`);
      assert.equal(s.appliedChain, want);
    }
    assert.deepEqual(
      t1.host.getConfiguration().servers.map((s) => s.id),
      ['g1', 'g2', 't1'],
    );

    // Go → TS leadership transfer (TimeoutNow from Go, RequestVote with LeadershipTransfer from TS).
    await g1.call(`/transfer?id=t1&addr=${t1.addr}`);
    await waitFor(() => t1.host.state() === 'leader', 't1 leader', 10_000);
    for (const g of [g1, g2]) await g.waitState((s) => s.leader === t1.addr, `${g.id} follows t1`);

    // The TS leader replicates to both Go followers.
    const more: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      more.push(Buffer.from(`ts-${i}`));
      await t1.host.apply(more[i]!, 5000);
    }
    const want2 = appliedChain([...datas, ...more]);
    for (const g of [g1, g2]) {
      const s = await g.waitState((x) => x.appliedCount === 550, `${g.id} applied TS entries`);
      assert.equal(s.appliedChain, want2);
    }

    // TS → Go transfer (our TimeoutNow, Go's election).
    await t1.host.leadershipTransferToServer('g2', g2.raftAddr);
    await g2.waitState((s) => s.role === 'leader', 'g2 leader');
    await waitFor(() => t1.host.leader().addr === g2.raftAddr, 't1 follows g2', 10_000);
    await g2.call('/apply', Buffer.from('back-on-go'));
    await waitFor(() => t1.fsm.count === 551, 't1 applied entry from g2', 10_000);

    // Kill the Go leader: g1 and t1 elect a new leader (t1's pre-vote to 1.1.2 g1 takes the
    // "unexpected command" path); nothing committed is lost.
    g2.kill();
    const until = Date.now() + 15_000;
    let leader: 'g1' | 't1' | null = null;
    while (leader === null && Date.now() < until) {
      if (t1.host.state() === 'leader') leader = 't1';
      else if ((await g1.state()).role === 'leader') leader = 'g1';
      else await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(leader !== null, 'a new leader after the Go leader was killed');
    assert.equal((await g1.state()).appliedCount, 551);
    assert.equal(t1.fsm.count, 551);

    // Remove the dead node from whichever side leads; the change is visible on both languages.
    if (leader === 't1') await t1.host.removeServer('g2', 0, 5000);
    else await g1.call('/remove_server?id=g2');
    await waitFor(() => t1.host.getConfiguration().servers.length === 2, 't1 sees g2 removed', 10_000);
    const conf = await g1.call<{ servers: Array<{ id: string }> }>('/configuration');
    assert.deepEqual(conf.servers.map((s) => s.id).sort(), ['g1', 't1']);
    const last = Buffer.from('after-failover');
    if (leader === 't1') await t1.host.apply(last, 5000);
    else await g1.call('/apply', last);
    const s1 = await g1.waitState((x) => x.appliedCount === 552, 'g1 applied after failover');
    await waitFor(() => t1.fsm.count === 552, 't1 applied after failover', 10_000);
    assert.equal(s1.appliedChain, t1.fsm.chain.toString('hex'));
  });
});
