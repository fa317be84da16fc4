/**
 * Injected randomness for election jitter. The core never uses a global random source: the host passes an Rng
 * (seeded from crypto in production, from the run seed in the simulator) so a run is reproducible.
 * Invariant: `int(n)` returns an integer in [0, n) for n ≥ 1.
 */
import { assert } from './assert.ts';

export interface Rng {
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** A small, fast, seeded PRNG (sfc32 seeded through splitmix32); good enough for jitter and fault choice. */
export class SeededRng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  int(n: number): number {
    assert(Number.isInteger(n) && n >= 1, `rng bound must be a positive integer, got ${n}`);
    return Math.floor((this.u32() / 0x1_0000_0000) * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }
}

/** A value uniform in [base, 2·base), the hashicorp `randomTimeout` shape, in ticks. */
export function randomTimeoutTicks(rng: Rng, baseTicks: number): number {
  return baseTicks + rng.int(Math.max(1, baseTicks));
}
