/**
 * The Raft host: runs the pure core (src/raft/core) against real stores and a transport, hashicorp-like API.
 *
 * Invariants:
 * - Ready batches are processed strictly one at a time, in order, on one promise chain (`serial`);
 *   snapshots run on the same chain, so the FSM state always equals the core's applied index there;
 * - `messagesNow` go out before the disk write (the leader's appends overlap its own fsync);
 *   `messagesAfterPersist` (votes, append answers) only after the write resolved, i.e. is durable;
 * - a storage failure is fatal: the host shuts down rather than run ahead of its disk;
 * - the pending-request registry is bounded (`requestsPendingMax`); every wait has a timeout.
 */
import { randomInt } from 'node:crypto';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { ConfigurationChange } from '../core/configuration.ts';
import { RaftError, RaftErrorCode } from '../core/errors.ts';
import type { Peer, RaftMessage } from '../core/messages.ts';
import { type CoreSnapshot, RaftNode } from '../core/raft-node.ts';
import type { Notification, Ready, RequestId } from '../core/ready.ts';
import { type Rng, SeededRng } from '../core/rng.ts';
import {
  type Configuration,
  type Index,
  type LogEntry,
  LogType,
  type RaftRole,
  type Server,
  type Term,
} from '../core/types.ts';
import type { NodeStores } from '../storage/storage.ts';
import type { Transport } from '../transport/transport.ts';
import { coreConfigFromTiming, type RaftHostTiming } from './timing.ts';

export type { RaftHostTiming } from './timing.ts';

/** The replicated state machine. `apply` returns the value handed back to the `apply()` caller. */
export interface RaftFsm {
  apply(entry: LogEntry): unknown;
  snapshot(): Uint8Array | undefined;
  restore(data: Uint8Array): void;
}

export interface RaftHostOptions {
  readonly id: string;
  readonly addr: string;
  readonly stores: NodeStores;
  readonly transport: Transport;
  readonly fsm: RaftFsm;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly rng?: Rng;
  readonly timing: RaftHostTiming;
  readonly preVote?: boolean;
}

export interface RaftStats {
  readonly term: Term;
  readonly commitIndex: Index;
  readonly appliedIndex: Index;
  readonly lastLogIndex: Index;
  readonly lastSnapshotIndex: Index;
  readonly role: RaftRole;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | undefined;
}

const REQUESTS_PENDING_MAX = 8192;

export class RaftHost {
  private readonly opts: RaftHostOptions;
  private readonly log: Logger;
  private core: RaftNode | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private serial: Promise<void> = Promise.resolve();
  private drainQueued = false;
  private closed = false;
  private nextRequestId: RequestId = 1;
  private readonly pending = new Map<RequestId, PendingCall>();
  private readonly leaderListeners = new Set<(isLeader: boolean) => void>();
  private isLeaderNow = false;

  constructor(opts: RaftHostOptions) {
    this.opts = opts;
    this.log = opts.logger.child({ module: 'raft', id: opts.id });
  }

  /** Load hard state, log and the latest snapshot (restoring the FSM from it), then start ticking. */
  async start(): Promise<void> {
    this.assertOpen();
    const { stores, fsm, timing } = this.opts;
    const latest = stores.snapshots.openLatest();
    let snapshot: CoreSnapshot | undefined;
    if (latest) {
      fsm.restore(latest.data);
      snapshot = { ...latest.meta, data: latest.data };
    }
    const first = stores.log.firstIndex();
    const last = stores.log.lastIndex();
    const entries = last > 0 ? stores.log.getRange(first, last) : [];
    this.core = new RaftNode({
      config: coreConfigFromTiming(this.opts.id, this.opts.addr, timing, this.opts.preVote ?? true),
      rng: this.opts.rng ?? new SeededRng(randomInt(0x7fffffff)),
      hardState: stores.stable.getHardState(),
      entries,
      snapshot,
      // Evicted entry data is read back synchronously from the log store (LogStore reads are sync).
      fetchEntries: (lo, hi, maxBytes) => stores.log.getRange(lo, hi, maxBytes),
    });
    this.opts.transport.setHandler((m) => this.onMessage(m));
    await this.opts.transport.start();
    this.ticker = setInterval(() => this.onTick(), timing.tickMs);
    this.ticker.unref();
    this.scheduleSnapshotCheck();
    this.log.info({ lastIndex: last, snapshotIndex: snapshot?.index ?? 0 }, 'raft host started');
  }

  /** Bootstrap a new cluster with `servers`; rejects `bootstrap only works on new clusters` otherwise. */
  async bootstrap(servers: Server[]): Promise<void> {
    const core = this.requireCore();
    const err = core.bootstrap({ servers });
    if (err) throw err;
    this.kick();
    await this.serial;
  }

  apply(data: Uint8Array, timeoutMs: number): Promise<{ index: number; response: unknown }> {
    return this.submit(timeoutMs, (id, core) => {
      const r = core.propose(id, data, LogType.Command, Date.now());
      return r.ok ? undefined : r.error;
    }) as Promise<{ index: number; response: unknown }>;
  }

  async barrier(timeoutMs: number): Promise<void> {
    await this.submit(timeoutMs, (id, core) => {
      const r = core.barrier(id);
      return r.ok ? undefined : r.error;
    });
  }

  addVoter(id: string, addr: string, prevIndex: number, timeoutMs: number): Promise<number> {
    return this.changeConfiguration({ kind: 'addVoter', id, address: addr }, prevIndex, timeoutMs);
  }

  addNonvoter(id: string, addr: string, prevIndex: number, timeoutMs: number): Promise<number> {
    return this.changeConfiguration({ kind: 'addNonvoter', id, address: addr }, prevIndex, timeoutMs);
  }

  demoteVoter(id: string, prevIndex: number, timeoutMs: number): Promise<number> {
    return this.changeConfiguration({ kind: 'demoteVoter', id }, prevIndex, timeoutMs);
  }

  removeServer(id: string, prevIndex: number, timeoutMs: number): Promise<number> {
    return this.changeConfiguration({ kind: 'removeServer', id }, prevIndex, timeoutMs);
  }

  async leadershipTransfer(): Promise<void> {
    await this.submit(0, (id, core) => core.transferLeadership(id));
  }

  async leadershipTransferToServer(id: string, addr: string): Promise<void> {
    await this.submit(0, (rid, core) => core.transferLeadership(rid, { id, addr }));
  }

  /** The latest configuration (committed or not), as hashicorp GetConfiguration. */
  getConfiguration(): { servers: Server[]; index: number } {
    const c = this.requireCore().status().latestConfiguration;
    return { servers: [...c.configuration.servers], index: c.index };
  }

  state(): RaftRole {
    return this.requireCore().status().role;
  }

  leader(): { id: string; addr: string } {
    const l = this.requireCore().status().leader;
    return { id: l.id, addr: l.addr };
  }

  onLeaderChange(cb: (isLeader: boolean) => void): () => void {
    this.leaderListeners.add(cb);
    return () => this.leaderListeners.delete(cb);
  }

  stats(): RaftStats {
    const s = this.requireCore().status();
    return {
      term: s.term,
      commitIndex: s.commitIndex,
      appliedIndex: s.appliedIndex,
      lastLogIndex: s.lastLogIndex,
      lastSnapshotIndex: s.snapshotIndex,
      role: s.role,
    };
  }

  /** Take a snapshot now (rejects `nothing new to snapshot` when there is none to take). */
  snapshotNow(): Promise<void> {
    this.assertOpen();
    return this.runSerial(() => this.takeSnapshot(true));
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    const shut = new RaftError(RaftErrorCode.RaftShutdown);
    for (const [id, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(shut);
      this.pending.delete(id);
    }
    await this.serial.catch(() => undefined);
    await this.opts.transport.close();
    await this.opts.stores.close();
    this.log.info('raft host shut down');
  }

  // ---------------------------------------------------------------- internals

  private changeConfiguration(
    change: ConfigurationChange,
    prevIndex: number,
    timeoutMs: number,
  ): Promise<number> {
    return this.submit(timeoutMs, (id, core) => core.changeConfiguration(id, change, prevIndex)).then(
      (r) => (r as { index: number }).index,
    );
  }

  /** Register a request, hand it to the core, and wait for its notification (bounded, with timeout). */
  private submit(
    timeoutMs: number,
    start: (id: RequestId, core: RaftNode) => RaftError | undefined,
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new RaftError(RaftErrorCode.RaftShutdown));
    const core = this.requireCore();
    if (this.pending.size >= REQUESTS_PENDING_MAX)
      return Promise.reject(new RaftError(RaftErrorCode.TooManyInflight));
    const id = this.nextRequestId++;
    return new Promise<unknown>((resolve, reject) => {
      const call: PendingCall = { resolve, reject, timer: undefined };
      this.pending.set(id, call);
      const err = start(id, core);
      if (err) {
        this.pending.delete(id);
        reject(err);
        return;
      }
      if (timeoutMs > 0) {
        call.timer = setTimeout(() => {
          if (this.pending.delete(id)) reject(new RaftError(RaftErrorCode.EnqueueTimeout));
        }, timeoutMs);
        call.timer.unref();
      }
      this.kick();
    });
  }

  private settle(id: RequestId, outcome: { value: unknown } | { error: Error }): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve(outcome.value);
  }

  private onMessage(m: RaftMessage): void {
    if (this.closed || !this.core) return;
    this.core.step(m);
    this.kick();
  }

  private onTick(): void {
    if (this.closed || !this.core) return;
    this.core.tick();
    this.kick();
  }

  /** Make sure a drain of pending Ready batches is queued on the serial chain. */
  private kick(): void {
    if (this.drainQueued || this.closed) return;
    this.drainQueued = true;
    void this.runSerial(async () => {
      this.drainQueued = false;
      await this.drain();
    }).catch((e: unknown) => this.fatal(e));
  }

  private runSerial(fn: () => Promise<void>): Promise<void> {
    const next = this.serial.then(fn);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async drain(): Promise<void> {
    const core = this.core;
    for (let rounds = 0; core && !this.closed && core.hasReady() && rounds < 1024; rounds++) {
      const r = core.ready();
      for (const m of r.messagesNow) this.opts.transport.send(m);
      await this.persist(r);
      if (this.closed) return;
      for (const m of r.messagesAfterPersist) this.opts.transport.send(m);
      const responses = this.applyCommitted(r.committedEntries);
      for (const n of r.notifications) this.handleNotification(n, responses);
      core.onPersisted(r.number);
      this.updateGauges();
    }
    if (core?.hasReady()) this.kick();
  }

  private async persist(r: Ready): Promise<void> {
    const { log, stable, snapshots } = this.opts.stores;
    if (r.snapshot) {
      const s = r.snapshot;
      await snapshots.save(
        {
          index: s.index,
          term: s.term,
          configuration: s.configuration,
          configurationIndex: s.configurationIndex,
        },
        s.data,
      );
      this.opts.fsm.restore(s.data);
      if (log.lastIndex() > 0) await log.deleteRange(log.firstIndex(), log.lastIndex());
    }
    const started = performance.now();
    const firstNew = r.entries[0]?.index;
    const cut = Math.min(r.logTruncateFrom ?? Infinity, firstNew ?? Infinity);
    if (cut !== Infinity && log.lastIndex() >= cut && log.lastIndex() > 0) {
      await log.deleteRange(Math.max(cut, log.firstIndex()), log.lastIndex());
    }
    if (r.entries.length > 0) await log.storeLogs(r.entries);
    if (r.hardState) await stable.setHardState(r.hardState);
    if (r.entries.length > 0)
      this.opts.metrics?.raftLogStoreDuration.observe((performance.now() - started) / 1000);
    if (r.compactThrough !== undefined) {
      const first = log.firstIndex();
      const upTo = Math.min(r.compactThrough, log.lastIndex());
      if (first > 0 && first <= upTo) await log.deleteRange(first, upTo);
    }
  }

  private applyCommitted(entries: readonly LogEntry[]): Map<Index, unknown> {
    const responses = new Map<Index, unknown>();
    for (const e of entries) {
      if (e.type !== LogType.Command) continue;
      const started = performance.now();
      responses.set(e.index, this.opts.fsm.apply(e));
      this.opts.metrics?.fsmApplyDuration.observe((performance.now() - started) / 1000);
    }
    return responses;
  }

  private handleNotification(n: Notification, responses: Map<Index, unknown>): void {
    switch (n.kind) {
      case 'committed':
        this.settle(n.requestId, { value: { index: n.index, response: responses.get(n.index) } });
        return;
      case 'failed':
        this.settle(n.requestId, { error: n.error });
        return;
      case 'transferred':
        this.settle(n.requestId, { value: undefined });
        return;
      case 'leaderChanged':
        this.log.info({ leader: n.leaderId, addr: n.leaderAddr, term: n.term }, 'leader changed');
        if (n.isLeader !== this.isLeaderNow) {
          this.isLeaderNow = n.isLeader;
          for (const cb of this.leaderListeners) cb(n.isLeader);
        }
        return;
      case 'roleChanged':
        this.log.debug({ role: n.role, term: n.term }, 'role changed');
        return;
      case 'removed':
        this.log.warn('removed from the configuration; no longer a voter');
        return;
    }
  }

  private scheduleSnapshotCheck(): void {
    const base = this.opts.timing.snapshotIntervalMs;
    this.snapshotTimer = setTimeout(
      () => {
        if (this.closed) return;
        void this.runSerial(() => this.takeSnapshot(false))
          .catch((e: unknown) => this.log.warn({ err: e }, 'snapshot failed'))
          .finally(() => {
            if (!this.closed) this.scheduleSnapshotCheck();
          });
      },
      base + randomInt(Math.max(1, base)),
    );
    this.snapshotTimer.unref();
  }

  /** FSM snapshot at the applied index, saved, then the core compacts (keeping trailing logs). */
  private async takeSnapshot(manual: boolean): Promise<void> {
    const core = this.requireCore();
    const s = core.status();
    if (!manual && s.lastLogIndex - s.snapshotIndex < this.opts.timing.snapshotThreshold) return;
    const point = core.snapshotPoint();
    if (point instanceof RaftError) {
      if (manual) throw point;
      return;
    }
    const data = this.opts.fsm.snapshot();
    if (data === undefined) {
      if (manual) throw new RaftError(RaftErrorCode.NothingNewToSnapshot);
      return;
    }
    await this.opts.stores.snapshots.save(point, data);
    core.snapshotTaken(point, data);
    this.log.info({ index: point.index, term: point.term }, 'snapshot taken');
    this.kick();
  }

  private updateGauges(): void {
    const m = this.opts.metrics;
    if (!m || !this.core) return;
    const s = this.core.status();
    m.raftTerm.set(s.term);
    m.raftCommitIndex.set(s.commitIndex);
    m.raftAppliedIndex.set(s.appliedIndex);
    m.raftLastLogIndex.set(s.lastLogIndex);
    m.raftLeader.set(s.role === 'leader' ? 1 : 0);
  }

  private fatal(e: unknown): void {
    this.log.error({ err: e }, 'raft host failed; shutting down');
    void this.shutdown();
  }

  private requireCore(): RaftNode {
    this.assertOpen();
    if (!this.core) throw new Error('raft host not started');
    return this.core;
  }

  private assertOpen(): void {
    if (this.closed) throw new RaftError(RaftErrorCode.RaftShutdown);
  }
}

export type { Configuration, Peer };
