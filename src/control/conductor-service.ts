/**
 * The conductor service object (Go `OpConductor`): owns the control loop, answers the RPC surface
 * (`ConductorApi`), runs the startup handshake and the ordered, idempotent shutdown.
 *
 * Invariants:
 * - Every read (`leader`, `paused`, `sequencerHealthy`, …) answers synchronously from current state and
 *   never waits for the loop, so op-node's `conductor_leader` call-back during `admin_startSequencer`
 *   is answered at once (spec §5.9).
 * - `pause`/`resume` wait for the loop to take them, bounded by the caller's AbortSignal (Go's request
 *   context) → `timeout to pause conductor` / `timeout to resume conductor`; after stop they fail at once.
 * - The leader override changes RPC answers only; the loop decides on the raw raft flag.
 * - `stop()` order (spec §5.8): loop → flashblocks → RPC server → health monitor → consensus → metrics
 *   server. Errors are aggregated; `stopped()` becomes true only when every part stopped cleanly, so a
 *   failed stop can be retried. Concurrent callers share one stop.
 * - Consensus and health subscriptions are taken in the constructor, so a leadership change reported
 *   before `start()` is buffered in the mailbox rather than lost (Go's buffered LeaderCh).
 */
import type { ClusterMembership, Consensus, EncodedPayload, ServerInfo } from '../consensus/consensus.ts';
import { isUnsafePayloadConflict } from '../fsm/unsafe-payload-conflict-error.ts';
import type { HealthError } from '../health/errors.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { isRaftError, RaftErrorCode } from '../raft/core/errors.ts';
import type { ConductorApi } from '../rpc/conductor-api.ts';
import { controlError, errorText, multiError, toError, wrapError } from './errors.ts';
import { awaitConductorEnabled, fetchSequencerActive } from './handshake.ts';
import { ControlLoop, type LoopStepGate } from './loop.ts';
import type { SequencerControl } from './sequencer-control.ts';
import { type ControlState, initialControlState, snapshotOf } from './state.ts';

/** What the conductor needs from the health monitor (implemented in src/health). */
export interface HealthSource {
  /**
   * Every verdict: null when healthy, the HealthError otherwise. If it returns a function, that function
   * unsubscribes (called at stop); any other return value is ignored.
   */
  onHealth(cb: (err: HealthError | null) => void): unknown;
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

/** A part the composition root owns whose shutdown belongs in the conductor's ordered stop. */
export interface Stoppable {
  stop(): Promise<void> | void;
}

export interface ConductorStoppables {
  readonly flashblocks?: Stoppable;
  readonly rpcServer?: Stoppable;
  readonly metricsServer?: Stoppable;
}

export interface ConductorServiceOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly consensus: Consensus;
  readonly sequencer: SequencerControl;
  readonly health: HealthSource;
  readonly serverId: string;
  /** `--paused`. */
  readonly paused?: boolean;
  /** Set by the composition root after a fresh raft bootstrap: start paused, with Go's warning. */
  readonly pausedAfterBootstrap?: boolean;
  /** Either rollup-boost health flavour is enabled (affects wait-for-recovery). */
  readonly rollupBoostEnabled: boolean;
  /** Sets `op_conductor_info{version}` and `op_conductor_up` at start when given. */
  readonly version?: string;
  readonly rng?: () => number;
  readonly retryBackoffMaxMs?: number;
  readonly catchUpTimeoutMs?: number;
  readonly recoveryStallTimeoutMs?: number;
  readonly handshakeAttempts?: number;
  readonly handshakeBackoffMs?: number;
  readonly now?: () => number;
  /** Test hook: run the loop one event at a time. */
  readonly stepGate?: LoopStepGate;
}

const LEADER_OVERRIDDEN: ServerInfo = { id: 'N/A (Leader overridden)', addr: 'N/A', suffrage: 0 };

export class ConductorService implements ConductorApi {
  /** The control loop (exposed for tests and diagnostics; its `state` is the conductor's state). */
  readonly loop: ControlLoop;
  private readonly state: ControlState;
  private readonly shutdown = new AbortController();
  private readonly unsubscribe: (() => void)[] = [];
  private stoppables: ConductorStoppables = {};
  private healthStarted = false;
  private isStopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: ConductorServiceOptions) {
    const { logger, consensus, health } = options;
    this.state = initialControlState(options.paused ?? false);
    if (options.pausedAfterBootstrap) {
      logger.warn('Raft cluster bootstrapped, pausing conductor.');
      this.state.paused = true;
    }
    this.loop = new ControlLoop({
      logger,
      metrics: options.metrics,
      consensus,
      sequencer: options.sequencer,
      state: this.state,
      serverId: options.serverId,
      rollupBoostEnabled: options.rollupBoostEnabled,
      shutdownSignal: this.shutdown.signal,
      rng: options.rng,
      retryBackoffMaxMs: options.retryBackoffMaxMs,
      catchUpTimeoutMs: options.catchUpTimeoutMs,
      recoveryStallTimeoutMs: options.recoveryStallTimeoutMs,
      now: options.now,
      stepGate: options.stepGate,
    });
    this.unsubscribe.push(consensus.onLeaderChange((leader) => this.loop.pushLeader(leader)));
    const off = health.onHealth((err) => this.loop.pushHealth(err));
    if (typeof off === 'function') this.unsubscribe.push(() => (off as () => void)());
  }

  /** Register the parts whose shutdown the conductor orders (the RPC server needs the service first). */
  attachStoppables(stoppables: ConductorStoppables): void {
    this.stoppables = { ...this.stoppables, ...stoppables };
  }

  /**
   * Handshake with op-node, start the health monitor and the loop, record prevState and queue one
   * action. A handshake failure releases everything (stop) and rethrows the handshake error alone
   * unless the cleanup also failed (then both, aggregated — Go's TestHandleInitError contract).
   */
  async start(): Promise<void> {
    const { logger, sequencer, metrics } = this.options;
    try {
      await awaitConductorEnabled({
        sequencer,
        logger,
        attempts: this.options.handshakeAttempts,
        backoffMs: this.options.handshakeBackoffMs,
        signal: this.shutdown.signal,
      });
      this.state.seqActive = await fetchSequencerActive(sequencer, logger, this.shutdown.signal);
    } catch (e) {
      const initErr = wrapError('failed to initialize sequencer control', e);
      logger.error({ err: initErr.message }, 'failed to initialize OpConductor');
      try {
        await this.stop();
      } catch (closeErr) {
        throw multiError([initErr, toError(closeErr)]);
      }
      throw initErr;
    }

    logger.info('starting OpConductor');
    try {
      await this.options.health.start();
      this.healthStarted = true;
    } catch (e) {
      throw wrapError('failed to start health monitor', e);
    }
    this.loop.start();
    if (this.options.version !== undefined) {
      metrics.info.set({ version: this.options.version }, 1);
      metrics.up.set(1);
    }
    logger.info('OpConductor started');
    this.state.prevState = snapshotOf(this.state);
    this.loop.queueAction();
  }

  stop(): Promise<void> {
    if (this.isStopped) {
      this.options.logger.info('OpConductor already stopped');
      return Promise.resolve();
    }
    if (this.stopping) return this.stopping;
    this.stopping = this.stopOnce().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    const { logger, consensus, health } = this.options;
    logger.info('stopping OpConductor');
    this.shutdown.abort();
    await this.loop.stop();
    for (const off of this.unsubscribe.splice(0)) off();

    const errors: Error[] = [];
    const attempt = async (label: string | undefined, fn: () => Promise<void> | void): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        // Go's flashblocks Stop returns nothing; its failures are only logged.
        if (label === undefined) logger.error({ err: errorText(e) }, 'failed to stop flashblocks handler');
        else errors.push(wrapError(label, e));
      }
    };
    const { flashblocks, rpcServer, metricsServer } = this.stoppables;
    if (flashblocks) {
      logger.info('stopping flashblocks handler');
      await attempt(undefined, () => flashblocks.stop());
    }
    if (rpcServer) await attempt('failed to stop rpc server', () => rpcServer.stop());
    if (this.healthStarted) {
      await attempt('failed to stop health monitor', async () => {
        await health.stop();
        this.healthStarted = false;
      });
    }
    await attempt('failed to shutdown consensus', () => consensus.shutdown());
    if (metricsServer) await attempt('failed to stop metrics server', () => metricsServer.stop());

    const combined = multiError(errors);
    if (combined) {
      logger.error({ err: combined.message }, 'failed to stop OpConductor');
      throw combined;
    }
    this.isStopped = true;
    logger.info('OpConductor stopped');
  }

  stopped(): boolean {
    return this.isStopped;
  }

  async pause(signal?: AbortSignal): Promise<void> {
    await this.loop.request('pause', signal, () => controlError('PAUSE_TIMEOUT'));
    this.options.logger.info('OpConductor has been paused');
  }

  /** Refresh seqActive from op-node first (Go), then let the loop unpause and queue an action. */
  async resume(signal?: AbortSignal): Promise<void> {
    try {
      this.state.seqActive = await fetchSequencerActive(
        this.options.sequencer,
        this.options.logger,
        this.shutdown.signal,
      );
    } catch (e) {
      throw wrapError('cannot resume because failed to get sequencer active status', e);
    }
    await this.loop.request('resume', signal, () => controlError('RESUME_TIMEOUT'));
    this.options.logger.info('OpConductor has been resumed');
  }

  paused(): boolean {
    return this.state.paused;
  }

  active(): boolean {
    return !this.isStopped && !this.state.paused;
  }

  sequencerHealthy(): boolean {
    return this.state.healthy;
  }

  overrideLeader(override: boolean): void {
    this.state.leaderOverride = override;
  }

  leaderOverridden(): boolean {
    return this.state.leaderOverride;
  }

  leader(): boolean {
    return this.state.leaderOverride || this.options.consensus.leader();
  }

  leaderWithId(): ServerInfo {
    if (this.state.leaderOverride) return { ...LEADER_OVERRIDDEN };
    return this.options.consensus.leaderWithId();
  }

  addServerAsVoter(id: string, addr: string, version: number): Promise<void> {
    return this.options.consensus.addVoter(id, addr, version);
  }

  addServerAsNonvoter(id: string, addr: string, version: number): Promise<void> {
    return this.options.consensus.addNonVoter(id, addr, version);
  }

  removeServer(id: string, version: number): Promise<void> {
    return this.options.consensus.removeServer(id, version);
  }

  /** Not-leader is success, as in Go (the raft wrapper swallows it; this guards any that get through). */
  async transferLeader(): Promise<void> {
    try {
      await this.options.consensus.transferLeader();
    } catch (e) {
      if (isRaftError(e, RaftErrorCode.NotLeader)) return;
      throw e;
    }
  }

  transferLeaderToServer(id: string, addr: string): Promise<void> {
    return this.options.consensus.transferLeaderTo(id, addr);
  }

  clusterMembership(): Promise<ClusterMembership> {
    return this.options.consensus.clusterMembership();
  }

  /**
   * Not gated by pause or override (Go). A payload the FSM refused as conflicting also queues a repair
   * of op-node's head (see loop).
   */
  async commitUnsafePayload(payload: EncodedPayload): Promise<void> {
    try {
      await this.options.consensus.commitUnsafePayload(payload);
    } catch (e) {
      if (isUnsafePayloadConflict(e)) this.loop.queueHeadRepair();
      throw e;
    }
  }
}
