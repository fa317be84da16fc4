// Crash campaign: run the crash child against one data directory, kill -9 it at a random moment, reopen
// the stores in this process and check every acknowledged entry is intact, nothing else is garbage, the
// hard state did not go back, and the store still accepts appends. Used by crash.test.ts (≥ 20 kills per
// backend) and bench/store-crash.bench.ts (≥ 200).
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEntry } from '../../src/raft/core/types.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { crashEntry, isCrashEntryIntact, mulberry32 } from './crash-model.ts';

const childPath = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const bundleDir = fileURLToPath(
  new URL('../../node_modules/.cache/op-conductor-crash-child/', import.meta.url),
);
const childOpenTimeoutMs = 30_000;
const childExitTimeoutMs = 10_000;
const scanBatchBytes = 4 * 1024 * 1024;

export interface CrashCampaignOptions {
  readonly dir: string;
  readonly backend: 'lmdb' | 'file';
  readonly kills: number;
  readonly seed: number;
  /** Upper bound of the random delay between the child's "open" line and the kill. */
  readonly killDelayMsMax?: number;
}

export interface CrashCampaignResult {
  readonly kills: number;
  /** Acknowledged entries that were checked intact after some kill (counted once per check). */
  readonly ackedChecked: number;
  /** Acknowledged appends reported by children in total. */
  readonly acks: number;
  readonly failures: readonly string[];
}

interface Model {
  /** index -> term of entries acknowledged and never scheduled for deletion. */
  readonly must: Map<number, number>;
  hsTerm: number;
  acks: number;
}

function applyLine(m: Model, line: string): void {
  const [op = '', a = '0', b = '0', c = '0'] = line.split(' ');
  const x = Number(a);
  switch (op) {
    case 'ack':
      for (let i = x; i <= Number(b); i++) m.must.set(i, Number(c));
      m.acks++;
      break;
    case 'will-trunc':
    case 'trunc':
      for (const k of [...m.must.keys()]) if (k >= x) m.must.delete(k);
      break;
    case 'will-compact':
    case 'compact':
      for (const k of [...m.must.keys()]) if (k <= x) m.must.delete(k);
      break;
    case 'hs':
      m.hsTerm = Math.max(m.hsTerm, x);
      break;
    default:
      break;
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => reject(new Error('crash child did not exit')), childExitTimeoutMs);
    child.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * The node arguments that start the child. Starting through tsx costs ~0.5 s per spawn on a busy machine,
 * so the child is bundled once with esbuild (tsx's own dependency; packages stay external and resolve
 * from node_modules/.cache inside the repo). Falls back to tsx when esbuild is unavailable.
 */
let childArgs: Promise<string[]> | undefined;
function prepareChild(): Promise<string[]> {
  childArgs ??= (async () => {
    try {
      const esbuild = (await import('esbuild')) as typeof import('esbuild');
      const outfile = join(bundleDir, `crash-child-${process.pid}.mjs`);
      await esbuild.build({
        entryPoints: [childPath],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        logLevel: 'silent',
      });
      process.once('exit', () => rmSync(outfile, { force: true }));
      return [outfile];
    } catch {
      return ['--import', 'tsx', childPath];
    }
  })();
  return childArgs;
}

/** Runs one child until killed; returns its stdout lines. */
async function runChild(
  o: CrashCampaignOptions,
  run: number,
  delayMs: number,
): Promise<{ lines: string[]; err: string }> {
  const args = await prepareChild();
  const child = spawn(process.execPath, [...args, o.dir, o.backend, String(run), String(o.seed + run)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const opened = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`crash child did not open: ${err}`)), childOpenTimeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
  try {
    await opened;
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGKILL');
    await waitExit(child);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  // Only complete lines count (a pipe write of one short line is atomic, but be strict anyway).
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  return { lines: complete.split('\n').filter((l) => l.length > 0), err };
}

async function verify(o: CrashCampaignOptions, m: Model, run: number, failures: string[]): Promise<number> {
  const where = `${o.backend} run ${run} (seed ${o.seed})`;
  const s = await openNodeStores({ dir: o.dir, backend: o.backend, segmentBytes: 256 * 1024 });
  let checked = 0;
  try {
    const first = s.log.firstIndex();
    const last = s.log.lastIndex();
    for (const [i, t] of m.must) {
      const e = s.log.getLog(i);
      if (e === undefined)
        failures.push(`${where}: acknowledged entry ${i} missing (log [${first}, ${last}])`);
      else if (e.term !== t || !isCrashEntryIntact(e))
        failures.push(`${where}: acknowledged entry ${i} altered`);
      else checked++;
    }
    // Everything present is contiguous and exactly what the child wrote for its (index, term).
    let next = first;
    while (last > 0 && next <= last) {
      const batch: LogEntry[] = s.log.getRange(next, last, scanBatchBytes);
      if (batch.length === 0) {
        failures.push(`${where}: hole at ${next} in [${first}, ${last}]`);
        break;
      }
      for (const e of batch) {
        if (e.index !== next) failures.push(`${where}: expected index ${next}, got ${e.index}`);
        if (!isCrashEntryIntact(e)) failures.push(`${where}: entry ${e.index} is garbage`);
        next = e.index + 1;
      }
    }
    const hs = s.stable.getHardState();
    if (hs.currentTerm < m.hsTerm)
      failures.push(`${where}: term went back from ${m.hsTerm} to ${hs.currentTerm}`);
    // Still usable: append one entry (recorded as acknowledged for later runs).
    const probe = crashEntry(last + 1, run * 1000 + 999);
    await s.log.storeLogs([probe]);
    m.must.set(probe.index, probe.term);
    if (!isCrashEntryIntact(s.log.getLog(probe.index) ?? crashEntry(0, 0)))
      failures.push(`${where}: probe unreadable`);
  } finally {
    await s.close();
  }
  return checked;
}

export async function runCrashCampaign(o: CrashCampaignOptions): Promise<CrashCampaignResult> {
  const rand = mulberry32(o.seed);
  const m: Model = { must: new Map(), hsTerm: 0, acks: 0 };
  const failures: string[] = [];
  let ackedChecked = 0;
  let kills = 0;
  for (let run = 1; run <= o.kills && failures.length === 0; run++) {
    const delayMs = Math.floor(rand() * (o.killDelayMsMax ?? 250));
    const { lines, err } = await runChild(o, run, delayMs);
    if (!lines[0]?.startsWith('open ')) {
      failures.push(`${o.backend} run ${run}: child failed to open: ${err.slice(0, 2000)}`);
      break;
    }
    if (lines.includes('done')) failures.push(`${o.backend} run ${run}: child finished before the kill`);
    for (const l of lines) applyLine(m, l);
    kills++;
    ackedChecked += await verify(o, m, run, failures);
  }
  return { kills, ackedChecked, acks: m.acks, failures };
}
