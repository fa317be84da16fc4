/**
 * In-memory LogStore, StableStore and SnapshotStore: for unit tests of the Raft host and the simulator.
 *
 * Same observable contract as the durable stores (checked by the same contract suite): contiguity,
 * prefix/suffix deletion only, one write in flight, ERR_CLOSED after close. "Durable on resolve" is
 * trivially true here; every write yields once (a microtask) so concurrent misuse is observable exactly
 * as with a real disk. Entries and snapshot bytes are copied in and out so callers cannot alias them.
 */
import type { HardState, Index, LogEntry, SnapshotMeta } from '../core/types.ts';
import { HARD_STATE_EMPTY } from '../core/types.ts';
import {
  checkAppend,
  entryBytes,
  type LogBounds,
  planDelete,
  rangeSpan,
  WriteGate,
  withinBudget,
} from './log-rules.ts';
import { newestFirst, snapshotId, snapshotRetainDefault, snapshotVersion } from './snapshot-naming.ts';
import type { LogStore, NodeStores, SnapshotStore, StableStore } from './storage.ts';

function copyEntry(e: LogEntry): LogEntry {
  const out: { -readonly [K in keyof LogEntry]: LogEntry[K] } = {
    index: e.index,
    term: e.term,
    type: e.type,
    data: e.data.slice(),
  };
  if (e.extensions !== undefined) out.extensions = e.extensions.slice();
  if (e.appendedAtMs !== undefined) out.appendedAtMs = e.appendedAtMs;
  return out;
}

export class MemoryLogStore implements LogStore {
  /** entries[i] holds index first + i. */
  private entries: LogEntry[] = [];
  private first: Index = 0;
  private readonly gate = new WriteGate('memory log store');

  firstIndex(): Index {
    return this.entries.length === 0 ? 0 : this.first;
  }

  lastIndex(): Index {
    return this.entries.length === 0 ? 0 : this.first + this.entries.length - 1;
  }

  private bounds(): LogBounds {
    return { first: this.firstIndex(), last: this.lastIndex() };
  }

  getLog(index: Index): LogEntry | undefined {
    this.gate.assertOpen();
    const e = this.entries[index - this.first];
    return e === undefined || index < this.first ? undefined : copyEntry(e);
  }

  getRange(lo: Index, hi: Index, maxBytes?: number): LogEntry[] {
    this.gate.assertOpen();
    const span = rangeSpan(this.bounds(), lo, hi);
    if (span === undefined) return [];
    const out: LogEntry[] = [];
    let total = 0;
    for (let i = span.lo; i <= span.hi; i++) {
      const e = this.entries[i - this.first]!;
      const n = entryBytes(e);
      if (!withinBudget(total, n, out.length, maxBytes)) break;
      out.push(copyEntry(e));
      total += n;
    }
    return out;
  }

  storeLogs(entries: readonly LogEntry[]): Promise<void> {
    return this.gate.run(async () => {
      checkAppend(this.bounds(), entries);
      const copies = entries.map(copyEntry);
      await Promise.resolve();
      if (copies.length === 0) return;
      if (this.entries.length === 0) this.first = copies[0]!.index;
      this.entries.push(...copies);
    });
  }

  deleteRange(min: Index, max: Index): Promise<void> {
    return this.gate.run(async () => {
      const next = planDelete(this.bounds(), min, max);
      await Promise.resolve();
      if (next === undefined) return;
      if (next.last === 0) {
        this.entries = [];
        this.first = 0;
        return;
      }
      this.entries = this.entries.slice(next.first - this.first, next.last - this.first + 1);
      this.first = next.first;
    });
  }

  async close(): Promise<void> {
    await this.gate.close();
  }
}

export class MemoryStableStore implements StableStore {
  private state: HardState = HARD_STATE_EMPTY;
  private readonly gate = new WriteGate('memory stable store');

  getHardState(): HardState {
    this.gate.assertOpen();
    return this.state;
  }

  setHardState(state: HardState): Promise<void> {
    return this.gate.run(async () => {
      const copy: HardState = { ...state };
      await Promise.resolve();
      this.state = copy;
    });
  }

  async close(): Promise<void> {
    await this.gate.close();
  }
}

export interface MemorySnapshotStoreOptions {
  readonly retain?: number;
  /** Wall clock for snapshot ids (unix ms); injectable so tests can force distinct or equal ids. */
  readonly nowMs?: () => number;
}

export class MemorySnapshotStore implements SnapshotStore {
  private snaps: { meta: SnapshotMeta; data: Uint8Array }[] = [];
  private readonly gate = new WriteGate('memory snapshot store');
  private readonly retain: number;
  private readonly nowMs: () => number;

  constructor(options: MemorySnapshotStoreOptions = {}) {
    this.retain = Math.max(1, options.retain ?? snapshotRetainDefault);
    this.nowMs = options.nowMs ?? Date.now;
  }

  save(meta: Omit<SnapshotMeta, 'id' | 'size' | 'version'>, data: Uint8Array): Promise<SnapshotMeta> {
    return this.gate.run(async () => {
      const full: SnapshotMeta = {
        id: snapshotId(meta.term, meta.index, this.nowMs()),
        index: meta.index,
        term: meta.term,
        configuration: { servers: meta.configuration.servers.map((s) => ({ ...s })) },
        configurationIndex: meta.configurationIndex,
        size: data.byteLength,
        version: snapshotVersion,
      };
      const bytes = data.slice();
      await Promise.resolve();
      this.snaps = [...this.snaps.filter((s) => s.meta.id !== full.id), { meta: full, data: bytes }]
        .sort((a, b) => newestFirst(a.meta, b.meta))
        .slice(0, this.retain);
      return full;
    });
  }

  list(): SnapshotMeta[] {
    this.gate.assertOpen();
    return this.snaps.map((s) => s.meta);
  }

  openLatest(): { meta: SnapshotMeta; data: Uint8Array } | undefined {
    this.gate.assertOpen();
    const s = this.snaps[0];
    return s === undefined ? undefined : { meta: s.meta, data: s.data.slice() };
  }

  async close(): Promise<void> {
    await this.gate.close();
  }
}

/** A fresh node's stores, all in memory. */
export function createMemoryNodeStores(options: MemorySnapshotStoreOptions = {}): NodeStores {
  const log = new MemoryLogStore();
  const stable = new MemoryStableStore();
  const snapshots = new MemorySnapshotStore(options);
  return {
    log,
    stable,
    snapshots,
    async close() {
      await Promise.all([log.close(), stable.close(), snapshots.close()]);
    },
  };
}
