/**
 * The machine a bench ran on and its physical floors, measured in the same run as the figures they anchor:
 * - disk floor: write + fdatasync of one payload, in the directory the stores use; "preallocated" rewrites
 *   blocks that already exist (the device's own limit), "growing" appends (what a log append without
 *   preallocation pays: the size change is journalled too);
 * - loopback RTT: 64-byte ping-pong over 127.0.0.1 TCP (noDelay) to a separate node process.
 * Invariants: every file this module creates lives under the given directory and is removed afterwards; the
 * echo child is always killed, even when a round trip fails.
 */
import { spawn } from 'node:child_process';
import { closeSync, fdatasync, openSync, readFileSync, rmSync, write } from 'node:fs';
import { connect } from 'node:net';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  LOOP_WINDOW_MS,
  type LoopDelaySummary,
  PROM_LOOP_RESOLUTION_MS,
  summarizeLoopDelay,
} from './loop-delay.ts';
import { type LatencySummary, summarize } from './stats.ts';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const FLOOR_WARMUP = 5;
const RTT_PING_BYTES = 64;
const RTT_WARMUP = 50;
const RTT_TIMEOUT_MS = 5_000;

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramBytes: number;
  readonly kernel: string;
  readonly node: string;
  readonly date: string;
  readonly filesystem: string;
}

export function machineInfo(dir: string): MachineInfo {
  let filesystem = 'unknown';
  try {
    // /proc/mounts: the longest mount point that prefixes dir is the one the stores write to.
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length > 2 && dir.startsWith(f[1]!))
      .sort((a, b) => b[1]!.length - a[1]!.length);
    if (mounts[0]) filesystem = `${mounts[0][2]} on ${mounts[0][1]} (${mounts[0][0]})`;
  } catch {
    // not Linux: leave "unknown"
  }
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramBytes: totalmem(),
    kernel: release(),
    node: process.version,
    date: new Date().toISOString(),
    filesystem,
  };
}

export interface DiskFloor {
  readonly sizeBytes: number;
  readonly preallocated: LatencySummary;
  readonly growing: LatencySummary;
}

/** write+fdatasync of `sizeBytes`, alternating the two cases so they share the machine's background load. */
export async function measureDiskFloor(
  dir: string,
  sizeBytes: number,
  iterations: number,
): Promise<DiskFloor> {
  const buf = Buffer.alloc(sizeBytes, 0x5a);
  const total = iterations + FLOOR_WARMUP;
  const prePath = join(dir, `floor-pre-${sizeBytes}`);
  const growPath = join(dir, `floor-grow-${sizeBytes}`);
  const pre = openSync(prePath, 'w+');
  const grow = openSync(growPath, 'w');
  try {
    // Allocate the preallocated file's blocks for real (zeros written and synced), so its loop only rewrites.
    const zero = Buffer.alloc(sizeBytes);
    for (let i = 0; i < total; i++) await writeAsync(pre, zero, 0, sizeBytes, i * sizeBytes);
    await fdatasyncAsync(pre);
    const preMs: number[] = [];
    const growMs: number[] = [];
    for (let i = 0; i < total; i++) {
      for (const [fd, out] of [
        [pre, preMs],
        [grow, growMs],
      ] as const) {
        const t0 = performance.now();
        await writeAsync(fd, buf, 0, sizeBytes, i * sizeBytes);
        await fdatasyncAsync(fd);
        if (i >= FLOOR_WARMUP) out.push(performance.now() - t0);
      }
    }
    return { sizeBytes, preallocated: summarize(preMs), growing: summarize(growMs) };
  } finally {
    closeSync(pre);
    closeSync(grow);
    rmSync(prePath, { force: true });
    rmSync(growPath, { force: true });
  }
}

/** The echo peer: a separate process, so the ping-pong crosses the kernel like Raft traffic between nodes. */
const ECHO_SCRIPT = `
const net = require('node:net');
const s = net.createServer({ noDelay: true }, (c) => { c.setNoDelay(true); c.on('data', (d) => c.write(d)); });
s.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + s.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`;

export async function measureLoopbackRtt(iterations: number): Promise<LatencySummary> {
  const child = spawn(process.execPath, ['-e', ECHO_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('echo peer did not start')), RTT_TIMEOUT_MS);
      child.stdout.on('data', (d: Buffer) => {
        const m = /PORT (\d+)/.exec(d.toString());
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const sock = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const ping = Buffer.alloc(RTT_PING_BYTES, 1);
    const xs: number[] = [];
    try {
      for (let i = 0; i < iterations + RTT_WARMUP; i++) {
        const t0 = performance.now();
        await new Promise<void>((resolve, reject) => {
          let got = 0;
          const timer = setTimeout(() => reject(new Error('loopback ping timed out')), RTT_TIMEOUT_MS);
          const onData = (d: Buffer) => {
            got += d.length;
            if (got >= RTT_PING_BYTES) {
              clearTimeout(timer);
              sock.off('data', onData);
              resolve();
            }
          };
          sock.on('data', onData);
          sock.write(ping);
        });
        if (i >= RTT_WARMUP) xs.push(performance.now() - t0);
      }
    } finally {
      sock.destroy();
    }
    return summarize(xs);
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * An idle node process sampling its own event-loop delay exactly as the soak samples the daemon's: at
 * prom-client's default resolution, one histogram per LOOP_WINDOW_MS window. What it reads is the delay the
 * machine's scheduler alone adds, so the daemon's figures can be read against it, figure by figure.
 */
const IDLE_LOOP_SCRIPT = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: ${PROM_LOOP_RESOLUTION_MS} }); h.enable();
const p99 = [], max = [];
const cut = () => { if (h.count > 0) { p99.push(h.percentile(99) / 1e6); max.push(h.max / 1e6); } h.reset(); };
const t = setInterval(cut, ${LOOP_WINDOW_MS});
process.stdin.on('end', () => { clearInterval(t); cut(); h.disable();
  process.stdout.write(JSON.stringify({ p99, max }) + '\\n'); process.exit(0); });
process.stdin.resume();
`;
const IDLE_PROBE_TIMEOUT_MS = 5_000;

export function startIdleLoopProbe(): { stop(): Promise<LoopDelaySummary> } {
  const child = spawn(process.execPath, ['-e', IDLE_LOOP_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), IDLE_PROBE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      try {
        const { p99, max } = JSON.parse(out) as { p99: number[]; max: number[] };
        return summarizeLoopDelay(p99, max);
      } catch {
        return summarizeLoopDelay([], []);
      }
    },
  };
}
