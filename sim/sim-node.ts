/**
 * One simulated server: the real pure core plus a miniature host that processes Ready batches exactly
 * in the order RaftHost does (messagesNow, durable write, messagesAfterPersist, apply, notifications,
 * onPersisted), but on virtual time and against a fault-injecting in-memory store.
 * The store keeps only what a completed write made durable: a crash drops the in-flight Ready, the
 * core's memory and the FSM, and a restart rebuilds them from the durable part alone.
 * The FSM is a hash chain over applied commands, so snapshot transfer errors show up as a hash mismatch.
 */
import type { RaftCoreConfig } from '../src/raft/core/config.ts';
import type { RaftMessage } from '../src/raft/core/messages.ts';
import { type CoreSnapshot, RaftNode } from '../src/raft/core/raft-node.ts';
import type { Notification, Ready } from '../src/raft/core/ready.ts';
import { SeededRng } from '../src/raft/core/rng.ts';
import { HARD_STATE_EMPTY, type HardState, type LogEntry, LogType } from '../src/raft/core/types.ts';

export interface DurableState {
  hardState: HardState;
  entries: LogEntry[];
  snapshot: CoreSnapshot | undefined;
}

export interface NodeHooks {
  send(now: number, m: RaftMessage): void;
  applied(node: SimNode, e: LogEntry, fsmHash: number): void;
  notified(node: SimNode, n: Notification): void;
}

export function hashStep(h: number, e: LogEntry): number {
  let x = (h ^ e.index ^ (e.term << 8)) >>> 0;
  for (const b of e.data) x = Math.imul(x ^ b, 0x01000193) >>> 0;
  return x;
}

export class SimNode {
  readonly durable: DurableState = { hardState: HARD_STATE_EMPTY, entries: [], snapshot: undefined };
  core: RaftNode | undefined;
  fsmHash = 0;
  fsmIndex = 0;
  incarnation = 0;
  nextTickAt = 0;
  private inflight: { ready: Ready; doneAt: number } | undefined;

  constructor(
    readonly id: string,
    readonly config: RaftCoreConfig,
    readonly tickPeriodUnits: number,
    private readonly rngSeed: number,
    private readonly hooks: NodeHooks,
  ) {}

  get alive(): boolean {
    return this.core !== undefined;
  }

  start(now: number): void {
    const d = this.durable;
    this.incarnation++;
    this.fsmHash = 0;
    this.fsmIndex = 0;
    if (d.snapshot) this.restoreFsm(d.snapshot.data);
    this.core = new RaftNode({
      config: this.config,
      rng: new SeededRng(this.rngSeed * 31 + this.incarnation),
      hardState: d.hardState,
      entries: d.entries,
      snapshot: d.snapshot,
      fetchEntries: (lo, hi, maxBytes) => this.fetchDurable(lo, hi, maxBytes),
    });
    this.nextTickAt = now + this.tickPeriodUnits;
  }

  crash(): void {
    this.core = undefined;
    this.inflight = undefined;
  }

  /** Finish a due write, then start the next Ready if there is one. */
  process(now: number, persistUnits: number): void {
    const core = this.core;
    if (!core) return;
    if (this.inflight && this.inflight.doneAt <= now) {
      const r = this.inflight.ready;
      this.inflight = undefined;
      this.persist(r);
      for (const m of r.messagesAfterPersist) this.hooks.send(now, m);
      for (const e of r.committedEntries) this.applyEntry(e);
      for (const n of r.notifications) this.hooks.notified(this, n);
      if (!this.core) return; // a hook may crash us
      core.onPersisted(r.number);
    }
    if (!this.inflight && core.hasReady()) {
      const r = core.ready();
      for (const m of r.messagesNow) this.hooks.send(now, m);
      this.inflight = { ready: r, doneAt: now + persistUnits };
    }
  }

  idle(): boolean {
    return this.inflight === undefined;
  }

  /** Host snapshot policy: only between Ready batches, at the applied index. */
  takeSnapshot(): boolean {
    const core = this.core;
    if (!core || this.inflight) return false;
    const point = core.snapshotPoint();
    if (!('index' in point)) return false;
    if (point.index !== this.fsmIndex) return false;
    const data = this.encodeFsm();
    this.durable.snapshot = { ...point, data };
    core.snapshotTaken(point, data);
    return true;
  }

  /** The LogStore.getRange contract over the durable entries (the core only fetches durable ones). */
  private fetchDurable(lo: number, hi: number, maxBytes: number): LogEntry[] {
    const out: LogEntry[] = [];
    let bytes = 0;
    for (const e of this.durable.entries) {
      if (e.index < lo || e.index > hi) continue;
      if (out.length > 0 && bytes >= maxBytes) break;
      bytes += e.data.length;
      out.push(e);
    }
    if (out[0]?.index !== lo) throw new Error(`${this.id}: fetch ${lo}..${hi} not durable`);
    return out;
  }

  private persist(r: Ready): void {
    const d = this.durable;
    if (r.snapshot) {
      d.snapshot = r.snapshot;
      d.entries = [];
      this.restoreFsm(r.snapshot.data);
    }
    const cut = Math.min(r.logTruncateFrom ?? Infinity, r.entries[0]?.index ?? Infinity);
    if (cut !== Infinity) d.entries = d.entries.filter((e) => e.index < cut);
    const last = d.entries[d.entries.length - 1];
    const first = r.entries[0];
    if (first && last && first.index !== last.index + 1)
      throw new Error(`sim store: non-contiguous append ${first.index} after ${last.index}`);
    d.entries.push(...r.entries);
    if (r.hardState) d.hardState = r.hardState;
    if (r.compactThrough !== undefined) d.entries = d.entries.filter((e) => e.index > r.compactThrough!);
  }

  private applyEntry(e: LogEntry): void {
    if (e.index <= this.fsmIndex) return;
    if (e.index !== this.fsmIndex + 1)
      throw new Error(`${this.id}: apply gap ${this.fsmIndex} -> ${e.index}`);
    this.fsmIndex = e.index;
    if (e.type === LogType.Command) this.fsmHash = hashStep(this.fsmHash, e);
    this.hooks.applied(this, e, this.fsmHash);
  }

  private encodeFsm(): Uint8Array {
    return new TextEncoder().encode(`${this.fsmIndex}:${this.fsmHash}`);
  }

  private restoreFsm(data: Uint8Array): void {
    const [i, h] = new TextDecoder().decode(data).split(':');
    this.fsmIndex = Number(i);
    this.fsmHash = Number(h);
  }
}
