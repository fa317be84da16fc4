/**
 * A 3-node Raft cluster of separate OS processes, each with the raftpeer-style HTTP control API, driven by
 * one undici client: either TS nodes (bench/lib/ts-raft-node.ts, lmdb or file store) or the Go interop
 * program (hashicorp/raft + raft-boltdb, test/interop/bin/raftpeer). Both are formed the same way (n1
 * bootstraps alone, then adds n2 and n3 as voters) and loaded the same way, so the HTTP hop costs the same
 * on both sides and the ratio compares the Raft implementations.
 * Invariants: 127.0.0.1 and OS-assigned ports only; every request has a timeout; close() kills every process
 * it started (SIGKILL after a bounded graceful shutdown) and removes the data directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { DAEMON_NODE_OPTIONS } from '../../src/cli/node-options.ts';
import { benchNodeArgs } from './daemon-runtime.ts';
import { waitUntil } from './stats.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
export const GO_PEER_BIN = join(ROOT, 'test/interop/bin/raftpeer');
const TS_NODE_SCRIPT = join(ROOT, 'bench/lib/ts-raft-node.ts');
const START_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 15_000;
const FORM_TIMEOUT_MS = 30_000;
const SHUTDOWN_GRACE_MS = 3_000;
const NODE_COUNT = 3;

/** ts-memory (no disk) isolates the transport and CPU cost; it is a diagnostic, not in the default report. */
export type ClusterKind = 'ts-lmdb' | 'ts-file' | 'ts-memory' | 'go';

export interface ApplyTiming {
  /** Client-side: request bytes out → response in (the same for both implementations). */
  readonly httpMs: number;
  /** Node-side Raft commit time when the node reports it (TS nodes only). */
  readonly applyMs: number | undefined;
}

interface NodeProc {
  readonly id: string;
  readonly raftAddr: string;
  readonly proc: ChildProcess;
  readonly pool: Pool;
}

export class HttpRaftCluster {
  private constructor(
    readonly kind: ClusterKind,
    private readonly dir: string,
    private readonly nodes: NodeProc[],
  ) {}

  static async start(kind: ClusterKind, baseDir: string): Promise<HttpRaftCluster> {
    const dir = mkdtempSync(join(baseDir, `${kind}-`));
    const nodes: NodeProc[] = [];
    const cluster = new HttpRaftCluster(kind, dir, nodes);
    try {
      for (let i = 1; i <= NODE_COUNT; i++) nodes.push(await startNode(kind, `n${i}`, dir, i === 1));
      const [leader, ...rest] = nodes;
      await waitUntil(`${kind} n1 leader`, FORM_TIMEOUT_MS, async () =>
        (await cluster.state(leader!)).role === 'leader' ? true : undefined,
      );
      for (const n of rest) {
        await cluster.call(leader!, `/add_voter?id=${n.id}&addr=${encodeURIComponent(n.raftAddr)}`, 'POST');
      }
      await cluster.apply(Buffer.from('warm')); // one entry everyone must hold before measuring
      await waitUntil(`${kind} followers caught up`, FORM_TIMEOUT_MS, async () => {
        const states = await Promise.all(nodes.map((n) => cluster.state(n)));
        return states.every((s) => s.appliedIndex >= states[0]!.commitIndex) ? true : undefined;
      });
      return cluster;
    } catch (e) {
      await cluster.close();
      throw e;
    }
  }

  get pids(): number[] {
    return this.nodes.map((n) => n.proc.pid ?? 0);
  }

  /** Anonymous resident memory of each node process in bytes (Linux; NaN elsewhere). */
  rssAnonBytes(): number[] {
    return this.pids.map((pid) => procStatusBytes(pid, 'RssAnon'));
  }

  private async call(n: NodeProc, path: string, method: 'GET' | 'POST', body?: Buffer): Promise<unknown> {
    const res = await n.pool.request({
      method,
      path,
      ...(body === undefined ? {} : { body }),
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    const json = (await res.body.json()) as { error?: string };
    if (res.statusCode !== 200)
      throw new Error(`${this.kind} ${n.id} ${path}: ${json.error ?? res.statusCode}`);
    return json;
  }

  private async state(n: NodeProc): Promise<{ role: string; commitIndex: number; appliedIndex: number }> {
    return (await this.call(n, '/state', 'GET')) as {
      role: string;
      commitIndex: number;
      appliedIndex: number;
    };
  }

  /** One commit through the leader (n1 leads from bootstrap; nothing in the bench moves leadership). */
  async apply(data: Buffer): Promise<ApplyTiming> {
    const t0 = performance.now();
    const r = (await this.call(this.nodes[0]!, '/apply', 'POST', data)) as { applyMs?: number };
    return { httpMs: performance.now() - t0, applyMs: r.applyMs };
  }

  /**
   * The HTTP hop alone: the same body POSTed to a follower's /apply, which reads it all and answers "not the
   * leader" at once (hashicorp and our host both refuse before touching the log).
   */
  async httpOverhead(data: Buffer): Promise<number> {
    const t0 = performance.now();
    const res = await this.nodes[1]!.pool.request({
      method: 'POST',
      path: '/apply',
      body: data,
      headersTimeout: REQUEST_TIMEOUT_MS,
    });
    await res.body.text();
    const ms = performance.now() - t0;
    if (res.statusCode === 200) throw new Error(`${this.kind} follower accepted an apply`);
    return ms;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (n) => {
        if (n.proc.exitCode === null && n.proc.signalCode === null) {
          const exited = new Promise((r) => n.proc.once('exit', r));
          await this.call(n, '/shutdown', 'POST').catch(() => {});
          const timer = setTimeout(() => n.proc.kill('SIGKILL'), SHUTDOWN_GRACE_MS);
          await exited;
          clearTimeout(timer);
        }
        await n.pool.close();
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startNode(kind: ClusterKind, id: string, dir: string, bootstrap: boolean): Promise<NodeProc> {
  const args =
    kind === 'go'
      ? [GO_PEER_BIN, ['--id', id, '--dir', dir, ...(bootstrap ? ['--bootstrap'] : [])]]
      : [
          process.execPath,
          [
            ...benchNodeArgs(), // the TS nodes only

            '--import',
            'tsx',
            TS_NODE_SCRIPT,
            '--id',
            id,
            '--dir',
            dir,
            '--backend',
            kind.slice('ts-'.length),
            ...(bootstrap ? ['--bootstrap'] : []),
          ],
        ];
  const proc = spawn(args[0] as string, args[1] as string[], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The daemon's V8 flags (the image's NODE_OPTIONS) for the TS nodes; the Go program ignores it.
    env: { ...process.env, NODE_OPTIONS: DAEMON_NODE_OPTIONS },
  });
  const stderr: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 100) stderr.push(d.toString());
  });
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${kind} ${id} did not start: ${stderr.join('')}`));
    }, START_TIMEOUT_MS);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} ${id} exited ${code}: ${stderr.join('')}`));
    });
  });
  const raftAddr = /raft=(\S+)/.exec(ready)![1]!;
  const http = /http=(\S+)/.exec(ready)![1]!;
  return { id, raftAddr, proc, pool: new Pool(`http://${http}`, { connections: 2 }) };
}

/** A `Rss*`/`Vm*` line of /proc/<pid>/status in bytes; NaN when unreadable. */
export function procStatusBytes(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
