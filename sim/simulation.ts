/**
 * One deterministic simulation run from a seed (VOPR style): N servers running the real core, a packet
 * simulator, crashes/restarts that lose non-durable state, clock-rate skew, membership changes,
 * leadership transfers and snapshots during a fault phase, then a heal phase that must show liveness.
 *
 * Checkers (a violation is a safety bug):
 * - election safety: at most one leader per term;
 * - leader completeness: every acknowledged commit is in the log of every later leader;
 * - state-machine safety: every server applies the same entry, with the same FSM hash, at each index;
 * - log matching: two logs holding an entry with the same index and term agree on all earlier entries;
 * - monotonic commit and apply within an incarnation.
 * Liveness (after heal): a leader exists and an entry proposed after the heal is acknowledged in time.
 */
import { RaftAssertionError } from '../src/raft/core/assert.ts';
import type { RaftCoreConfig, RaftMutations } from '../src/raft/core/config.ts';
import { RAFT_CORE_DEFAULTS } from '../src/raft/core/config.ts';
import { describeMessage } from '../src/raft/core/describe.ts';
import type { RaftMessage } from '../src/raft/core/messages.ts';
import type { Notification } from '../src/raft/core/ready.ts';
import { SeededRng } from '../src/raft/core/rng.ts';
import { type LogEntry, type Server, Suffrage } from '../src/raft/core/types.ts';
import { SafetyChecker } from './checkers.ts';
import { SimNetwork } from './network.ts';
import { SimNode } from './sim-node.ts';

export interface SimOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly ticks: number;
  readonly mutations?: RaftMutations;
  readonly trace?: (line: string) => void;
}

export interface SimResult {
  readonly seed: number;
  readonly violations: string[];
  readonly livenessFailure: string | undefined;
  readonly commits: number;
}

const UNITS_PER_TICK = 4;
const LOG_MATCH_CHECK_TICKS = 100;
const LIVENESS_FRACTION = 0.3;

export function runSimulation(opts: SimOptions): SimResult {
  return new Simulation(opts).run();
}

class Simulation {
  private readonly rng: SeededRng;
  private readonly net: SimNetwork;
  private readonly nodes: SimNode[] = [];
  private readonly servers: Server[];
  private readonly proposedAt = new Map<number, number>();
  private readonly checker = new SafetyChecker((what) => this.trace(`VIOLATION ${what}`));
  private readonly restartAt = new Map<string, number>();
  private now = 0;
  private nextRequestId = 1;
  private healedAt = Number.POSITIVE_INFINITY;
  /** Leader-churn profile: a new leader often crashes a few units after winning (figure-8 territory). */
  private readonly churn: boolean;
  private churnCrashAt: { id: string; at: number } | undefined;
  private ackedAfterHeal = false;

  constructor(private readonly opts: SimOptions) {
    this.rng = new SeededRng(opts.seed);
    this.net = new SimNetwork(new SeededRng(opts.seed ^ 0x5eed));
    this.servers = Array.from({ length: opts.nodes }, (_, i) => ({
      suffrage: Suffrage.Voter,
      id: `n${i + 1}`,
      address: `10.0.0.${i + 1}:50050`,
    }));
    const preVote = this.rng.int(4) !== 0;
    this.churn = this.rng.int(3) === 0;
    // Small batches (down to 1) make acknowledgements split between old-term entries and the new no-op.
    const maxAppendEntries = 1 + this.rng.int(4);
    const entryCacheBytesMax = this.rng.int(2) === 0 ? 0 : RAFT_CORE_DEFAULTS.entryCacheBytesMax;
    const hooks = {
      send: (now: number, m: RaftMessage) => {
        this.trace(`send ${describeMessage(m)}`);
        this.net.send(now, m);
      },
      applied: (n: SimNode, e: LogEntry, hash: number) => this.checker.applied(n, e, hash),
      notified: (n: SimNode, note: Notification) => this.onNotification(n, note),
    };
    for (const s of this.servers) {
      const config: RaftCoreConfig = {
        ...RAFT_CORE_DEFAULTS,
        id: s.id,
        addr: s.address,
        heartbeatTimeoutTicks: 10,
        electionTimeoutTicks: 10,
        leaseTimeoutTicks: 8,
        heartbeatIntervalTicks: 1,
        maxAppendEntries,
        trailingLogs: 3,
        preVote,
        appendsInflightMax: 4,
        // Half the seeds evict every applied entry's data, so replication re-reads from the store.
        entryCacheBytesMax,
        // A third of the seeds send commit indexes at once, the rest after a commit timeout (no rng draw, so
        // every other seed-derived choice is unchanged).
        commitTimeoutTicks: (opts.seed % 3) * 2,
        ...(opts.mutations ? { mutations: opts.mutations } : {}),
      };
      // Clock-rate skew: each server's tick runs up to ±15% fast or slow.
      const period = UNITS_PER_TICK * (0.85 + this.rng.int(31) / 100);
      this.nodes.push(new SimNode(s.id, config, period, opts.seed * 7 + this.nodes.length, hooks));
    }
    this.net.faults = {
      delayUnitsMax: 1 + this.rng.int(8),
      dropRate: this.rng.int(10) / 100,
      duplicateRate: this.rng.int(5) / 100,
    };
  }

  run(): SimResult {
    for (const n of this.nodes) {
      n.start(0);
      n.core!.bootstrap({ servers: this.servers });
    }
    const endUnits = this.opts.ticks * UNITS_PER_TICK;
    const healUnits = Math.floor(endUnits * (1 - LIVENESS_FRACTION));
    try {
      for (this.now = 0; this.now < endUnits && this.checker.violations.length === 0; this.now++) {
        if (this.now === healUnits) this.heal();
        this.deliver();
        this.tickNodes();
        if (this.now < healUnits) this.injectFaults();
        else this.restartDue(true);
        this.workload();
        if (this.now % (LOG_MATCH_CHECK_TICKS * UNITS_PER_TICK) === 0) this.checker.logMatching(this.nodes);
      }
    } catch (e) {
      // A core assertion is an invariant the core itself caught breaking: a violation too.
      if (!(e instanceof RaftAssertionError)) throw e;
      this.checker.violations.push(`core ${e.message}`);
    }
    this.checker.logMatching(this.nodes);
    for (const n of this.nodes) this.trace(`final ${n.id} ${this.describeNode(n)}`);
    const liveness =
      this.checker.violations.length > 0 || this.ackedAfterHeal
        ? undefined
        : `no entry proposed after the heal at unit ${healUnits} was acknowledged by unit ${endUnits}`;
    return {
      seed: this.opts.seed,
      violations: this.checker.violations,
      livenessFailure: liveness,
      commits: this.checker.ackCount(),
    };
  }

  private describeNode(n: SimNode): string {
    const s = n.core?.status();
    if (!s) return 'down';
    const cfg = (c: typeof s.latestConfiguration): string =>
      `${c.index}[${c.configuration.servers.map((x) => `${x.id}${x.suffrage === Suffrage.Voter ? '' : '(nv)'}`).join(',')}]`;
    return `${s.role} t${s.term} leader=${s.leader.id || '-'} last=${s.lastLogIndex}/${s.lastLogTerm} commit=${s.commitIndex} applied=${s.appliedIndex} snap=${s.snapshotIndex} latest=${cfg(s.latestConfiguration)} committed=${cfg(s.committedConfiguration)}`;
  }

  private trace(line: string): void {
    this.opts.trace?.(`${String(this.now).padStart(6)} ${line}`);
  }

  private node(id: string): SimNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  private deliver(): void {
    for (const m of this.net.due(this.now)) {
      const n = this.node(m.to.id);
      if (!n?.core) continue;
      this.trace(`recv ${describeMessage(m)}`);
      n.core.step(m);
      this.afterStep(n);
    }
  }

  private tickNodes(): void {
    for (const n of this.nodes) {
      while (n.core && n.nextTickAt <= this.now) {
        n.nextTickAt += n.tickPeriodUnits;
        n.core.tick();
        this.afterStep(n);
      }
      if (n.core) {
        n.process(this.now, this.rng.int(3));
        this.afterStep(n);
      }
    }
  }

  /** Election safety and monotonic commit/apply, checked after every input to a core. */
  private afterStep(n: SimNode): void {
    if (!this.checker.observe(n)) return;
    this.trace(`${n.id} leader term ${n.core!.status().term}`);
    if (this.churn && this.now < this.healedAt && this.rng.chance(0.6))
      this.churnCrashAt = { id: n.id, at: this.now + 1 + this.rng.int(16) };
  }

  private onNotification(n: SimNode, note: Notification): void {
    if (note.kind !== 'committed') return;
    const term = n.core?.termAt(note.index);
    if (term === undefined) return;
    this.checker.acknowledged(note.index, term);
    const proposed = this.proposedAt.get(note.requestId);
    if (proposed !== undefined && proposed >= this.healedAt) this.ackedAfterHeal = true;
    this.trace(`${n.id} ack ${note.index}/${term}`);
  }

  private leaderNode(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.nodes) {
      const s = n.core?.status();
      if (s?.role === 'leader' && (!best || s.term > best.core!.status().term)) best = n;
    }
    return best;
  }

  private workload(): void {
    if (!this.rng.chance(0.15)) return;
    const l = this.leaderNode();
    if (!l?.core) return;
    const id = this.nextRequestId++;
    const r = l.core.propose(id, new TextEncoder().encode(`${this.opts.seed}:${id}`));
    if (r.ok) this.proposedAt.set(id, this.now);
  }

  private injectFaults(): void {
    this.restartDue(false);
    const c = this.churnCrashAt;
    if (c && c.at <= this.now) {
      this.churnCrashAt = undefined;
      const n = this.node(c.id);
      if (n?.core) {
        n.crash();
        this.restartAt.set(n.id, this.now + UNITS_PER_TICK * (3 + this.rng.int(20)));
        this.trace(`${n.id} churn crash`);
      }
    }
    const r = this.rng.int(1000);
    if (r < 4) this.crashOne();
    else if (r < 7) this.partitionRandom();
    else if (r < 9) this.net.heal();
    else if (r < 11) this.membershipChange();
    else if (r < 12) this.transfer();
    if (this.rng.chance(0.02)) {
      const n = this.nodes[this.rng.int(this.nodes.length)]!;
      if (n.takeSnapshot()) this.trace(`${n.id} snapshot`);
    }
  }

  private crashOne(): void {
    const down = this.nodes.filter((n) => !n.core).length;
    if (down >= Math.floor((this.nodes.length - 1) / 2) + 1) return;
    // Half the crashes hit the leader: failover paths are where Raft bugs live.
    const n =
      (this.rng.chance(0.5) ? this.leaderNode() : undefined) ?? this.nodes[this.rng.int(this.nodes.length)]!;
    if (!n.core) return;
    n.crash();
    this.restartAt.set(n.id, this.now + UNITS_PER_TICK * (5 + this.rng.int(60)));
    this.trace(`${n.id} crash`);
  }

  private restartDue(all: boolean): void {
    for (const n of this.nodes) {
      const at = this.restartAt.get(n.id);
      if (n.core || at === undefined || (!all && at > this.now)) continue;
      this.restartAt.delete(n.id);
      n.start(this.now);
      this.trace(`${n.id} restart`);
    }
  }

  private partitionRandom(): void {
    const ids = this.nodes.map((n) => n.id);
    if (this.rng.chance(0.5)) {
      const a = ids.filter(() => this.rng.chance(0.5));
      this.net.partition(
        a,
        ids.filter((x) => !a.includes(x)),
      );
      this.trace(`partition [${a.join(',')}]`);
    } else {
      const from = ids[this.rng.int(ids.length)]!;
      const to = ids[this.rng.int(ids.length)]!;
      if (from !== to) this.net.block(from, to);
      this.trace(`block ${from}>${to}`);
    }
  }

  private membershipChange(): void {
    const l = this.leaderNode();
    if (!l?.core) return;
    const rid = this.nextRequestId++;
    const latest = l.core.status().latestConfiguration.configuration;
    // Keep at most one server out at a time: re-add whoever is missing or demoted before removing anyone.
    const out = this.servers.find(
      (s) => !latest.servers.some((x) => x.id === s.id && x.suffrage === Suffrage.Voter),
    );
    if (out) {
      const err = l.core.changeConfiguration(rid, { kind: 'addVoter', id: out.id, address: out.address }, 0);
      this.trace(`re-add ${out.id}: ${err?.message ?? 'queued'}`);
      return;
    }
    const victim = this.servers[this.rng.int(this.servers.length)]!;
    const change = this.rng.chance(0.5)
      ? ({ kind: 'removeServer', id: victim.id } as const)
      : ({ kind: 'demoteVoter', id: victim.id } as const);
    const err = l.core.changeConfiguration(rid, change, 0);
    this.trace(`${change.kind} ${victim.id}: ${err?.message ?? 'queued'}`);
  }

  private transfer(): void {
    const l = this.leaderNode();
    if (!l?.core) return;
    const err = l.core.transferLeadership(this.nextRequestId++);
    this.trace(`transfer from ${l.id}: ${err?.message ?? 'started'}`);
  }

  private heal(): void {
    this.net.heal();
    this.net.faults = { ...this.net.faults, dropRate: 0, duplicateRate: 0 };
    this.restartDue(true);
    for (const n of this.nodes) if (!n.core) n.start(this.now);
    this.healedAt = this.now;
    this.trace('heal');
  }
}
