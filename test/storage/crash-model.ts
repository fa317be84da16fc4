// Shared by the crash child and the parent: deterministic entry contents (so the parent can recompute
// what any (index, term) must contain) and a seeded PRNG (so a failing run can be replayed from its seed).
import type { LogEntry } from '../../src/raft/core/types.ts';

const crashEntrySizes = [0, 100, 1_000, 10_000, 60_000, 200_000] as const;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function crashEntry(index: number, term: number): LogEntry {
  const size = crashEntrySizes[(index * 7 + term) % crashEntrySizes.length]!;
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (index + term * 31 + i * 13) & 0xff;
  return { index, term, type: 0, data };
}

/** True when `e` is exactly what the child wrote for (e.index, e.term). */
export function isCrashEntryIntact(e: LogEntry): boolean {
  const want = crashEntry(e.index, e.term);
  return e.type === 0 && Buffer.from(e.data).equals(Buffer.from(want.data));
}
