/**
 * Packet simulator on virtual time: every message gets a delivery time (random delay, so reordering),
 * may be dropped or duplicated, and is cut by symmetric or asymmetric partitions. A request cut by a
 * partition may come back to the sender as an `rpcFailure` (what a TCP transport reports).
 * Invariant: delivery order is (time, sequence) — deterministic for a given seed.
 */
import { isRequest, type RaftMessage } from '../src/raft/core/messages.ts';
import type { SeededRng } from '../src/raft/core/rng.ts';

export interface NetworkFaults {
  delayUnitsMax: number;
  dropRate: number;
  duplicateRate: number;
}

interface InFlight {
  readonly at: number;
  readonly seq: number;
  readonly msg: RaftMessage;
}

export class SimNetwork {
  private heap: InFlight[] = [];
  private seq = 0;
  private readonly blocked = new Set<string>();
  faults: NetworkFaults = { delayUnitsMax: 4, dropRate: 0, duplicateRate: 0 };

  constructor(private readonly rng: SeededRng) {}

  send(now: number, m: RaftMessage): void {
    if (this.blocked.has(`${m.from.id}>${m.to.id}`)) {
      if (isRequest(m) && this.rng.chance(0.5)) {
        this.push(now + 1 + this.rng.int(this.faults.delayUnitsMax), {
          type: 'rpcFailure',
          from: m.to,
          to: m.from,
          term: 0,
          request: m.type,
          error: 'connection refused',
        });
      }
      return;
    }
    if (this.rng.chance(this.faults.dropRate)) return;
    this.push(now + 1 + this.rng.int(this.faults.delayUnitsMax), m);
    if (this.rng.chance(this.faults.duplicateRate))
      this.push(now + 1 + this.rng.int(this.faults.delayUnitsMax), m);
  }

  /** Messages due at or before `now`, in delivery order. */
  due(now: number): RaftMessage[] {
    const out: RaftMessage[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) out.push(this.pop().msg);
    return out;
  }

  block(from: string, to: string): void {
    this.blocked.add(`${from}>${to}`);
  }

  partition(groupA: readonly string[], groupB: readonly string[]): void {
    for (const a of groupA)
      for (const b of groupB) {
        this.block(a, b);
        this.block(b, a);
      }
  }

  heal(): void {
    this.blocked.clear();
  }

  isHealed(): boolean {
    return this.blocked.size === 0;
  }

  private push(at: number, msg: RaftMessage): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, msg });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): InFlight {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: InFlight, b: InFlight): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
