/**
 * Benchmark: pure-core overhead per proposal. Three RaftNode cores in one process, messages handed
 * over directly and persistence acknowledged at once (no I/O), the leader proposing in batches of
 * `BATCH` and the cluster pumped until every proposal is committed on the leader and applied everywhere.
 * Logs are compacted as they go (trailing logs 64) so memory stays flat. Also measures simulator
 * speed (seeds/min at the default tick count). Prints figures only; nothing here asserts timing.
 * Run: node --import tsx bench/core-propose.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { runSimulation } from '../sim/simulation.ts';
import { RAFT_CORE_DEFAULTS, type RaftCoreConfig } from '../src/raft/core/config.ts';
import type { RaftMessage } from '../src/raft/core/messages.ts';
import { RaftNode } from '../src/raft/core/raft-node.ts';
import { SeededRng } from '../src/raft/core/rng.ts';
import { HARD_STATE_EMPTY, type Server, Suffrage } from '../src/raft/core/types.ts';

const BATCH = 64;
const PUMP_ROUNDS_MAX = 10_000;

function makeCluster(): RaftNode[] {
  const servers: Server[] = [1, 2, 3].map((i) => ({
    suffrage: Suffrage.Voter,
    id: `n${i}`,
    address: `n${i}:1`,
  }));
  const nodes = servers.map((s, i) => {
    const config: RaftCoreConfig = {
      ...RAFT_CORE_DEFAULTS,
      id: s.id,
      addr: s.address,
      heartbeatTimeoutTicks: 100,
      electionTimeoutTicks: 100,
      leaseTimeoutTicks: 50,
      heartbeatIntervalTicks: 10,
      trailingLogs: 64,
      uncommittedBytesMax: 1 << 30,
    };
    const n = new RaftNode({ config, rng: new SeededRng(i + 1), hardState: HARD_STATE_EMPTY, entries: [] });
    n.bootstrap({ servers });
    return n;
  });
  nodes[0]!.campaign();
  pump(nodes);
  if (nodes[0]!.status().role !== 'leader') throw new Error('bench: n1 did not become leader');
  return nodes;
}

/** Deliver messages and acknowledge persistence until no core has work; returns applied entry count. */
function pump(nodes: RaftNode[]): number {
  const byId = new Map(nodes.map((n) => [n.config.id, n]));
  let applied = 0;
  for (let round = 0; round < PUMP_ROUNDS_MAX; round++) {
    const inbox: RaftMessage[] = [];
    let busy = false;
    for (const n of nodes) {
      if (!n.hasReady()) continue;
      busy = true;
      const r = n.ready();
      inbox.push(...r.messagesNow, ...r.messagesAfterPersist);
      applied += r.committedEntries.length;
      n.onPersisted(r.number);
    }
    for (const m of inbox) byId.get(m.to.id)!.step(m);
    if (!busy && inbox.length === 0) return applied;
  }
  throw new Error('bench: cluster did not settle');
}

function compact(nodes: RaftNode[]): void {
  for (const n of nodes) {
    const p = n.snapshotPoint();
    if ('index' in p) n.snapshotTaken(p, new Uint8Array(8));
  }
}

function benchPropose(sizeBytes: number, total: number): void {
  const nodes = makeCluster();
  const leader = nodes[0]!;
  const data = new Uint8Array(sizeBytes).fill(7);
  let id = 1;
  const started = performance.now();
  for (let done = 0; done < total; done += BATCH) {
    for (let i = 0; i < BATCH; i++) {
      const r = leader.propose(id++, data);
      if (!r.ok) throw r.error;
    }
    pump(nodes);
    compact(nodes);
  }
  const seconds = (performance.now() - started) / 1000;
  const s = leader.status();
  if (s.commitIndex < total) throw new Error(`bench: only ${s.commitIndex} committed`);
  const perSecond = Math.round(total / seconds);
  const mbPerSecond = ((total * sizeBytes) / seconds / 1e6).toFixed(1);
  console.log(
    `core-propose ${String(sizeBytes).padStart(8)} B: ${perSecond.toLocaleString('en-US')} proposals/s (${mbPerSecond} MB/s, ${total} proposals, 3 cores, batch ${BATCH})`,
  );
}

function benchSim(seeds: number): void {
  const started = performance.now();
  for (let seed = 1; seed <= seeds; seed++)
    runSimulation({ seed, nodes: seed % 2 === 0 ? 5 : 3, ticks: 1500 });
  const minutes = (performance.now() - started) / 60_000;
  console.log(
    `sim: ${Math.round(seeds / minutes)} seeds/min at 1500 ticks (${seeds} seeds, N alternating 3/5)`,
  );
}

benchPropose(1024, 200_000);
benchPropose(100 * 1024, 5_000);
benchPropose(1024 * 1024, 640);
benchSim(100);
