/**
 * import-bolt, then rejoin: a 3-node hashicorp raft 1.1.2 cluster (raftpeer, raft-boltdb stores) applies
 * 200 entries; node g3 is killed, its raft-log.db/raft-stable.db are imported into our lmdb store, and a
 * TS RaftHost starts as g3 on the same address from the imported state. It must rejoin the Go cluster:
 * keep its imported term/log, receive 50 new entries, and apply exactly the bytes the Go nodes applied
 * (raftpeer's sha256 hash chain over all 250 entries).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { importBolt } from '../../src/init/import-bolt.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type LogEntry, LogType } from '../../src/raft/core/types.ts';
import { type RaftFsm, RaftHost } from '../../src/raft/host/raft-host.ts';
import { RAFT_HOST_TIMING_DEFAULTS } from '../../src/raft/host/timing.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { TcpTransport } from '../../src/raft/transport/tcp-transport.ts';
import { appliedChain, buildGoPeer, GoPeer } from '../interop/go-peer.ts';

const FAST = ['--heartbeat-ms', '300', '--election-ms', '300', '--lease-ms', '150', '--commit-ms', '20'];
const TIMING = {
  ...RAFT_HOST_TIMING_DEFAULTS,
  tickMs: 10,
  heartbeatTimeoutMs: 300,
  electionTimeoutMs: 300,
  leaseTimeoutMs: 150,
  commitTimeoutMs: 20,
};
const WAIT_MS = 30_000;

/** raftpeer's FSM: chain_n = sha256(chain_{n-1} || data_n) over command entries; JSON snapshots. */
class ChainFsm implements RaftFsm {
  count = 0;
  chain: Buffer = Buffer.alloc(32);
  applied = 0;
  apply(e: LogEntry): unknown {
    this.applied = e.index;
    if (e.type !== LogType.Command) return undefined;
    this.chain = createHash('sha256').update(this.chain).update(e.data).digest();
    this.count++;
    return this.count;
  }
  snapshot(): Uint8Array {
    return Buffer.from(
      JSON.stringify({ count: this.count, chain: this.chain.toString('hex'), applied: this.applied }),
    );
  }
  restore(data: Uint8Array): void {
    const s =
      data.length === 0
        ? { count: 0, chain: '00'.repeat(32), applied: 0 }
        : JSON.parse(Buffer.from(data).toString());
    this.count = s.count;
    this.chain = Buffer.from(s.chain, 'hex');
    this.applied = s.applied;
  }
}

async function until(pred: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bin = buildGoPeer();
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('import-bolt then rejoin the Go cluster', {
  skip: bin === null ? 'Go not installed' : false,
}, () => {
  it('a TS node started on imported state catches up with identical bytes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'init-rejoin-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const peer = async (id: string, args: string[]) => {
      const g = await GoPeer.start(id, [...args, ...FAST, '--dir', join(root, 'go')]);
      cleanups.push(() => g.kill());
      return g;
    };
    const g1 = await peer('g1', ['--bootstrap']);
    await g1.waitState((s) => s.role === 'leader', 'g1 leader');
    const g2 = await peer('g2', []);
    const g3 = await peer('g3', []);
    await g1.call(`/add_voter?id=g2&addr=${g2.raftAddr}`);
    await g1.call(`/add_voter?id=g3&addr=${g3.raftAddr}`);
    const datas: Buffer[] = [];
    for (let i = 0; i < 250; i++)
      datas.push(Buffer.concat([Buffer.from(`entry-${i}-`), Buffer.alloc(i % 5 === 0 ? 6000 : 40, i)]));
    for (let i = 0; i < 200; i++) await g1.call('/apply', datas[i]);
    const before = await g3.waitState((s) => s.appliedCount === 200, 'g3 applied 200');
    g3.kill();

    const ours = join(root, 'ts', 'g3');
    const res = await importBolt({
      from: join(root, 'go', 'g3'),
      stateDir: ours,
      backend: 'lmdb',
      force: false,
      openStores: (dir, backend) => openNodeStores({ dir, backend }),
      logger: silentLogger(),
    });
    assert.equal(res.lastIndex, before.lastIndex);
    assert.equal(res.hardState.currentTerm, before.term);

    const port = Number(g3.raftAddr.split(':')[1]);
    const transport = new TcpTransport({
      localId: 'g3',
      bindHost: '127.0.0.1',
      bindPort: port,
      logger: silentLogger(),
    });
    await transport.start();
    const stores = await openNodeStores({ dir: ours, backend: 'lmdb' });
    const fsm = new ChainFsm();
    const host = new RaftHost({
      id: 'g3',
      addr: g3.raftAddr,
      stores,
      transport,
      fsm,
      logger: silentLogger(),
      timing: TIMING,
      preVote: true,
    });
    await host.start();
    cleanups.push(async () => {
      await host.shutdown().catch(() => {});
      await transport.close();
      await stores.close();
    });
    // The TS node starts from the imported log, not from scratch.
    assert.equal(host.stats().lastLogIndex, before.lastIndex);
    assert.ok(host.stats().term >= before.term);
    for (let i = 200; i < 250; i++) await g1.call('/apply', datas[i]);
    await until(() => fsm.count === 250, 'TS g3 applied 250');
    assert.equal(fsm.chain.toString('hex'), appliedChain(datas), 'identical bytes in identical order');
    const leader = await g1.state();
    assert.equal(leader.appliedChain, appliedChain(datas));
    assert.deepEqual(
      host.getConfiguration().servers.map((s) => s.id),
      ['g1', 'g2', 'g3'],
    );
  });
});
