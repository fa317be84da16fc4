/**
 * Harness for the Go interop peer (test/interop/raftpeer, hashicorp raft 1.1.2 from Debian): builds it once,
 * spawns nodes on 127.0.0.1 port 0, talks to their HTTP control API, and kills them on cleanup.
 * `buildGoPeer()` returns null (and the caller skips loudly) only when Go or the raft sources are missing.
 * A node can be SIGKILLed keeping its data dir (`stop()`) and started again on it (`start(..., { dir })`).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
export const GO_PEER_BIN = join(ROOT, 'test/interop/bin/raftpeer');
const START_TIMEOUT_MS = 10_000;
const HTTP_TIMEOUT_MS = 15_000;
const BUILD_SKIPPED_EXIT = 3;

let built: boolean | null = null;

/** Builds the Go peer; null = Go is not installed (skip), throws when the build is broken. */
export function buildGoPeer(): string | null {
  if (built === null) {
    const r = spawnSync('bash', [join(ROOT, 'scripts/build-interop.sh')], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status === BUILD_SKIPPED_EXIT) {
      built = false;
      console.warn(`\n!!! INTEROP SKIPPED: ${r.stderr.trim()}\n`);
    } else if (r.status !== 0) {
      throw new Error(`build-interop.sh failed (${r.status}): ${r.stderr}`);
    } else built = true;
  }
  return built ? GO_PEER_BIN : null;
}

export interface GoState {
  id: string;
  role: string;
  leader: string;
  term: number;
  lastIndex: number;
  commitIndex: number;
  appliedIndex: number;
  appliedCount: number;
  appliedChain: string;
}

export class GoPeer {
  readonly kind = 'go' as const;
  private constructor(
    readonly id: string,
    readonly raftAddr: string,
    readonly httpAddr: string,
    private readonly proc: ChildProcess,
    private readonly dir: string,
    readonly stderr: string[],
  ) {}

  /** Start a node; `opts.dir` reuses the data dir of a stopped node (its bolt stores and snapshots). */
  static async start(id: string, args: string[] = [], opts: { dir?: string } = {}): Promise<GoPeer> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), `raftpeer-${id}-`));
    const proc = spawn(GO_PEER_BIN, ['--id', id, '--dir', dir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    proc.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 500) stderr.push(d.toString());
    });
    const readyP = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`raftpeer ${id} did not start: ${stderr.join('')}`)),
        START_TIMEOUT_MS,
      );
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
        reject(new Error(`raftpeer ${id} exited ${code}: ${stderr.join('')}`));
      });
    });
    let ready: string;
    try {
      ready = await readyP;
    } catch (e) {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    const raft = /raft=(\S+)/.exec(ready)![1]!;
    const http = /http=(\S+)/.exec(ready)![1]!;
    return new GoPeer(id, raft, http, proc, dir, stderr);
  }

  async call<T = Record<string, unknown>>(path: string, body?: Uint8Array): Promise<T> {
    const res = await fetch(`http://${this.httpAddr}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`raftpeer ${this.id} ${path}: ${json.error ?? res.status}`);
    return json;
  }

  state(): Promise<GoState> {
    return this.call<GoState>('/state');
  }

  async waitState(pred: (s: GoState) => boolean, what: string, timeoutMs = 10_000): Promise<GoState> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state();
      if (pred(s)) return s;
      if (Date.now() > until)
        throw new Error(`raftpeer ${this.id}: timed out waiting for ${what}; last ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  get dataDir(): string {
    return this.dir;
  }

  /** SIGKILL, wait for the process to exit, keep the data dir (so the node can be started again). */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.kill('SIGKILL');
    await exited;
  }

  /** Indexes of the snapshots in the node's FileSnapshotStore (`<dir>/<id>/snapshots/<name>/meta.json`). */
  snapshotIndexes(): number[] {
    const base = join(this.dir, this.id, 'snapshots');
    if (!existsSync(base)) return [];
    const out: number[] = [];
    for (const name of readdirSync(base)) {
      if (name.endsWith('.tmp')) continue; // a snapshot still being written
      const meta = join(base, name, 'meta.json');
      if (existsSync(meta)) out.push((JSON.parse(readFileSync(meta, 'utf8')) as { Index: number }).Index);
    }
    return out;
  }

  /** SIGKILL and remove the data dir. */
  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The FSM chain raftpeer keeps: chain_n = sha256(chain_{n-1} || data_n), chain_0 = 32 zero bytes. */
export function appliedChain(datas: readonly Uint8Array[]): string {
  let chain: Buffer = Buffer.alloc(32);
  for (const d of datas) chain = createHash('sha256').update(chain).update(d).digest();
  return chain.toString('hex');
}
