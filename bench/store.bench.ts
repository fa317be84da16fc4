// Storage benchmark (issue 4): append+sync latency of one entry per backend, next to a raw
// write+fdatasync of the same size measured in the same run (the floor), and the disk footprint after
// many 1 MB appends with hashicorp-style snapshot+compaction (threshold 48, trailing 32, retain 2).
// Usage: node --import tsx bench/store.bench.ts [--iterations 200] [--footprint-entries 10000] [--dir /path]
import {
  closeSync,
  fdatasync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  write,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { LogEntry } from '../src/raft/core/types.ts';
import { openNodeStores, type StorageBackend } from '../src/raft/storage/open.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '200' },
    'footprint-entries': { type: 'string', default: '10000' },
    dir: { type: 'string' },
  },
});
const iterations = Number(values.iterations);
const footprintEntries = Number(values['footprint-entries']);
const sizes = [10_000, 100_000, 1_000_000] as const;
const backends: readonly Exclude<StorageBackend, 'memory'>[] = ['lmdb', 'file'];
const warmup = 10;
const snapshotThreshold = 48;
const trailingLogs = 32;
const footprintLimitBytes = 100 * 1024 * 1024;

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const root = values.dir ?? mkdtempSync(join(tmpdir(), 'store-bench-'));
mkdirSync(root, { recursive: true });

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function payload(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i += 64) b[i] = (seed + i) & 0xff;
  return b;
}

/**
 * One append+sync of `size` bytes per case, round-robin, so every case sees the same background load
 * (the machine is shared). The floor writes at the next offset of a file whose blocks already exist and
 * fdatasyncs (the physical limit: nothing to allocate or journal); raw-grow appends to a growing file.
 */
async function latencies(size: number): Promise<Map<string, number[]>> {
  const buf = Buffer.from(payload(size, 1));
  const floorPath = join(root, `floor-${size}.bin`);
  const growPath = join(root, `grow-${size}.bin`);
  const floorFd = openSync(floorPath, 'w');
  const growFd = openSync(growPath, 'w');
  for (let i = 0; i < iterations + warmup; i++) await writeAsync(floorFd, buf, 0, buf.byteLength, i * size);
  await fdatasyncAsync(floorFd);
  const stores = new Map<string, Awaited<ReturnType<typeof openNodeStores>>>();
  for (const b of backends)
    stores.set(b, await openNodeStores({ dir: join(root, `lat-${b}-${size}`), backend: b }));
  // Let the file store's background spare finish before measuring.
  await new Promise((r) => setTimeout(r, 500));
  const out = new Map<string, number[]>([
    ['raw-grow', []],
    ['floor', []],
    ...backends.map((b) => [b, []] as [string, number[]]),
  ]);
  const time = async (name: string, i: number, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    if (i >= warmup) out.get(name)!.push(performance.now() - t0);
  };
  try {
    for (let i = 0; i < iterations + warmup; i++) {
      await time('floor', i, async () => {
        await writeAsync(floorFd, buf, 0, buf.byteLength, i * size);
        await fdatasyncAsync(floorFd);
      });
      await time('raw-grow', i, async () => {
        await writeAsync(growFd, buf, 0, buf.byteLength, i * size);
        await fdatasyncAsync(growFd);
      });
      for (const [b, s] of stores) {
        const e: LogEntry = { index: i + 1, term: 1, type: 0, data: buf };
        await time(b, i, () => s.log.storeLogs([e]));
      }
    }
  } finally {
    closeSync(floorFd);
    closeSync(growFd);
    rmSync(floorPath, { force: true });
    rmSync(growPath, { force: true });
    for (const [b, s] of stores) {
      await s.close();
      rmSync(join(root, `lat-${b}-${size}`), { recursive: true, force: true });
    }
  }
  return out;
}

/** Allocated bytes under `dir` (st_blocks, so sparse preallocation counts only what is written). */
function diskBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    total += st.isDirectory() ? diskBytes(p) : st.blocks * 512;
  }
  return total;
}

async function footprint(
  backend: Exclude<StorageBackend, 'memory'>,
): Promise<{ max: number; final: number }> {
  const dir = join(root, `fp-${backend}`);
  const s = await openNodeStores({ dir, backend });
  const data = payload(1_000_000, 7);
  let snapIndex = 0;
  let max = 0;
  try {
    for (let i = 1; i <= footprintEntries; i++) {
      await s.log.storeLogs([{ index: i, term: 1, type: 0, data }]);
      if (i - snapIndex >= snapshotThreshold) {
        // The FSM state is one payload: snapshot it, then keep `trailingLogs` entries.
        await s.snapshots.save(
          { index: i, term: 1, configuration: { servers: [] }, configurationIndex: 0 },
          data,
        );
        await s.log.deleteRange(s.log.firstIndex(), i - trailingLogs);
        snapIndex = i;
      }
      if (i % 250 === 0) max = Math.max(max, diskBytes(dir));
    }
    const final = diskBytes(dir);
    return { max: Math.max(max, final), final };
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => x.toFixed(3).padStart(8);
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MiB`;
console.log(`store bench: ${iterations} appends per case (+${warmup} warm-up), dir ${root}`);
console.log('size      case      p50 ms   p99 ms   p50/floor  p99/floor');
try {
  for (const size of sizes) {
    const lat = await latencies(size);
    const f50 = pct(lat.get('floor')!, 50);
    const f99 = pct(lat.get('floor')!, 99);
    for (const name of ['floor', 'raw-grow', ...backends]) {
      const xs = lat.get(name)!;
      const p50 = pct(xs, 50);
      const p99 = pct(xs, 99);
      const ratio =
        name === 'floor'
          ? ''
          : `   ${(p50 / f50).toFixed(2).padStart(6)}x   ${(p99 / f99).toFixed(2).padStart(6)}x`;
      console.log(`${String(size).padEnd(9)} ${name.padEnd(8)}${ms(p50)} ${ms(p99)}${ratio}`);
    }
  }
  if (footprintEntries > 0) {
    console.log(
      `footprint: ${footprintEntries} x 1 MB appends, snapshot every ${snapshotThreshold}, keep ${trailingLogs} trailing, retain 2`,
    );
    for (const backend of backends) {
      const t0 = performance.now();
      const fp = await footprint(backend);
      const verdict = fp.max <= footprintLimitBytes ? 'ok' : 'OVER LIMIT';
      console.log(
        `  ${backend.padEnd(5)} final ${mb(fp.final)}  max ${mb(fp.max)}  (limit ${mb(footprintLimitBytes)}: ${verdict})  ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
  }
} finally {
  if (values.dir === undefined) rmSync(root, { recursive: true, force: true });
}
