// Three RaftHosts on an in-memory network with in-memory stores: a leader is elected, applies commit on
// every node with the FSM's return value handed back, the leader is killed and a new one elected, and no
// acknowledged entry is lost; a follower that lags by more than the leader's entry cache catches up from
// the leader's log store, byte for byte. Also the hashicorp error texts for bootstrap-twice, non-leader apply,
// transfer to self, a stale prevIndex, and calls after shutdown. Bounded waits only; no timing asserts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../src/logging/logger.ts';
import { RAFT_CORE_DEFAULTS } from '../../src/raft/core/config.ts';
import { SeededRng } from '../../src/raft/core/rng.ts';
import { type LogEntry, LogType, type Server, Suffrage } from '../../src/raft/core/types.ts';
import { RaftHost } from '../../src/raft/host/raft-host.ts';
import type { RaftHostTiming } from '../../src/raft/host/timing.ts';
import { createMemoryNodeStores } from '../../src/raft/storage/memory-store.ts';
import { MemoryNetwork } from '../../src/raft/transport/memory-transport.ts';

const TIMING: RaftHostTiming = {
  tickMs: 5,
  heartbeatTimeoutMs: 60,
  electionTimeoutMs: 60,
  leaseTimeoutMs: 40,
  commitTimeoutMs: 5,
  snapshotIntervalMs: 60_000,
  snapshotThreshold: 8192,
  trailingLogs: 4,
  maxAppendEntries: 64,
};
const WAIT_MS_MAX = 5000;

class ListFsm {
  readonly applied: string[] = [];
  apply(e: LogEntry): unknown {
    this.applied.push(new TextDecoder().decode(e.data));
    return this.applied.length;
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.applied));
  }
  restore(data: Uint8Array): void {
    this.applied.splice(0, this.applied.length, ...(JSON.parse(new TextDecoder().decode(data)) as string[]));
  }
}

async function waitFor<T>(what: string, f: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + WAIT_MS_MAX;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function makeCluster(n: number) {
  const net = new MemoryNetwork();
  const servers: Server[] = Array.from({ length: n }, (_, i) => ({
    suffrage: Suffrage.Voter,
    id: `n${i + 1}`,
    address: `mem:${i + 1}`,
  }));
  const nodes = servers.map((s, i) => {
    const fsm = new ListFsm();
    const host = new RaftHost({
      id: s.id,
      addr: s.address,
      stores: createMemoryNodeStores(),
      transport: net.transport(s.address),
      fsm,
      logger: silentLogger(),
      rng: new SeededRng(100 + i),
      timing: TIMING,
    });
    return { server: s, host, fsm, alive: true };
  });
  return { net, servers, nodes };
}

test('3-host cluster: elect, apply, kill leader, re-elect, no acknowledged entry lost', async () => {
  const { nodes, servers, net } = makeCluster(3);
  try {
    for (const n of nodes) await n.host.start();
    await nodes[0]!.host.bootstrap([servers[0]!]);
    await waitFor('n1 leader', () => nodes[0]!.host.state() === 'leader');
    for (const n of nodes.slice(1))
      await nodes[0]!.host.addVoter(n.server.id, n.server.address, 0, WAIT_MS_MAX);
    assert.equal(nodes[0]!.host.getConfiguration().servers.length, 3);

    const acked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await nodes[0]!.host.apply(new TextEncoder().encode(`a${i}`), WAIT_MS_MAX);
      assert.equal(r.response, i + 1, 'apply returns the FSM response');
      acked.push(`a${i}`);
    }
    await waitFor('followers applied', () => nodes.every((n) => n.fsm.applied.length === 20));

    // Kill the leader; the two others elect a new one and keep committing.
    const oldLeader = nodes[0]!;
    net.isolate(oldLeader.server.address);
    await oldLeader.host.shutdown();
    oldLeader.alive = false;
    const survivors = nodes.slice(1);
    const leader = await waitFor('new leader', () => survivors.find((n) => n.host.state() === 'leader'));
    for (let i = 20; i < 30; i++) {
      await leader.host.apply(new TextEncoder().encode(`a${i}`), WAIT_MS_MAX);
      acked.push(`a${i}`);
    }
    await waitFor('survivors applied', () => survivors.every((n) => n.fsm.applied.length === 30));
    for (const n of survivors) assert.deepEqual(n.fsm.applied, acked);

    await assert.rejects(oldLeader.host.apply(new Uint8Array(1), 100), /raft is already shutdown/);
    const follower = survivors.find((n) => n !== leader)!;
    await assert.rejects(follower.host.apply(new Uint8Array(1), 100), /node is not the leader/);
    await assert.rejects(leader.host.leadershipTransferToServer(leader.server.id, leader.server.address), {
      message: 'cannot transfer leadership to itself',
    });
    await assert.rejects(
      leader.host.removeServer('n1', 1, WAIT_MS_MAX),
      /configuration changed since 1 \(latest is \d+\)/,
    );
  } finally {
    for (const n of nodes) await n.host.shutdown();
  }
});

test('a follower cut off for longer than the entry cache catches up from the log store', async () => {
  const { nodes, servers, net } = makeCluster(3);
  try {
    for (const n of nodes) await n.host.start();
    for (const n of nodes) await n.host.bootstrap(servers);
    const leader = await waitFor('leader', () => nodes.find((n) => n.host.state() === 'leader'));
    const lagging = nodes.find((n) => n !== leader)!;
    net.isolate(lagging.server.address);
    // Twice the entry cache's bytes, each entry distinct, committed by the leader and the other follower.
    const entryBytes = 512 * 1024;
    const count = Math.ceil((2 * RAFT_CORE_DEFAULTS.entryCacheBytesMax) / entryBytes);
    const payload = (i: number) => `${i}:`.padEnd(entryBytes, String.fromCharCode(97 + (i % 26)));
    for (let i = 0; i < count; i++)
      await leader.host.apply(new TextEncoder().encode(payload(i)), WAIT_MS_MAX);
    assert.equal(lagging.fsm.applied.length, 0, 'the cut-off follower has nothing yet');
    net.heal();
    await waitFor('lagging follower caught up', () => lagging.fsm.applied.length === count);
    for (let i = 0; i < count; i++) assert.ok(lagging.fsm.applied[i] === payload(i), `entry ${i} differs`);
  } finally {
    for (const n of nodes) await n.host.shutdown();
  }
});

test('bootstrap twice fails; leadership transfer moves the leader; snapshot + barrier work', async () => {
  const { nodes, servers } = makeCluster(3);
  try {
    for (const n of nodes) await n.host.start();
    await nodes[0]!.host.bootstrap(servers);
    await assert.rejects(nodes[0]!.host.bootstrap(servers), /bootstrap only works on new clusters/);
    for (const n of nodes.slice(1)) await n.host.bootstrap(servers);
    const leader = await waitFor('leader', () => nodes.find((n) => n.host.state() === 'leader'));
    for (let i = 0; i < 10; i++) await leader.host.apply(new TextEncoder().encode(`b${i}`), WAIT_MS_MAX);
    await leader.host.barrier(WAIT_MS_MAX);
    assert.equal(leader.fsm.applied.length, 10);
    await leader.host.snapshotNow();
    assert.ok(leader.host.stats().lastSnapshotIndex > 0);
    await leader.host.leadershipTransfer();
    const next = await waitFor('new leader after transfer', () =>
      nodes.find((n) => n !== leader && n.host.state() === 'leader'),
    );
    await next.host.apply(new TextEncoder().encode('after'), WAIT_MS_MAX);
    await waitFor('all applied', () => nodes.every((n) => n.fsm.applied.at(-1) === 'after'));
    assert.equal(LogType.Command, 0);
  } finally {
    for (const n of nodes) await n.host.shutdown();
  }
});

test('restart from the same stores: snapshot restores the FSM, the log tail is replayed', async () => {
  const stores = createMemoryNodeStores();
  // Keep the stores open across the host's shutdown so a second host can load them.
  const shared = {
    ...stores,
    close: async () => undefined,
    log: stores.log,
    stable: stores.stable,
    snapshots: stores.snapshots,
  };
  const net = new MemoryNetwork();
  const server: Server = { suffrage: Suffrage.Voter, id: 'solo', address: 'mem:solo' };
  const first = new ListFsm();
  const h1 = new RaftHost({
    id: 'solo',
    addr: server.address,
    stores: shared,
    transport: net.transport(server.address),
    fsm: first,
    logger: silentLogger(),
    timing: TIMING,
  });
  await h1.start();
  await h1.bootstrap([server]);
  await waitFor('solo leader', () => h1.state() === 'leader');
  for (let i = 0; i < 8; i++) {
    await h1.apply(new TextEncoder().encode(`r${i}`), WAIT_MS_MAX);
    if (i === 4) await h1.snapshotNow();
  }
  await h1.shutdown();
  assert.ok(stores.snapshots.list().length === 1, 'one snapshot saved');

  const second = new ListFsm();
  const h2 = new RaftHost({
    id: 'solo',
    addr: server.address,
    stores: shared,
    transport: net.transport(server.address),
    fsm: second,
    logger: silentLogger(),
    timing: TIMING,
  });
  try {
    await h2.start();
    await assert.rejects(h2.bootstrap([server]), /bootstrap only works on new clusters/);
    await waitFor('solo leader again', () => h2.state() === 'leader');
    await h2.barrier(WAIT_MS_MAX);
    assert.deepEqual(second.applied, first.applied);
    assert.equal(second.applied.length, 8);
  } finally {
    await h2.shutdown();
    await stores.close();
  }
});
