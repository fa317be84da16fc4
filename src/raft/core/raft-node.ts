/**
 * The pure Raft state machine with hashicorp/raft semantics (hashicorp-raft-wire.md §3–4), driven by
 * `tick()`, `step(message)` and local requests, emitting numbered Ready batches (see ready.ts).
 *
 * Invariants (asserted where they are established):
 * - at most one vote per term, durable before any vote response or RequestVote leaves (messagesAfterPersist);
 * - a leader commits only an entry of its current term by counting (earlier entries commit with it), and
 *   counts itself only for entries it has durably persisted (`stableIndex`);
 * - the commit index never decreases and never passes the last index of the log;
 * - configuration entries take effect when appended (`latest`); `committed` is the newest one at or
 *   below the commit index; a truncated uncommitted configuration falls back to the previous one;
 * - one Ready is outstanding at a time; committed entries are handed out once, in index order;
 * - every queue is bounded (pending proposals and their bytes, queued configuration changes, pipeline).
 */
import { assert, assertIndex, assertNever } from './assert.ts';
import type { RaftCoreConfig } from './config.ts';
import { validateRaftCoreConfig } from './config.ts';
import {
  CONFIGURATION_EMPTY,
  type ConfigurationChange,
  findServer,
  isVoter,
  nextConfiguration,
  quorumSize,
  validateConfiguration,
  voterIds,
} from './configuration.ts';
import { decodeConfiguration, encodeConfiguration } from './configuration-codec.ts';
import { configurationChangedError, RaftError, RaftErrorCode } from './errors.ts';
import type {
  AppendEntriesRequest,
  AppendEntriesResponse,
  InstallSnapshotRequest,
  InstallSnapshotResponse,
  Peer,
  RaftMessage,
  RequestPreVoteRequest,
  RequestPreVoteResponse,
  RequestVoteRequest,
  RequestVoteResponse,
  RpcFailure,
} from './messages.ts';
import { newProgress, type Progress, progressBecomeProbe } from './progress.ts';
import { type EntryFetcher, RaftLog } from './raft-log.ts';
import type { Notification, Ready, RequestId, SnapshotToInstall } from './ready.ts';
import { type Rng, randomTimeoutTicks } from './rng.ts';
import {
  type Configuration,
  type HardState,
  type Index,
  type LogEntry,
  LogType,
  type RaftRole,
  type ServerId,
  type Term,
} from './types.ts';

export interface ConfigurationCodec {
  encode(c: Configuration): Uint8Array;
  decode(data: Uint8Array): Configuration;
}

export const HASHICORP_CONFIGURATION_CODEC: ConfigurationCodec = {
  encode: encodeConfiguration,
  decode: decodeConfiguration,
};

/** The latest snapshot the core knows about (the leader sends its bytes in InstallSnapshot). */
export interface CoreSnapshot {
  readonly index: Index;
  readonly term: Term;
  readonly configuration: Configuration;
  readonly configurationIndex: Index;
  readonly data: Uint8Array;
}

export interface RaftNodeInit {
  readonly config: RaftCoreConfig;
  readonly rng: Rng;
  readonly hardState: HardState;
  readonly entries: readonly LogEntry[];
  readonly snapshot?: CoreSnapshot | undefined;
  readonly codec?: ConfigurationCodec;
  /** Reads durable entries back when their cached data was evicted; without it nothing is evicted. */
  readonly fetchEntries?: EntryFetcher;
}

interface ConfigAt {
  readonly configuration: Configuration;
  readonly index: Index;
}

interface PendingRequest {
  readonly index: Index;
  readonly requestId: RequestId;
  readonly bytes: number;
}

interface QueuedChange {
  readonly requestId: RequestId;
  readonly change: ConfigurationChange;
  readonly prevIndex: Index;
}

interface Transfer {
  readonly target: Peer;
  readonly requestId: RequestId;
  elapsedTicks: number;
  timeoutNowSent: boolean;
}

interface Election {
  readonly preVote: boolean;
  readonly fromTransfer: boolean;
  readonly granted: Set<ServerId>;
  readonly refused: Set<ServerId>;
}

export type LocalResult =
  | { readonly ok: true; readonly index: Index }
  | { readonly ok: false; readonly error: RaftError };

export interface RaftStatus {
  readonly id: ServerId;
  readonly role: RaftRole;
  readonly term: Term;
  readonly leader: Peer;
  readonly commitIndex: Index;
  readonly appliedIndex: Index;
  readonly lastLogIndex: Index;
  readonly lastLogTerm: Term;
  readonly firstLogIndex: Index;
  readonly snapshotIndex: Index;
  readonly stableIndex: Index;
  readonly latestConfiguration: ConfigAt;
  readonly committedConfiguration: ConfigAt;
  readonly transferInProgress: boolean;
}

const NO_PEER: Peer = { id: '', addr: '' };

export class RaftNode {
  readonly config: RaftCoreConfig;
  private readonly rng: Rng;
  private readonly codec: ConfigurationCodec;
  private readonly self: Peer;
  private hs: HardState;
  private hsDirty = false;
  private readonly log: RaftLog;
  private snapshot: CoreSnapshot | undefined;
  private role: RaftRole = 'follower';
  private leader: Peer = NO_PEER;
  private commitIndex: Index;
  private appliedIndex: Index;
  private stableIndex: Index;
  private latest: ConfigAt;
  private committed: ConfigAt;
  private tickCount = 0;
  /** Tick of the latest commit-index advance (commit-only appends wait commitTimeoutTicks after it). */
  private commitAdvancedTick = 0;
  private electionElapsed = 0;
  /** Ticks since the current leader was last heard (AppendEntries / InstallSnapshot accepted from it). */
  private leaderContactElapsed = 0;
  private electionTimeout = 0;
  private heartbeatElapsed = 0;
  private leaseElapsed = 0;
  private election: Election | undefined;
  private readonly progress = new Map<ServerId, Progress>();
  private pending: PendingRequest[] = [];
  private pendingBytes = 0;
  private configQueue: QueuedChange[] = [];
  private transfer: Transfer | undefined;
  private ownTermCommitted = false;
  private removedNotified = false;
  // Ready accumulators.
  private readyNumber = 0;
  private readyOutstanding: { number: number; lastIndex: Index; lastTerm: Term; stable: Index } | undefined;
  private unstableFrom = Number.POSITIVE_INFINITY;
  private truncateFrom: Index | undefined;
  private compactThrough: Index | undefined;
  private snapshotToInstall: SnapshotToInstall | undefined;
  private messagesNow: RaftMessage[] = [];
  private messagesAfterPersist: RaftMessage[] = [];
  private notifications: Notification[] = [];

  constructor(init: RaftNodeInit) {
    validateRaftCoreConfig(init.config);
    this.config = init.config;
    this.rng = init.rng;
    this.codec = init.codec ?? HASHICORP_CONFIGURATION_CODEC;
    this.self = { id: init.config.id, addr: init.config.addr };
    this.hs = init.hardState;
    const snap = init.snapshot;
    this.snapshot = snap;
    this.log = RaftLog.restore(snap?.index ?? 0, snap?.term ?? 0, init.entries, init.fetchEntries);
    this.commitIndex = snap?.index ?? 0;
    this.appliedIndex = this.commitIndex;
    this.stableIndex = this.log.lastIndex();
    const base: ConfigAt = snap
      ? { configuration: snap.configuration, index: snap.configurationIndex }
      : { configuration: CONFIGURATION_EMPTY, index: 0 };
    // hashicorp NewRaft: replaying the log, each configuration entry makes the previous one "committed".
    let committed = base;
    let latest = base;
    for (const e of this.log.slice(
      Math.max(this.log.firstIndex(), (snap?.index ?? 0) + 1),
      this.log.lastIndex(),
    )) {
      if (e.type !== LogType.Configuration) continue;
      committed = latest;
      latest = { configuration: this.codec.decode(e.data), index: e.index };
    }
    this.latest = latest;
    this.committed = committed;
    this.resetElectionTimer(this.config.heartbeatTimeoutTicks);
  }

  // ---------------------------------------------------------------- queries

  status(): RaftStatus {
    return {
      id: this.self.id,
      role: this.role,
      term: this.hs.currentTerm,
      leader: this.leader,
      commitIndex: this.commitIndex,
      appliedIndex: this.appliedIndex,
      lastLogIndex: this.log.lastIndex(),
      lastLogTerm: this.log.lastTerm(),
      firstLogIndex: this.log.firstIndex(),
      snapshotIndex: this.log.snapshotIndex(),
      stableIndex: this.stableIndex,
      latestConfiguration: this.latest,
      committedConfiguration: this.committed,
      transferInProgress: this.transfer !== undefined,
    };
  }

  hardState(): HardState {
    return this.hs;
  }

  /** Entry by index, for hosts and checkers (undefined when compacted or absent; data empty if evicted). */
  entryAt(index: Index): LogEntry | undefined {
    return this.log.entry(index);
  }

  termAt(index: Index): Term | undefined {
    return this.log.termAt(index);
  }

  // ---------------------------------------------------------------- local requests

  /** Bootstrap a brand-new cluster: term 1 and one configuration entry at index 1. */
  bootstrap(configuration: Configuration): RaftError | undefined {
    const empty =
      this.hs.currentTerm === 0 &&
      this.log.lastIndex() === 0 &&
      this.log.snapshotIndex() === 0 &&
      !this.hsDirty;
    if (!empty) return new RaftError(RaftErrorCode.CantBootstrap);
    const invalid = validateConfiguration(configuration);
    if (invalid) return invalid;
    this.setHardState({ ...this.hs, currentTerm: 1 });
    this.appendLocal({
      index: 1,
      term: 1,
      type: LogType.Configuration,
      data: this.codec.encode(configuration),
    });
    return undefined;
  }

  /** Append a command (or a barrier) as leader. Outcome: a `committed` or `failed` notification. */
  propose(
    requestId: RequestId,
    data: Uint8Array,
    type: LogType = LogType.Command,
    appendedAtMs = 0,
  ): LocalResult {
    const refusal = this.leaderRefusal();
    if (refusal) return { ok: false, error: refusal };
    const bytes = data.length;
    if (
      this.pending.length >= this.config.proposalsInflightMax ||
      this.pendingBytes + bytes > this.config.uncommittedBytesMax
    )
      return { ok: false, error: new RaftError(RaftErrorCode.TooManyInflight) };
    const index = this.log.lastIndex() + 1;
    this.appendLocal({ index, term: this.hs.currentTerm, type, data, appendedAtMs });
    this.addPending(index, requestId, bytes);
    this.flushReplication();
    return { ok: true, index };
  }

  barrier(requestId: RequestId): LocalResult {
    return this.propose(requestId, new Uint8Array(0), LogType.Barrier);
  }

  /** Queue a membership change; it is appended once the previous change and our no-op are committed. */
  changeConfiguration(
    requestId: RequestId,
    change: ConfigurationChange,
    prevIndex: Index,
  ): RaftError | undefined {
    const refusal = this.leaderRefusal();
    if (refusal) return refusal;
    if (this.configQueue.length >= this.config.configChangesQueuedMax)
      return new RaftError(RaftErrorCode.TooManyInflight);
    this.configQueue.push({ requestId, change, prevIndex });
    this.processConfigQueue();
    return undefined;
  }

  /** Hand leadership to `target` (or the most up-to-date voter). Outcome: `transferred` or `failed`. */
  transferLeadership(requestId: RequestId, target?: Peer): RaftError | undefined {
    if (this.role !== 'leader') return new RaftError(RaftErrorCode.NotLeader);
    if (this.transfer) return new RaftError(RaftErrorCode.LeadershipTransferInProgress);
    let to: Peer | undefined;
    if (target) {
      if (target.id === this.self.id) return new RaftError(RaftErrorCode.TransferToSelf);
      const s = findServer(this.latest.configuration, target.id);
      if (!s || !isVoter(this.latest.configuration, target.id))
        return new RaftError(RaftErrorCode.CannotFindPeer);
      to = { id: s.id, addr: target.addr !== '' ? target.addr : s.address };
    } else {
      to = this.mostUpToDateVoter();
      if (!to) return new RaftError(RaftErrorCode.CannotFindPeer);
    }
    this.transfer = { target: to, requestId, elapsedTicks: 0, timeoutNowSent: false };
    this.maybeSendTimeoutNow();
    this.flushReplication();
    return undefined;
  }

  /** Start an election now (tests and the DSL); ignored when not a voter or already leader. */
  campaign(): void {
    if (this.role === 'leader' || !this.canCampaign()) return;
    this.startElection(this.config.preVote, false);
  }

  /** Snapshot metadata at the applied index, for the host to save. */
  snapshotPoint():
    | { index: Index; term: Term; configuration: Configuration; configurationIndex: Index }
    | RaftError {
    const index = this.appliedIndex;
    if (index <= this.log.snapshotIndex() || index === 0)
      return new RaftError(RaftErrorCode.NothingNewToSnapshot);
    const term = this.log.termAt(index);
    assert(term !== undefined, `applied index ${index} missing from log`);
    if (this.committed.index > index) return new RaftError(RaftErrorCode.NothingNewToSnapshot);
    return {
      index,
      term,
      configuration: this.committed.configuration,
      configurationIndex: this.committed.index,
    };
  }

  /** The host saved a snapshot at `point`: compact the log keeping `trailingLogs` entries. */
  snapshotTaken(point: { index: Index; term: Term }, data: Uint8Array): void {
    assert(point.index <= this.appliedIndex, 'snapshot beyond applied index');
    if (point.index <= this.log.snapshotIndex()) return;
    const keepFrom = Math.max(
      this.log.firstIndex(),
      Math.min(point.index, this.log.lastIndex() - this.config.trailingLogs) + 1,
    );
    this.log.compact(point.index, point.term, keepFrom);
    this.snapshot = {
      index: point.index,
      term: point.term,
      configuration: this.committed.configuration,
      configurationIndex: this.committed.index,
      data,
    };
    if (keepFrom > 1) this.compactThrough = Math.max(this.compactThrough ?? 0, keepFrom - 1);
  }

  // ---------------------------------------------------------------- time

  tick(): void {
    this.tickCount++;
    switch (this.role) {
      case 'follower':
      case 'candidate':
        this.electionElapsed++;
        this.leaderContactElapsed++;
        if (this.electionElapsed >= this.electionTimeout) this.onElectionTimeout();
        break;
      case 'leader':
        this.tickLeader();
        break;
      default:
        assertNever(this.role, 'role');
    }
  }

  private onElectionTimeout(): void {
    if (this.role === 'follower') {
      this.resetElectionTimer(this.config.heartbeatTimeoutTicks);
      // Forget the silent leader even when we may not campaign (hashicorp does the same): otherwise a
      // non-voter or removed server would refuse votes for it forever (found by the simulator).
      this.setLeader(NO_PEER);
      if (!this.canCampaign()) return;
      this.startElection(this.config.preVote, false);
      return;
    }
    // A candidate whose election timed out starts over (pre-vote again when enabled).
    this.startElection(this.config.preVote, false);
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.leaseElapsed++;
    if (this.heartbeatElapsed >= this.config.heartbeatIntervalTicks) {
      this.heartbeatElapsed = 0;
      this.sendHeartbeats();
      this.detectStalledReplication();
    }
    if (this.leaseElapsed >= this.config.leaseTimeoutTicks) {
      this.leaseElapsed = 0;
      if (!this.hasQuorumContact()) {
        this.becomeFollower(this.hs.currentTerm, NO_PEER);
        return;
      }
    }
    if (this.transfer) {
      this.transfer.elapsedTicks++;
      if (this.transfer.elapsedTicks >= this.config.electionTimeoutTicks) {
        this.notify({
          kind: 'failed',
          requestId: this.transfer.requestId,
          error: new RaftError(RaftErrorCode.LeadershipTransferTimeout),
        });
        this.transfer = undefined;
      }
    }
    this.flushReplication();
  }

  // ---------------------------------------------------------------- messages

  step(m: RaftMessage): void {
    switch (m.type) {
      case 'appendEntries': {
        this.onAppendEntries(m);
        return;
      }
      case 'requestVote': {
        this.onRequestVote(m);
        return;
      }
      case 'requestPreVote': {
        this.onRequestPreVote(m);
        return;
      }
      case 'installSnapshot': {
        this.onInstallSnapshot(m);
        return;
      }
      case 'timeoutNow': {
        this.onTimeoutNow(m.from);
        return;
      }
      case 'appendEntriesResponse': {
        this.onAppendEntriesResponse(m);
        return;
      }
      case 'requestVoteResponse': {
        this.onVoteResponse(m);
        return;
      }
      case 'requestPreVoteResponse': {
        this.onPreVoteResponse(m);
        return;
      }
      case 'installSnapshotResponse': {
        this.onInstallSnapshotResponse(m);
        return;
      }
      case 'timeoutNowResponse':
        return;
      case 'rpcFailure': {
        this.onRpcFailure(m);
        return;
      }
      default:
        assertNever(m, 'message');
    }
  }

  /** The peer's server ID; hashicorp 1.1.2 peers send only an address, matched against the configuration. */
  private peerId(p: Peer): ServerId {
    if (p.id !== '') return p.id;
    return this.latest.configuration.servers.find((s) => s.address === p.addr)?.id ?? '';
  }

  private onAppendEntries(m: AppendEntriesRequest): void {
    const base = {
      type: 'appendEntriesResponse' as const,
      from: this.self,
      to: m.from,
      noRetryBackoff: false,
      inReplyTo: { prevLogIndex: m.prevLogIndex, lastIndex: m.prevLogIndex + m.entries.length },
    };
    if (m.term < this.hs.currentTerm) {
      this.sendAfterPersist({
        ...base,
        term: this.hs.currentTerm,
        success: false,
        lastLog: this.log.lastIndex(),
      });
      return;
    }
    if (m.term > this.hs.currentTerm || this.role !== 'follower') this.becomeFollower(m.term, m.from);
    if (this.leader.id !== this.peerId(m.from) || this.leader.addr !== m.from.addr)
      this.setLeader({ id: this.peerId(m.from), addr: m.from.addr });
    this.electionElapsed = 0;
    this.leaderContactElapsed = 0;
    const success = this.appendFromLeader(m);
    if (success) {
      const lastNew = m.prevLogIndex + m.entries.length;
      if (m.leaderCommit > this.commitIndex) this.advanceCommit(Math.min(m.leaderCommit, lastNew));
    }
    this.sendAfterPersist({ ...base, term: this.hs.currentTerm, success, lastLog: this.log.lastIndex() });
  }

  /** Consistency check and conflict resolution; returns whether the follower now matches the request. */
  private appendFromLeader(m: AppendEntriesRequest): boolean {
    if (m.prevLogIndex > 0) {
      if (m.prevLogIndex > this.log.lastIndex()) return false;
      const t = this.log.termAt(m.prevLogIndex);
      // Unknown term below our snapshot: those entries are committed, so they match by Log Matching.
      if (t !== undefined && t !== m.prevLogTerm) return false;
      if (t === undefined) assert(m.prevLogIndex <= this.log.snapshotIndex(), 'unknown term above snapshot');
    }
    for (let i = 0; i < m.entries.length; i++) {
      const e = m.entries[i]!;
      assertIndex(e.index, 'entry index');
      assert(e.index === m.prevLogIndex + 1 + i, 'appendEntries entries not contiguous');
      if (e.index <= this.log.snapshotIndex()) continue;
      if (e.index <= this.log.lastIndex()) {
        if (this.log.termAt(e.index) === e.term) continue;
        assert(e.index > this.commitIndex, `conflict at committed index ${e.index}`);
        this.truncateLocal(e.index);
      }
      for (let j = i; j < m.entries.length; j++) this.appendLocal(m.entries[j]!);
      break;
    }
    return true;
  }

  private onRequestVote(m: RequestVoteRequest): void {
    const candidate = this.peerId(m.from);
    const refuse = (): void =>
      this.sendAfterPersist({
        type: 'requestVoteResponse',
        from: this.self,
        to: m.from,
        term: this.hs.currentTerm,
        granted: false,
      });
    // Divergence from hashicorp 1.7, found by the simulator: we do not refuse a candidate that our own
    // (possibly stale) configuration lists as a non-voter or does not list at all. With that check a
    // re-added voter that needs the vote of a lagging peer stalls the cluster forever. Safety does not
    // depend on it (the candidate counts votes against its own configuration), and removed servers are
    // kept from disrupting by leader stickiness below and by pre-vote.
    // Leader stickiness (hashicorp divergence fix): refuse while another leader is known and alive, unless the
    // election was started by a leadership transfer.
    if (this.stickToLeader(m.from) && !m.leadershipTransfer) {
      refuse();
      return;
    }
    const skipTermCheck = this.config.mutations?.skipVoteTermCheck === true;
    if (m.term < this.hs.currentTerm && !skipTermCheck) {
      refuse();
      return;
    }
    if (m.term > this.hs.currentTerm) this.becomeFollower(m.term, NO_PEER);
    if (this.hs.lastVoteTerm === m.term && this.hs.lastVoteCandidateAddr !== '' && !skipTermCheck) {
      const same =
        this.hs.lastVoteCandidateId !== ''
          ? this.hs.lastVoteCandidateId === candidate
          : this.hs.lastVoteCandidateAddr === m.from.addr;
      if (!same) {
        refuse();
        return;
      }
      this.grantVote(m);
      return;
    }
    if (!this.candidateLogUpToDate(m.lastLogIndex, m.lastLogTerm)) {
      refuse();
      return;
    }
    this.setHardState({
      ...this.hs,
      lastVoteTerm: m.term,
      lastVoteCandidateAddr: m.from.addr,
      lastVoteCandidateId: candidate,
    });
    this.grantVote(m);
  }

  /**
   * Whether to refuse `candidate` because another leader is known and still alive. hashicorp keeps refusing until
   * this node's own randomized timer ([HT, 2HT)) fires, so after a leader dies the first survivor to time out is
   * refused by the others and the election ends only at the *latest* timer, or later still with a split vote.
   * Here the leader counts as alive only while it was heard within the base heartbeat timeout (etcd's `inLease`):
   * a live leader heartbeats far more often than that, so a disruptive or removed server is still refused, while
   * after a crash the first survivor to time out wins — failover ends at the earliest timer. A leader always
   * refuses (it is alive by definition).
   */
  private stickToLeader(candidate: Peer): boolean {
    if (this.leader.addr === '' || this.leader.addr === candidate.addr) return false;
    if (this.role === 'leader') return true;
    return this.leaderContactElapsed < this.config.heartbeatTimeoutTicks;
  }

  private grantVote(m: RequestVoteRequest): void {
    this.electionElapsed = 0;
    this.sendAfterPersist({
      type: 'requestVoteResponse',
      from: this.self,
      to: m.from,
      term: Math.max(this.hs.currentTerm, m.term),
      granted: true,
    });
  }

  private candidateLogUpToDate(lastIndex: Index, lastTerm: Term): boolean {
    const ourTerm = this.log.lastTerm();
    if (ourTerm > lastTerm) return false;
    return !(ourTerm === lastTerm && this.log.lastIndex() > lastIndex);
  }

  /** Pre-vote: answer without touching term, vote or last contact (hashicorp 1.7.2+). */
  private onRequestPreVote(m: RequestPreVoteRequest): void {
    const candidate = this.peerId(m.from);
    const granted =
      candidate !== '' &&
      !this.stickToLeader(m.from) &&
      m.term >= this.hs.currentTerm &&
      this.candidateLogUpToDate(m.lastLogIndex, m.lastLogTerm);
    this.send({
      type: 'requestPreVoteResponse',
      from: this.self,
      to: m.from,
      term: Math.max(this.hs.currentTerm, m.term),
      granted,
    });
  }

  private onInstallSnapshot(m: InstallSnapshotRequest): void {
    const reply = (success: boolean): void =>
      this.sendAfterPersist({
        type: 'installSnapshotResponse',
        from: this.self,
        to: m.from,
        term: this.hs.currentTerm,
        success,
        inReplyTo: { lastLogIndex: m.lastLogIndex },
      });
    if (m.term < this.hs.currentTerm) {
      reply(false);
      return;
    }
    if (m.term > this.hs.currentTerm || this.role !== 'follower') this.becomeFollower(m.term, m.from);
    this.setLeader({ id: this.peerId(m.from), addr: m.from.addr });
    this.electionElapsed = 0;
    this.leaderContactElapsed = 0;
    // Already have it all committed: nothing to install, and we match the leader up to that index.
    if (m.lastLogIndex <= this.commitIndex) {
      reply(true);
      return;
    }
    this.log.resetToSnapshot(m.lastLogIndex, m.lastLogTerm);
    this.unstableFrom = Number.POSITIVE_INFINITY;
    this.truncateFrom = undefined;
    this.compactThrough = undefined;
    this.stableIndex = Math.min(this.stableIndex, m.lastLogIndex);
    const snap: SnapshotToInstall = {
      index: m.lastLogIndex,
      term: m.lastLogTerm,
      configuration: m.configuration,
      configurationIndex: m.configurationIndex,
      data: m.data,
    };
    this.snapshotToInstall = snap;
    this.snapshot = snap;
    this.commitIndex = m.lastLogIndex;
    this.appliedIndex = m.lastLogIndex;
    this.latest = { configuration: m.configuration, index: m.configurationIndex };
    this.committed = this.latest;
    reply(true);
  }

  private onTimeoutNow(from: Peer): void {
    // hashicorp 1.7: no term check; the target campaigns at once, skipping pre-vote.
    this.send({ type: 'timeoutNowResponse', from: this.self, to: from, term: this.hs.currentTerm });
    if (!this.canCampaign()) return;
    this.setLeader(NO_PEER);
    this.startElection(false, true);
  }

  private onAppendEntriesResponse(m: AppendEntriesResponse): void {
    if (m.term > this.hs.currentTerm) {
      this.becomeFollower(m.term, NO_PEER);
      return;
    }
    if (this.role !== 'leader' || m.term < this.hs.currentTerm) return;
    const p = this.progress.get(this.peerId(m.from));
    if (!p) return;
    p.lastContactTick = this.tickCount;
    // A heartbeat answer only proves contact (hashicorp keeps heartbeats out of replication).
    if (m.inReplyTo.prevLogIndex === 0 && m.inReplyTo.lastIndex === 0) return;
    if (m.success) this.onAppendAccepted(p, m.inReplyTo.lastIndex);
    else this.onAppendRejected(p, m.inReplyTo.prevLogIndex, m.lastLog);
    this.flushReplication();
  }

  private onAppendAccepted(p: Progress, lastIndex: Index): void {
    if (p.state === 'replicate' && p.inflight > 0) p.inflight--;
    p.lastAckTick = this.tickCount;
    if (lastIndex > p.matchIndex) {
      p.matchIndex = lastIndex;
      this.maybeCommit();
      this.maybeSendTimeoutNow();
    }
    if (p.state !== 'replicate') {
      p.state = 'replicate';
      p.inflight = 0;
      p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
    }
    p.nextIndex = Math.max(p.nextIndex, lastIndex + 1);
  }

  private onAppendRejected(p: Progress, prevLogIndex: Index, lastLog: Index): void {
    if (prevLogIndex < p.matchIndex) return; // stale answer to an old request
    if (p.state === 'probe' && prevLogIndex !== p.nextIndex - 1) return; // answer to an earlier probe
    // hashicorp back-off: nextIndex = max(min(nextIndex − 1, LastLog + 1), 1), never below match + 1.
    p.nextIndex = Math.max(Math.min(prevLogIndex, lastLog + 1), p.matchIndex + 1, 1);
    p.state = 'probe';
    p.inflight = 0;
    p.probeSent = false;
  }

  private onVoteResponse(m: RequestVoteResponse): void {
    if (m.term > this.hs.currentTerm) {
      this.becomeFollower(m.term, NO_PEER);
      return;
    }
    const el = this.election;
    if (this.role !== 'candidate' || !el || el.preVote || m.term !== this.hs.currentTerm) return;
    this.tally(el, this.peerId(m.from), m.granted);
  }

  private onPreVoteResponse(m: RequestPreVoteResponse): void {
    const el = this.election;
    if (this.role !== 'candidate' || !el || !el.preVote) return;
    if (m.term > this.hs.currentTerm + 1) {
      this.becomeFollower(m.term, NO_PEER);
      return;
    }
    this.tally(el, this.peerId(m.from), m.granted);
  }

  private onInstallSnapshotResponse(m: InstallSnapshotResponse): void {
    if (m.term > this.hs.currentTerm) {
      this.becomeFollower(m.term, NO_PEER);
      return;
    }
    if (this.role !== 'leader' || m.term < this.hs.currentTerm) return;
    const p = this.progress.get(this.peerId(m.from));
    if (!p) return;
    p.lastContactTick = this.tickCount;
    if (p.state !== 'snapshot' || p.snapshotIndex !== m.inReplyTo.lastLogIndex) return;
    if (m.success) {
      p.matchIndex = Math.max(p.matchIndex, m.inReplyTo.lastLogIndex);
      p.nextIndex = p.matchIndex + 1;
      p.state = 'replicate';
      p.inflight = 0;
      p.lastAckTick = this.tickCount;
      this.maybeCommit();
    } else {
      progressBecomeProbe(p, this.tickCount);
    }
    this.flushReplication();
  }

  private onRpcFailure(m: RpcFailure): void {
    const id = this.peerId(m.from);
    if (m.request === 'requestPreVote') {
      const el = this.election;
      if (this.role !== 'candidate' || !el || !el.preVote) return;
      // A 1.7 peer that predates pre-vote answers "unexpected command": count it as a grant (hashicorp).
      this.tally(el, id, m.error.includes('unexpected command'));
      return;
    }
    if (this.role !== 'leader') return;
    const p = this.progress.get(id);
    if (p && (m.request === 'appendEntries' || m.request === 'installSnapshot') && p.state !== 'probe')
      progressBecomeProbe(p, this.tickCount);
  }

  // ---------------------------------------------------------------- elections

  private canCampaign(): boolean {
    return this.latest.configuration.servers.length > 0 && isVoter(this.latest.configuration, this.self.id);
  }

  private startElection(preVote: boolean, fromTransfer: boolean): void {
    const term = this.hs.currentTerm + 1;
    if (!preVote) {
      this.setHardState({
        currentTerm: term,
        lastVoteTerm: term,
        lastVoteCandidateAddr: this.self.addr,
        lastVoteCandidateId: this.self.id,
      });
    }
    this.setRole('candidate');
    this.setLeader(NO_PEER);
    this.resetElectionTimer(this.config.electionTimeoutTicks);
    const el: Election = { preVote, fromTransfer, granted: new Set(), refused: new Set() };
    this.election = el;
    for (const s of this.latest.configuration.servers) {
      if (s.id === this.self.id || !isVoter(this.latest.configuration, s.id)) continue;
      const to = { id: s.id, addr: s.address };
      const common = {
        from: this.self,
        to,
        term,
        lastLogIndex: this.log.lastIndex(),
        lastLogTerm: this.log.lastTerm(),
      };
      // RequestVote carries a promise (our self-vote and term are durable): send after persisting.
      if (preVote) this.send({ type: 'requestPreVote', ...common });
      else this.sendAfterPersist({ type: 'requestVote', ...common, leadershipTransfer: fromTransfer });
    }
    this.tally(el, this.self.id, true);
  }

  private tally(el: Election, voter: ServerId, granted: boolean): void {
    if (!isVoter(this.latest.configuration, voter)) return;
    if (el.granted.has(voter) || el.refused.has(voter)) return;
    (granted ? el.granted : el.refused).add(voter);
    const q = quorumSize(this.latest.configuration);
    if (el.granted.size >= q) {
      if (el.preVote) this.startElection(false, false);
      else this.becomeLeader();
    }
    // Refused by a quorum: wait for the election timer (hashicorp), nothing to do now.
  }

  private becomeFollower(term: Term, leader: Peer): void {
    if (term > this.hs.currentTerm) this.setHardState({ ...this.hs, currentTerm: term });
    const wasLeader = this.role === 'leader';
    // A follower keeps its timer when it only learns a higher term (hashicorp: only contact from a leader
    // or a granted vote resets it). Otherwise a candidate with a stale log, refused again and again,
    // would keep restarting the timer of the one server that could win (found by the simulator).
    if (this.role !== 'follower') this.resetElectionTimer(this.config.heartbeatTimeoutTicks);
    this.setRole('follower');
    this.election = undefined;
    if (wasLeader) this.onLeadershipLost();
    this.setLeader(leader.addr === '' ? NO_PEER : { id: this.peerId(leader), addr: leader.addr });
  }

  private onLeadershipLost(): void {
    const lost = new RaftError(RaftErrorCode.LeadershipLost);
    for (const p of this.pending) this.notify({ kind: 'failed', requestId: p.requestId, error: lost });
    this.pending = [];
    this.pendingBytes = 0;
    for (const q of this.configQueue) this.notify({ kind: 'failed', requestId: q.requestId, error: lost });
    this.configQueue = [];
    if (this.transfer) this.notify({ kind: 'transferred', requestId: this.transfer.requestId });
    this.transfer = undefined;
    this.progress.clear();
  }

  private becomeLeader(): void {
    assert(this.role === 'candidate', 'only a candidate becomes leader');
    assert(this.hs.lastVoteTerm === this.hs.currentTerm, 'leader must have voted for itself this term');
    this.setRole('leader');
    this.election = undefined;
    this.setLeader(this.self);
    this.heartbeatElapsed = 0;
    this.leaseElapsed = 0;
    this.ownTermCommitted = false;
    this.progress.clear();
    this.syncProgress();
    // The no-op lets the new leader commit earlier-term entries and unblocks configuration changes.
    this.appendLocal({
      index: this.log.lastIndex() + 1,
      term: this.hs.currentTerm,
      type: LogType.Noop,
      data: new Uint8Array(0),
    });
    this.sendHeartbeats();
    this.flushReplication();
  }

  /** Keep one Progress per server of the latest configuration (non-voters included), except self. */
  private syncProgress(): void {
    const ids = new Set<ServerId>();
    for (const s of this.latest.configuration.servers) {
      if (s.id === this.self.id) continue;
      ids.add(s.id);
      const p = this.progress.get(s.id);
      if (!p)
        this.progress.set(
          s.id,
          newProgress({ id: s.id, addr: s.address }, this.log.lastIndex(), this.tickCount),
        );
      else p.peer = { id: s.id, addr: s.address };
    }
    for (const id of [...this.progress.keys()]) if (!ids.has(id)) this.progress.delete(id);
  }

  private hasQuorumContact(): boolean {
    const cfg = this.latest.configuration;
    let contacts = isVoter(cfg, this.self.id) ? 1 : 0;
    for (const id of voterIds(cfg)) {
      const p = this.progress.get(id);
      if (p && this.tickCount - p.lastContactTick <= this.config.leaseTimeoutTicks) contacts++;
    }
    return contacts >= quorumSize(cfg);
  }

  private mostUpToDateVoter(): Peer | undefined {
    let best: Progress | undefined;
    for (const id of voterIds(this.latest.configuration)) {
      const p = this.progress.get(id);
      if (p && (!best || p.matchIndex > best.matchIndex)) best = p;
    }
    return best?.peer;
  }

  private maybeSendTimeoutNow(): void {
    const t = this.transfer;
    if (!t || t.timeoutNowSent) return;
    const p = this.progress.get(t.target.id);
    if (!p || p.matchIndex < this.log.lastIndex()) return;
    t.timeoutNowSent = true;
    this.send({ type: 'timeoutNow', from: this.self, to: p.peer, term: this.hs.currentTerm });
  }

  // ---------------------------------------------------------------- replication

  private sendHeartbeats(): void {
    for (const p of this.progress.values()) {
      this.send({
        type: 'appendEntries',
        from: this.self,
        to: p.peer,
        term: this.hs.currentTerm,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [],
        leaderCommit: 0,
      });
    }
  }

  private detectStalledReplication(): void {
    for (const p of this.progress.values()) {
      if (p.state === 'probe') p.probeSent = false;
      else if (
        (p.state === 'snapshot' || p.inflight > 0) &&
        this.tickCount - p.lastAckTick >= this.config.heartbeatTimeoutTicks
      )
        progressBecomeProbe(p, this.tickCount);
    }
  }

  /** Send whatever each follower is missing, within the pipeline bound. */
  private flushReplication(): void {
    if (this.role !== 'leader') return;
    for (const p of this.progress.values()) this.replicateTo(p);
  }

  private replicateTo(p: Progress): void {
    const last = this.log.lastIndex();
    for (let rounds = 0; rounds < this.config.appendsInflightMax + 1; rounds++) {
      if (p.state === 'snapshot') return;
      if (p.state === 'probe' && p.probeSent) return;
      if (p.state === 'replicate' && p.inflight >= this.config.appendsInflightMax) return;
      const hasEntries = p.nextIndex <= last;
      // A commit index alone waits for the commit timeout (hashicorp CommitTimeout); entries carry it anyway.
      const needCommit =
        p.commitSent < this.commitIndex &&
        this.tickCount - this.commitAdvancedTick >= (this.config.commitTimeoutTicks ?? 0);
      // Nothing to send: no new entries, commit already known, and (when probing) the match is known.
      if (!hasEntries && !needCommit && (p.state === 'replicate' || p.matchIndex === p.nextIndex - 1)) return;
      const prevLogIndex = p.nextIndex - 1;
      const prevLogTerm = this.log.termAt(prevLogIndex);
      if (prevLogTerm === undefined || (hasEntries && p.nextIndex < this.log.firstIndex())) {
        this.sendSnapshot(p);
        return;
      }
      const entries = hasEntries
        ? this.log.slice(p.nextIndex, last, this.config.maxAppendEntries, this.config.appendEntriesBytesMax)
        : [];
      this.send({
        type: 'appendEntries',
        from: this.self,
        to: p.peer,
        term: this.hs.currentTerm,
        prevLogIndex,
        prevLogTerm,
        entries,
        leaderCommit: this.commitIndex,
      });
      p.commitSent = this.commitIndex;
      if (p.state === 'probe') {
        p.probeSent = true;
        return;
      }
      if (p.inflight === 0) p.lastAckTick = this.tickCount;
      p.inflight++;
      p.nextIndex += entries.length;
      if (entries.length === 0) return;
    }
  }

  private sendSnapshot(p: Progress): void {
    const snap = this.snapshot;
    assert(snap !== undefined, `follower ${p.peer.id} needs compacted entries but there is no snapshot`);
    p.state = 'snapshot';
    p.inflight = 0;
    p.snapshotIndex = snap.index;
    p.lastAckTick = this.tickCount;
    this.send({
      type: 'installSnapshot',
      from: this.self,
      to: p.peer,
      term: this.hs.currentTerm,
      lastLogIndex: snap.index,
      lastLogTerm: snap.term,
      configuration: snap.configuration,
      configurationIndex: snap.configurationIndex,
      data: snap.data,
    });
  }

  private maybeCommit(): void {
    const cfg = this.latest.configuration;
    const matches: Index[] = [];
    for (const id of voterIds(cfg)) {
      if (id === this.self.id) matches.push(this.stableIndex);
      else matches.push(this.progress.get(id)?.matchIndex ?? 0);
    }
    if (matches.length === 0) return;
    matches.sort((a, b) => b - a);
    const q = matches[quorumSize(cfg) - 1] ?? 0;
    if (q <= this.commitIndex) return;
    const byCounting = this.config.mutations?.commitPreviousTermByCounting === true;
    if (this.log.termAt(q) !== this.hs.currentTerm && !byCounting) return;
    this.advanceCommit(q);
  }

  private advanceCommit(to: Index): void {
    if (to <= this.commitIndex) return;
    assert(to <= this.log.lastIndex(), `commit ${to} beyond last index ${this.log.lastIndex()}`);
    const from = this.commitIndex;
    this.commitIndex = to;
    this.commitAdvancedTick = this.tickCount;
    for (const e of this.log.slice(Math.max(from + 1, this.log.firstIndex()), to)) {
      if (e.type === LogType.Configuration)
        this.committed = { configuration: this.codec.decode(e.data), index: e.index };
    }
    if (this.role !== 'leader') return;
    if (this.log.termAt(to) === this.hs.currentTerm) this.ownTermCommitted = true;
    while (this.pending.length > 0 && this.pending[0]!.index <= to) {
      const p = this.pending.shift()!;
      this.pendingBytes -= p.bytes;
      this.notify({ kind: 'committed', requestId: p.requestId, index: p.index });
    }
    if (!isVoter(this.committed.configuration, this.self.id) && this.committed.index === this.latest.index) {
      // A leader that removed (or demoted) itself steps down once that configuration commits.
      this.becomeFollower(this.hs.currentTerm, NO_PEER);
      if (!this.removedNotified) this.notify({ kind: 'removed' });
      this.removedNotified = true;
      return;
    }
    this.processConfigQueue();
  }

  private processConfigQueue(): void {
    while (this.role === 'leader' && this.configQueue.length > 0) {
      if (this.latest.index !== this.committed.index || !this.ownTermCommitted) return;
      const q = this.configQueue.shift()!;
      if (q.prevIndex !== 0 && q.prevIndex !== this.latest.index) {
        this.notify({
          kind: 'failed',
          requestId: q.requestId,
          error: configurationChangedError(q.prevIndex, this.latest.index),
        });
        continue;
      }
      const next = nextConfiguration(this.latest.configuration, q.change);
      if (next instanceof RaftError) {
        this.notify({ kind: 'failed', requestId: q.requestId, error: next });
        continue;
      }
      const index = this.log.lastIndex() + 1;
      this.appendLocal({
        index,
        term: this.hs.currentTerm,
        type: LogType.Configuration,
        data: this.codec.encode(next),
      });
      this.addPending(index, q.requestId, 0);
      this.syncProgress();
      this.maybeCommit();
      this.flushReplication();
    }
  }

  private addPending(index: Index, requestId: RequestId, bytes: number): void {
    this.pending.push({ index, requestId, bytes });
    this.pendingBytes += bytes;
  }

  private leaderRefusal(): RaftError | undefined {
    if (this.role !== 'leader') return new RaftError(RaftErrorCode.NotLeader);
    if (this.transfer) return new RaftError(RaftErrorCode.LeadershipTransferInProgress);
    return undefined;
  }

  // ---------------------------------------------------------------- log and state mutation

  private appendLocal(e: LogEntry): void {
    this.log.append(e);
    this.unstableFrom = Math.min(this.unstableFrom, e.index);
    if (e.type === LogType.Configuration) {
      this.latest = { configuration: this.codec.decode(e.data), index: e.index };
      if (this.role === 'leader') this.syncProgress();
    }
  }

  private truncateLocal(from: Index): void {
    assert(from > this.commitIndex, 'cannot truncate committed entries');
    this.log.truncateFrom(from);
    this.truncateFrom = Math.min(this.truncateFrom ?? from, from);
    this.unstableFrom = Math.min(this.unstableFrom, from);
    this.stableIndex = Math.min(this.stableIndex, from - 1);
    if (this.latest.index >= from) this.latest = this.committed;
  }

  private setHardState(hs: HardState): void {
    assert(hs.currentTerm >= this.hs.currentTerm, 'term never decreases');
    this.hs = hs;
    this.hsDirty = true;
  }

  private setRole(role: RaftRole): void {
    if (this.role === role) return;
    this.role = role;
    this.notify({ kind: 'roleChanged', role, term: this.hs.currentTerm });
  }

  private setLeader(p: Peer): void {
    if (this.leader.id === p.id && this.leader.addr === p.addr) return;
    this.leader = p;
    this.notify({
      kind: 'leaderChanged',
      leaderId: p.id,
      leaderAddr: p.addr,
      isLeader: p.id === this.self.id && p.id !== '',
      term: this.hs.currentTerm,
    });
  }

  private resetElectionTimer(baseTicks: number): void {
    this.electionElapsed = 0;
    this.electionTimeout = randomTimeoutTicks(this.rng, baseTicks);
  }

  private send(m: RaftMessage): void {
    this.messagesNow.push(m);
  }

  private sendAfterPersist(m: RaftMessage): void {
    this.messagesAfterPersist.push(m);
  }

  private notify(n: Notification): void {
    this.notifications.push(n);
  }

  // ---------------------------------------------------------------- Ready

  hasReady(): boolean {
    if (this.readyOutstanding) return false;
    return (
      this.hsDirty ||
      this.snapshotToInstall !== undefined ||
      this.unstableFrom <= this.log.lastIndex() ||
      this.truncateFrom !== undefined ||
      this.compactThrough !== undefined ||
      this.messagesNow.length > 0 ||
      this.messagesAfterPersist.length > 0 ||
      this.notifications.length > 0 ||
      this.appliedIndex < Math.min(this.commitIndex, this.log.lastIndex())
    );
  }

  /** Take the next batch. Only one may be outstanding: call onPersisted(number) first. */
  ready(): Ready {
    assert(this.readyOutstanding === undefined, 'previous Ready not yet acknowledged');
    const number = ++this.readyNumber;
    const last = this.log.lastIndex();
    const entries = this.unstableFrom <= last ? this.log.slice(this.unstableFrom, last) : [];
    const applyTo = Math.min(this.commitIndex, last);
    const committedEntries =
      this.appliedIndex < applyTo
        ? this.log.slice(Math.max(this.appliedIndex + 1, this.log.firstIndex()), applyTo)
        : [];
    if (committedEntries.length > 0) {
      assert(
        committedEntries[0]!.index === this.appliedIndex + 1,
        'committed entries must follow the applied index',
      );
      this.appliedIndex = applyTo;
    }
    const r: Ready = {
      number,
      hardState: this.hsDirty ? this.hs : undefined,
      snapshot: this.snapshotToInstall,
      logTruncateFrom: this.truncateFrom,
      entries,
      compactThrough: this.compactThrough,
      messagesNow: this.messagesNow,
      messagesAfterPersist: this.messagesAfterPersist,
      committedEntries,
      notifications: this.notifications,
    };
    this.readyOutstanding = {
      number,
      lastIndex: last,
      lastTerm: this.log.lastTerm(),
      stable: this.stableIndex,
    };
    this.hsDirty = false;
    this.snapshotToInstall = undefined;
    this.unstableFrom = Number.POSITIVE_INFINITY;
    this.truncateFrom = undefined;
    this.compactThrough = undefined;
    this.messagesNow = [];
    this.messagesAfterPersist = [];
    this.notifications = [];
    return r;
  }

  /** The host made Ready `number` durable (and applied its committed entries). */
  onPersisted(number: number): void {
    const o = this.readyOutstanding;
    assert(
      o !== undefined && o.number === number,
      `onPersisted(${number}) does not match the outstanding Ready`,
    );
    this.readyOutstanding = undefined;
    // Applied and durable entries may lose their cached data (re-read from storage if a follower lags).
    this.log.evict(Math.min(this.appliedIndex, this.stableIndex), this.config.entryCacheBytesMax ?? Infinity);
    if (this.log.termAt(o.lastIndex) === o.lastTerm && o.lastIndex > this.stableIndex) {
      this.stableIndex = Math.min(o.lastIndex, this.log.lastIndex());
      if (this.role === 'leader') {
        this.maybeCommit();
        this.flushReplication();
      }
    }
  }
}
