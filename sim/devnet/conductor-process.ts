/**
 * One real op-conductor OS process (the daemon run from source through tsx, or the compiled one from dist/
 * as operators run it), with its own data directory,
 * Raft port (behind a FaultProxy), RPC port and log file. kill() is SIGKILL — nothing is flushed, exactly
 * like a crashed pod — and restart() starts it again on the same directory and ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const STOP_GRACE_MS = 10_000;

/** 'source': src/cli/main.ts through tsx; 'dist': bin/op-conductor.mjs (the compiled daemon). */
export type ConductorRuntime = 'source' | 'dist';

const entryArgs: Readonly<Record<ConductorRuntime, readonly string[]>> = {
  source: ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')],
  dist: [join(ROOT, 'bin/op-conductor.mjs')],
};

export interface ConductorProcessOptions {
  readonly id: string;
  /** Loopback address this conductor binds and dials from (127.0.0.N). */
  readonly host: string;
  readonly raftPort: number;
  /** The address peers use (the proxy in front of raftPort). */
  readonly advertised: string;
  readonly rpcPort: number;
  readonly metricsPort: number;
  readonly nodeRpc: string;
  readonly executionRpc: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly bootstrap: boolean;
  readonly paused: boolean;
  readonly extraArgs?: readonly string[];
  readonly runtime?: ConductorRuntime;
  /** NODE_OPTIONS for the conductor process (none by default). */
  readonly nodeOptions?: string;
  /** Node flags before the entry point, for those NODE_OPTIONS refuses (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

export class ConductorProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<number | null> | undefined;
  starts = 0;

  constructor(readonly opts: ConductorProcessOptions) {}

  get rpcUrl(): string {
    return `http://${this.opts.host}:${this.opts.rpcPort}`;
  }
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }

  args(bootstrap: boolean, paused: boolean): string[] {
    const o = this.opts;
    return [
      ...(o.nodeArgs ?? []),
      ...entryArgs[o.runtime ?? 'source'],
      `--consensus.addr=${o.host}`,
      `--consensus.port=${o.raftPort}`,
      `--consensus.advertised=${o.advertised}`,
      `--raft.server.id=${o.id}`,
      `--raft.storage.dir=${o.dataDir}`,
      `--node.rpc=${o.nodeRpc}`,
      `--execution.rpc=${o.executionRpc}`,
      '--healthcheck.interval=1',
      '--healthcheck.unsafe-interval=5',
      '--healthcheck.min-peer-count=1',
      `--rpc.addr=${o.host}`,
      `--rpc.port=${o.rpcPort}`,
      '--metrics.enabled',
      `--metrics.addr=${o.host}`,
      `--metrics.port=${o.metricsPort}`,
      '--log.format=logfmtms',
      '--log.level=info',
      ...(bootstrap ? ['--raft.bootstrap'] : []),
      ...(paused ? ['--paused'] : []),
      ...(o.extraArgs ?? []),
    ];
  }

  start(): void {
    if (this.running) return;
    mkdirSync(this.opts.logDir, { recursive: true });
    // The child writes its log straight into the file (an O_APPEND fd it inherits): no pipes stay open in this
    // process, so nothing outlives a killed child or delays this process's exit.
    const logFd = openSync(join(this.opts.logDir, `${this.opts.id}.log`), 'a');
    // Bootstrap and paused only on the very first start (cluster formation, as the runbook deploys them); later
    // starts are redeploys with those settings removed, so a restarted conductor rejoins and can lead.
    const first = this.starts === 0;
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, this.args(this.opts.bootstrap && first, this.opts.paused && first), {
        cwd: ROOT,
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, NODE_OPTIONS: this.opts.nodeOptions ?? '' },
      });
    } finally {
      closeSync(logFd);
    }
    this.starts++;
    this.exitPromise = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** SIGKILL: nothing flushed, no graceful shutdown (a crashed pod). */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exitPromise;
  }

  /** SIGTERM with a bounded grace, then SIGKILL. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exitPromise;
    clearTimeout(t);
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
