/**
 * Shared setup for mixed clusters of real hashicorp raft 1.1.2 nodes (test/interop/raftpeer) and TS
 * RaftHosts on the real TcpTransport.
 *
 * Invariants:
 * - Everything listens on 127.0.0.1; ports are OS-assigned (port 0). A restarted node rebinds the port it
 *   had, so the address in the cluster configuration stays valid.
 * - Every wait is bounded; every node and data directory a MixedCluster creates is torn down by close().
 * - The TS FSM keeps raftpeer's hash chain and JSON snapshot format, so snapshots taken by either language
 *   restore on the other.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logging/logger.ts';
import { type LogEntry, LogType } from '../../src/raft/core/types.ts';
import { type RaftFsm, RaftHost, type RaftHostTiming } from '../../src/raft/host/raft-host.ts';
import { RAFT_HOST_TIMING_DEFAULTS } from '../../src/raft/host/timing.ts';
import { createMemoryNodeStores } from '../../src/raft/storage/memory-store.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import type { NodeStores } from '../../src/raft/storage/storage.ts';
import { TcpTransport } from '../../src/raft/transport/tcp-transport.ts';
import { GoPeer } from './go-peer.ts';

/**
 * raftpeer flags matching TIMING: short timeouts so elections and failover stay quick, with enough slack
 * (lease 250 ms) that a busy 2-core machine does not depose a healthy leader.
 */
export const FAST = [
  '--heartbeat-ms',
  '500',
  '--election-ms',
  '500',
  '--lease-ms',
  '250',
  '--commit-ms',
  '20',
];
export const TIMING: RaftHostTiming = {
  ...RAFT_HOST_TIMING_DEFAULTS,
  tickMs: 10,
  heartbeatTimeoutMs: 500,
  electionTimeoutMs: 500,
  leaseTimeoutMs: 250,
  commitTimeoutMs: 20,
};
/** Timing for a node that restarts behind the cluster: it waits longer before campaigning, so the leader
 * usually reaches it first (the tests do not depend on it). */
export const PATIENT_TIMING: RaftHostTiming = {
  ...TIMING,
  heartbeatTimeoutMs: 2000,
  electionTimeoutMs: 2000,
};
export const PATIENT_GO = [
  '--heartbeat-ms',
  '2000',
  '--election-ms',
  '2000',
  '--lease-ms',
  '150',
  '--commit-ms',
  '20',
];
export const WAIT_MS = 15_000;
const POLL_MS = 20;
const APPLY_TIMEOUT_MS = 5000;
const APPLY_ATTEMPTS_MAX = 20;

/** raftpeer's FSM in TS: the same hash chain and the same JSON snapshot; also keeps the applied bytes. */
export class ChainFsm implements RaftFsm {
  count = 0;
  chain: Buffer = Buffer.alloc(32);
  applied = 0;
  /** Command data applied since the last restore (a restore replaces the prefix by the snapshot). */
  appliedData: Buffer[] = [];
  restores = 0;
  apply(e: LogEntry): unknown {
    this.applied = e.index;
    if (e.type !== LogType.Command) return undefined;
    this.chain = createHash('sha256').update(this.chain).update(e.data).digest();
    this.count++;
    this.appliedData.push(Buffer.from(e.data));
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
        : (JSON.parse(Buffer.from(data).toString()) as { count: number; chain: string; applied: number });
    this.count = s.count;
    this.chain = Buffer.from(s.chain, 'hex');
    this.applied = s.applied;
    this.appliedData = [];
    this.restores++;
  }
  chainHex(): string {
    return this.chain.toString('hex');
  }
}

export interface TsNodeOptions {
  readonly timing?: RaftHostTiming;
  /** Durable LMDB stores in a temp dir (needed to restart the node); memory stores otherwise. */
  readonly durable?: boolean;
}

export interface TsNode {
  readonly kind: 'ts';
  readonly id: string;
  readonly addr: string;
  readonly port: number;
  readonly host: RaftHost;
  readonly fsm: ChainFsm;
  readonly transport: TcpTransport;
  readonly dir: string | undefined;
}

export type Node = TsNode | GoPeer;

/** Distinct payloads of varying size (32..331 bytes), deterministic per tag and index. */
export function entryData(tag: string, n: number, from = 0): Buffer[] {
  const out: Buffer[] = [];
  for (let i = from; i < from + n; i++) {
    const d = createHash('sha256').update(`${tag}-${i}`).digest();
    out.push(Buffer.concat([d, Buffer.alloc(i % 300, i & 0xff)]));
  }
  return out;
}

export async function waitUntil(
  pred: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** A port that was free a moment ago (the OS picked it for a listener we closed). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function portOf(addr: string): number {
  return Number(addr.slice(addr.lastIndexOf(':') + 1));
}

/** Nodes of both languages with one teardown. */
export class MixedCluster {
  private readonly cleanups: Array<() => unknown> = [];

  async go(id: string, args: string[], opts: { dir?: string } = {}): Promise<GoPeer> {
    const g = await GoPeer.start(id, args, opts);
    this.cleanups.push(() => g.kill());
    return g;
  }

  /** Restart a stopped Go node on its data dir and raft port (`extra` replaces the timing flags). */
  async restartGo(g: GoPeer, extra: string[]): Promise<GoPeer> {
    return this.go(g.id, ['--bind', g.raftAddr, ...extra], { dir: g.dataDir });
  }

  async ts(id: string, opts: TsNodeOptions = {}, restart?: { dir: string; port: number }): Promise<TsNode> {
    const transport = new TcpTransport({
      localId: id,
      bindHost: '127.0.0.1',
      bindPort: restart?.port ?? 0,
      logger: silentLogger(),
    });
    await transport.start();
    let dir: string | undefined;
    let stores: NodeStores;
    if (opts.durable === true || restart !== undefined) {
      dir = restart?.dir ?? mkdtempSync(join(tmpdir(), `interop-ts-${id}-`));
      stores = await openNodeStores({ dir, backend: 'lmdb' });
      const owned = dir;
      if (restart === undefined) this.cleanups.push(() => rmSync(owned, { recursive: true, force: true }));
    } else stores = createMemoryNodeStores();
    const fsm = new ChainFsm();
    const host = new RaftHost({
      id,
      addr: transport.localAddr(),
      stores,
      transport,
      fsm,
      logger: silentLogger(),
      timing: opts.timing ?? TIMING,
      preVote: true,
    });
    await host.start();
    this.cleanups.push(async () => {
      await host.shutdown().catch(() => {});
      await transport.close();
    });
    const addr = transport.localAddr();
    return { kind: 'ts', id, addr, port: portOf(addr), host, fsm, transport, dir };
  }

  /** Restart a stopped durable TS node on its stores and port, with a fresh FSM (a new process). */
  restartTs(n: TsNode, opts: TsNodeOptions = {}): Promise<TsNode> {
    if (n.dir === undefined) throw new Error(`${n.id} has no durable stores to restart from`);
    return this.ts(n.id, opts, { dir: n.dir, port: n.port });
  }

  /** Tear down in reverse order of creation. */
  async close(): Promise<void> {
    for (const c of this.cleanups.reverse()) await c();
    this.cleanups.length = 0;
  }
}

/**
 * Stop a TS node the way a crash looks to its peers: no leadership transfer, no goodbye; its transport
 * closes every connection and listener and the node never answers again.
 */
export async function crashTs(n: TsNode): Promise<void> {
  await n.transport.close();
  await n.host.shutdown();
}

export async function isLeader(n: Node): Promise<boolean> {
  if (n.kind === 'ts') return n.host.state() === 'leader';
  return (await n.state()).role === 'leader';
}

/** The first node (of those given) that reports itself leader, within the bound. */
export async function waitLeader<T extends Node>(nodes: readonly T[], timeoutMs = WAIT_MS): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const n of nodes) if (await isLeader(n)) return n;
    if (Date.now() > until) throw new Error(`no leader among ${nodes.map((n) => n.id).join(',')}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** hashicorp's ErrNotLeader text and our code for it: the entry was refused before it was appended. */
function refusedNotLeader(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return err.code === 'ERR_NOT_LEADER' || String(err.message).includes('node is not the leader');
}

/**
 * Apply entries one by one on whichever of `nodes` leads, each committed before the next is sent, so the
 * order is fixed. An entry refused because the node no longer leads was never appended and is sent again
 * to the new leader; any other failure (say, leadership lost after appending) fails the test.
 */
export async function applyAll(nodes: readonly Node[], datas: readonly Uint8Array[]): Promise<void> {
  let leader = await waitLeader(nodes);
  for (const d of datas) {
    for (let attempt = 1; ; attempt++) {
      try {
        if (leader.kind === 'ts') await leader.host.apply(d, APPLY_TIMEOUT_MS);
        else await leader.call('/apply', d);
        break;
      } catch (e) {
        if (!refusedNotLeader(e) || attempt >= APPLY_ATTEMPTS_MAX) throw e;
        leader = await waitLeader(nodes);
      }
    }
  }
}

export async function appliedCount(n: Node): Promise<number> {
  return n.kind === 'ts' ? n.fsm.count : (await n.state()).appliedCount;
}

export async function chainOf(n: Node): Promise<string> {
  return n.kind === 'ts' ? n.fsm.chainHex() : (await n.state()).appliedChain;
}

/** Wait until `n` applied `count` commands, then return its hash chain. */
export async function waitApplied(n: Node, count: number, timeoutMs = WAIT_MS): Promise<string> {
  await waitUntil(async () => (await appliedCount(n)) >= count, `${n.id} applied ${count}`, timeoutMs);
  return chainOf(n);
}

export interface ConfServer {
  readonly id: string;
  readonly address: string;
  readonly suffrage: number;
}

/** A node's latest configuration as `id:suffrage` sorted by id (Go: /configuration; TS: getConfiguration). */
export async function confOf(n: Node): Promise<{ servers: string[]; index: number }> {
  const c =
    n.kind === 'ts'
      ? n.host.getConfiguration()
      : await n.call<{ servers: ConfServer[]; index: number }>('/configuration');
  return { servers: c.servers.map((s) => `${s.id}:${s.suffrage}`).sort(), index: c.index };
}

/** Wait until the node's configuration lists exactly `want` (`id:suffrage`, any order). */
export async function waitConf(n: Node, want: readonly string[], timeoutMs = WAIT_MS): Promise<number> {
  const sorted = [...want].sort();
  let last: { servers: string[]; index: number } = { servers: [], index: 0 };
  try {
    await waitUntil(
      async () => {
        last = await confOf(n);
        return last.servers.join(',') === sorted.join(',');
      },
      `${n.id} configuration ${sorted.join(',')}`,
      timeoutMs,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last ${last.servers.join(',')}`);
  }
  return last.index;
}
