/**
 * The local devnet: 3 real conductor processes (real stores, real TCP Raft transport behind fault proxies)
 * next to a simulated L2 of 3 op-node/op-geth pairs, bootstrapped the runbook way:
 * 1. every conductor starts paused; the first with raft.bootstrap; its op-node is already sequencing;
 * 2. once the first conductor leads, the others are added with conductor_addServerAsVoter;
 * 3. every conductor is resumed.
 * Fault controls: kill -9 the leader (restart later), transfer leadership, partition the leader, make it unhealthy.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePayloadForCommit } from '../../src/fsm/payload-codec.ts';
import { rpcCall } from '../l2/json-rpc-http.ts';
import type { L2Node } from '../l2/l2-node.ts';
import { SimL2 } from '../l2/network.ts';
import { ConductorProcess, type ConductorRuntime } from './conductor-process.ts';
import { FaultProxy, freePort } from './fault-proxy.ts';

export const RPC_TIMEOUT_MS = 2_000;
export const BOOT_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

export interface DevnetOptions {
  readonly nodes?: number;
  readonly blockTimeMs: number;
  readonly payloadBytes: number;
  readonly dir?: string;
  readonly commitMode?: 'json' | 'binary';
  readonly log?: (line: string) => void;
  readonly extraConductorArgs?: readonly string[];
  /**
   * How conductors run: 'source' (default) through tsx, so edits take effect at once; 'dist' the compiled
   * daemon as operators run it (bin/op-conductor.mjs; needs a fresh `npm run build`). The benchmarks use
   * 'dist': tsx's loader thread is a second V8 isolate with its own heap (tens of MiB of RSS) and compiles
   * on the fly.
   */
  readonly conductorRuntime?: ConductorRuntime;
  /** NODE_OPTIONS for every conductor process (e.g. V8 heap flags to try). */
  readonly conductorNodeOptions?: string;
  /** Node flags for every conductor process that NODE_OPTIONS refuses (e.g. `--cpu-prof --cpu-prof-dir=D`). */
  readonly conductorNodeArgs?: readonly string[];
  /**
   * Put a fault proxy in front of each conductor's Raft port (default true): needed for partitions. The
   * benchmarks turn them off: the proxies run in this process and relay every AppendEntries, so they
   * would add two relay hops and this process's load to every replicated payload.
   */
  readonly faultProxies?: boolean;
}

export interface DevnetMember {
  readonly id: string;
  readonly conductor: ConductorProcess;
  readonly l2: L2Node;
  /** Absent when the devnet runs without fault proxies. */
  readonly proxy?: FaultProxy;
  readonly host: string;
}

export interface MemberStatus {
  readonly id: string;
  readonly up: boolean;
  readonly leader?: boolean;
  readonly paused?: boolean;
  readonly healthy?: boolean;
  readonly active?: boolean;
  readonly sequencing: boolean;
  readonly head: bigint;
  readonly headHash: string;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  f: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(POLL_MS);
  }
  throw new Error(`devnet: timed out after ${timeoutMs} ms waiting for ${what}`);
}

export class Devnet {
  readonly members: DevnetMember[] = [];
  readonly l2: SimL2;
  readonly dir: string;
  failovers = 0;
  maxFailoverMs = 0;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: DevnetOptions) {
    const n = opts.nodes ?? 3;
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'op-conductor-devnet-'));
    this.log = opts.log ?? (() => {});
    this.l2 = new SimL2({
      nodeIds: Array.from({ length: n }, (_, i) => `seq${i + 1}`),
      blockTimeMs: opts.blockTimeMs,
      payloadBytes: opts.payloadBytes,
      commitMode: opts.commitMode ?? 'json',
      encodeSsz: (env) => encodePayloadForCommit(env).ssz,
      log: this.log,
    });
  }

  async start(): Promise<void> {
    await this.l2.start();
    mkdirSync(this.dir, { recursive: true });
    for (const [i, l2] of this.l2.nodes.entries()) {
      const host = `127.0.0.${i + 2}`;
      const raftPort = await freePort(host);
      let proxy: FaultProxy | undefined;
      let advertised = `${host}:${raftPort}`;
      if (this.opts.faultProxies ?? true) {
        const proxyHost = `127.0.1.${i + 2}`;
        const proxyPort = await freePort(proxyHost);
        proxy = new FaultProxy(proxyHost, proxyPort, host, raftPort);
        await proxy.start();
        advertised = `${proxyHost}:${proxyPort}`;
      }
      const conductor = new ConductorProcess({
        id: l2.id,
        host,
        raftPort,
        advertised,
        rpcPort: await freePort(host),
        metricsPort: await freePort(host),
        nodeRpc: l2.url,
        executionRpc: l2.url,
        dataDir: join(this.dir, 'raft'),
        logDir: join(this.dir, 'logs'),
        bootstrap: i === 0,
        paused: true,
        ...(this.opts.extraConductorArgs ? { extraArgs: this.opts.extraConductorArgs } : {}),
        ...(this.opts.conductorRuntime ? { runtime: this.opts.conductorRuntime } : {}),
        ...(this.opts.conductorNodeOptions ? { nodeOptions: this.opts.conductorNodeOptions } : {}),
        ...(this.opts.conductorNodeArgs ? { nodeArgs: this.opts.conductorNodeArgs } : {}),
      });
      l2.conductorUrl = conductor.rpcUrl;
      this.members.push({ id: l2.id, conductor, l2, host, ...(proxy ? { proxy } : {}) });
    }
    try {
      await this.bootstrap();
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  private async bootstrap(): Promise<void> {
    const [first, ...rest] = this.members;
    if (!first) throw new Error('devnet: no members');
    // The existing sequencer: its op-node sequences before the conductor takes over (runbook step 1).
    first.l2.setSequencerActiveForBootstrap();
    for (const m of this.members) m.conductor.start();
    await waitFor('bootstrap leader', BOOT_TIMEOUT_MS, async () =>
      (await this.call<boolean>(first, 'conductor_leader')) ? true : undefined,
    );
    this.log(`devnet: ${first.id} leads the bootstrapped cluster`);
    // The existing sequencer's blocks now go through Raft (commits are not gated by pause), so every conductor
    // sees a fresh unsafe head before any is resumed.
    await waitFor('first block through raft', BOOT_TIMEOUT_MS, async () =>
      this.l2.summary().blocks > 0 ? true : undefined,
    );
    for (const m of rest) {
      await waitFor(`${m.id} rpc`, BOOT_TIMEOUT_MS, async () =>
        (await this.call<boolean>(m, 'conductor_paused')) ? true : undefined,
      );
      await this.call(first, 'conductor_addServerAsVoter', [m.id, m.conductor.opts.advertised, 0]);
      this.log(`devnet: added ${m.id} as voter`);
    }
    for (const m of this.members) await this.call(m, 'conductor_resume');
    this.l2.resetGap();
  }

  async call<T>(m: DevnetMember, method: string, params: readonly unknown[] = []): Promise<T> {
    return rpcCall<T>(m.conductor.rpcUrl, method, params, RPC_TIMEOUT_MS);
  }

  /** The member whose conductor says it leads (Raft leader), if any. */
  async leader(): Promise<DevnetMember | undefined> {
    for (const m of this.members) {
      if (!m.conductor.running) continue;
      if (await this.call<boolean>(m, 'conductor_leader').catch(() => false)) return m;
    }
    return undefined;
  }

  async status(): Promise<MemberStatus[]> {
    return Promise.all(
      this.members.map(async (m) => {
        const base = {
          id: m.id,
          sequencing: m.l2.sequencerActive,
          head: m.l2.head.number,
          headHash: m.l2.head.hash,
        };
        if (!m.conductor.running) return { ...base, up: false };
        try {
          const [leader, paused, healthy, active] = await Promise.all([
            this.call<boolean>(m, 'conductor_leader'),
            this.call<boolean>(m, 'conductor_paused'),
            this.call<boolean>(m, 'conductor_sequencerHealthy'),
            this.call<boolean>(m, 'conductor_active'),
          ]);
          return { ...base, up: true, leader, paused, healthy, active };
        } catch {
          return { ...base, up: false };
        }
      }),
    );
  }

  /** Waits until a sequencer other than `except` publishes a new block; returns the time that took. */
  async waitNewSequencer(
    except: string | undefined,
    sinceBlocks: number,
    timeoutMs: number,
  ): Promise<number> {
    const t0 = Date.now();
    // The next published block ends the failover. It may come from the killed member itself once its conductor has
    // restarted and won leadership again (a legitimate outcome); a member whose conductor is down cannot publish at
    // all, because its op-node commits through that conductor before gossiping.
    const killed = this.members.find((m) => m.id === except);
    await waitFor('a new sequencer to publish', timeoutMs, async () => {
      if (this.l2.summary().blocks <= sinceBlocks) return undefined;
      return this.l2.lastPublisherId !== except || killed?.conductor.running ? true : undefined;
    });
    const ms = Date.now() - t0;
    this.failovers++;
    this.maxFailoverMs = Math.max(this.maxFailoverMs, ms);
    return ms;
  }

  /** kill -9 the leader's conductor; restart it after `restartAfterMs` (unless undefined). Returns the killed member. */
  async killLeader(restartAfterMs?: number): Promise<DevnetMember | undefined> {
    const leader = await this.leader();
    if (!leader) return undefined;
    this.log(`devnet: kill -9 ${leader.id} (pid ${leader.conductor.pid})`);
    await leader.conductor.kill();
    if (restartAfterMs !== undefined) {
      setTimeout(() => {
        this.log(`devnet: restarting ${leader.id}`);
        leader.conductor.start();
      }, restartAfterMs).unref();
    }
    return leader;
  }

  async transferLeader(): Promise<void> {
    const leader = await this.leader();
    if (leader) await this.call(leader, 'conductor_transferLeader');
  }

  /** Cut a member off from the other conductors (both directions) and from gossip. */
  setPartitioned(m: DevnetMember, partitioned: boolean): void {
    if (!m.proxy) throw new Error('devnet: partitions need the fault proxies (faultProxies: true)');
    m.proxy.setBlockAll(partitioned);
    for (const o of this.members) if (o !== m) o.proxy?.setSourceBlocked(m.host, partitioned);
    this.l2.setGossipIsolated(m.id, partitioned);
    this.log(`devnet: ${m.id} ${partitioned ? 'partitioned' : 'healed'}`);
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.conductor.close()));
    for (const m of this.members) await m.proxy?.close();
    await this.l2.close();
  }
}
