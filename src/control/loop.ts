/**
 * The control loop (Go `OpConductor.loop`/`loopAction`/`action`): one event at a time, in order —
 * health reports, leadership changes, pause/resume requests and queued actions — until shutdown.
 *
 * Invariants:
 * - Events are handled strictly one at a time; while an action awaits op-node, the state stays
 *   readable (RPC answers from `state` synchronously and never waits for the loop, spec §5.9).
 * - A failed action waits a random 0..retryBackoffMaxMs-1 ms inside the loop (as Go does), then logs
 *   `failed to execute step, queueing another one to retry` and queues one action; `prevState` is only
 *   updated by a successful action, with the entry snapshot.
 * - The wedge-fix timers are measured with the injected clock and reset by any successful action:
 *   `catchUpSinceMs` starts at the first start attempt that failed on an unsafe-head mismatch;
 *   `lastProgressAtMs` is the last time the EL head advanced while waiting for recovery.
 * - A head repair (queued when the FSM refused a conflicting payload) runs between events like any
 *   other and never changes leadership or sequencer state; it only posts the committed head to op-node.
 * - `stop()` closes the mailbox and resolves once the current event (if any) has finished.
 */
import type { Consensus } from '../consensus/consensus.ts';
import type { HealthError } from '../health/errors.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { type Action, decide, decideInputFrom } from './decide.ts';
import { controlError, errorText, isControlError, multiError, toError } from './errors.ts';
import { type LoopEvent, Mailbox } from './mailbox.ts';
import { SequencerActions } from './sequencer-actions.ts';
import type { SequencerControl } from './sequencer-control.ts';
import { type ControlState, formatSnapshot, snapshotOf, snapshotsEqual } from './state.ts';

/** Go's retry backoff is `rand.Intn(2000)` ms. */
export const retryBackoffMaxMsDefault = 2000;
/** How long a new leader may fail to start on an unsafe-head mismatch before handing over (optimism#22143). */
export const catchUpTimeoutMsDefault = 10_000;
/** How long a rescued leader may wait for recovery while its EL head does not advance (optimism#18845). */
export const recoveryStallTimeoutMsDefault = 30_000;

/** Go `rand.Intn(max)` from a uniform [0, 1) source: an integer in 0..maxMs-1. */
export function retryBackoffDelayMs(rng: () => number, maxMs: number): number {
  return Math.min(maxMs - 1, Math.max(0, Math.floor(rng() * maxMs)));
}

/**
 * Lets tests run one event at a time (Go's service_test replaces loopActionFn with a gated version).
 * Production passes none.
 */
export interface LoopStepGate {
  /** Awaited before the loop takes its next event; must resolve when `signal` aborts. */
  beforeEvent(signal: AbortSignal): Promise<void>;
  /** Called after each event has been fully handled. */
  afterEvent(): void;
}

export interface ControlLoopOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly consensus: Consensus;
  readonly sequencer: SequencerControl;
  readonly state: ControlState;
  readonly serverId: string;
  readonly rollupBoostEnabled: boolean;
  readonly shutdownSignal: AbortSignal;
  /** Uniform [0, 1); default Math.random. */
  readonly rng?: () => number;
  readonly retryBackoffMaxMs?: number;
  readonly catchUpTimeoutMs?: number;
  readonly recoveryStallTimeoutMs?: number;
  /** Monotonic milliseconds; default performance.now. */
  readonly now?: () => number;
  readonly stepGate?: LoopStepGate;
}

export class ControlLoop {
  readonly state: ControlState;
  private readonly mailbox = new Mailbox();
  private readonly actions: SequencerActions;
  private readonly rng: () => number;
  private readonly now: () => number;
  private readonly retryBackoffMaxMs: number;
  private readonly catchUpTimeoutMs: number;
  private readonly recoveryStallTimeoutMs: number;
  private running: Promise<void> | undefined;
  private catchUpSinceMs: number | undefined;
  private lastProgressAtMs: number | undefined;
  private lastSeenBlockNumber: bigint | undefined;

  constructor(private readonly options: ControlLoopOptions) {
    this.state = options.state;
    this.rng = options.rng ?? Math.random;
    this.now = options.now ?? (() => performance.now());
    this.retryBackoffMaxMs = options.retryBackoffMaxMs ?? retryBackoffMaxMsDefault;
    this.catchUpTimeoutMs = options.catchUpTimeoutMs ?? catchUpTimeoutMsDefault;
    this.recoveryStallTimeoutMs = options.recoveryStallTimeoutMs ?? recoveryStallTimeoutMsDefault;
    this.actions = new SequencerActions({
      logger: options.logger,
      metrics: options.metrics,
      consensus: options.consensus,
      sequencer: options.sequencer,
      state: options.state,
      serverId: options.serverId,
      shutdownSignal: options.shutdownSignal,
    });
  }

  /** Events waiting for the loop (tests use it to avoid stepping an empty inbox). */
  get pendingEvents(): number {
    return this.mailbox.size;
  }

  get isRunning(): boolean {
    return this.running !== undefined && !this.mailbox.isClosed;
  }

  queueAction(): void {
    this.mailbox.queueAction();
  }

  /** The FSM refused a payload from our op-node as conflicting: check and repair its head in turn. */
  queueHeadRepair(): void {
    this.mailbox.queueHeadRepair();
  }

  pushHealth(err: HealthError | null): void {
    this.mailbox.pushHealth(err);
  }

  pushLeader(leader: boolean): void {
    this.mailbox.pushLeader(leader);
  }

  /**
   * Ask the loop to pause or resume; resolves once the loop has taken the request. Rejects with
   * `timeoutError` when `signal` aborts first or the loop is gone.
   */
  request(
    type: 'pause' | 'resume',
    signal: AbortSignal | undefined,
    timeoutError: () => Error,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(timeoutError());
      const onAbort = (): void => {
        if (this.mailbox.withdraw(event)) reject(timeoutError());
      };
      const event: Extract<LoopEvent, { type: 'pause' | 'resume' }> = {
        type,
        ack: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        refuse: () => {
          signal?.removeEventListener('abort', onAbort);
          reject(timeoutError());
        },
      };
      if (!this.mailbox.pushRequest(event)) return reject(timeoutError());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  start(): void {
    if (this.running) return;
    this.running = this.run();
  }

  /** Close the inbox and wait for the current event to finish (Go: shutdownCancel + wg.Wait). */
  async stop(): Promise<void> {
    this.mailbox.close();
    await this.running;
  }

  private async run(): Promise<void> {
    const signal = this.options.shutdownSignal;
    const gate = this.options.stepGate;
    while (!this.mailbox.isClosed && !signal.aborted) {
      if (gate) await gate.beforeEvent(signal);
      const event = await this.mailbox.take();
      if (event === undefined) break;
      const startMs = this.now();
      try {
        await this.handle(event);
      } catch (e) {
        // Handlers catch their own failures; anything here is a bug, logged so the loop keeps running.
        this.options.logger.error({ err: errorText(e) }, 'control loop event failed');
      }
      this.options.metrics.loopExecutionTime.observe(Math.max(0, this.now() - startMs) / 1000);
      gate?.afterEvent();
    }
  }

  private async handle(event: LoopEvent): Promise<void> {
    switch (event.type) {
      case 'health':
        return this.handleHealthUpdate(event.err);
      case 'leader':
        return this.handleLeaderUpdate(event.leader);
      case 'pause':
        this.state.paused = true;
        event.ack();
        return;
      case 'resume':
        this.state.paused = false;
        event.ack();
        this.queueAction();
        return;
      case 'action':
        return this.action();
      case 'repairHead':
        return this.repairHead();
    }
  }

  /**
   * Only a sequencing leader's op-node offers payloads, so only then is there a head to repair. A
   * failure is logged, not retried: the next refused payload asks again, and a head that stays stuck
   * turns the health check's unsafe-head age red, which the decision table handles.
   */
  private async repairHead(): Promise<void> {
    if (this.state.paused || !this.state.leader || !this.state.seqActive) return;
    try {
      await this.actions.repairUnsafeHead();
    } catch (e) {
      this.options.logger.error({ err: errorText(e) }, 'failed to repair the unsafe head of op-node');
    }
  }

  private handleLeaderUpdate(leader: boolean): void {
    this.options.logger.info({ server: this.options.serverId, leader }, 'Leadership status changed');
    this.state.leader = leader;
    this.queueAction();
  }

  private handleHealthUpdate(hcerr: HealthError | null): void {
    const { logger, serverId } = this.options;
    logger.debug(
      { server: serverId, error: hcerr === null ? null : hcerr.message },
      'received health update',
    );
    const healthy = hcerr === null;
    if (hcerr !== null) {
      logger.error({ server: serverId, err: hcerr.message }, 'Sequencer is unhealthy');
      this.queueAction();
    }
    const old = this.state.healthy;
    this.state.healthy = healthy;
    if (old !== healthy) {
      logger.info({ old, new: healthy }, 'Health state changed');
      this.queueAction();
    }
    this.state.hcerr = hcerr;
  }

  /** Go `action()`: bring the sequencer to the desired state; queue a retry on failure. */
  private async action(): Promise<void> {
    if (this.state.paused) return;
    const { logger, metrics } = this.options;
    const status = snapshotOf(this.state);
    const nowMs = this.now();
    const decision = decide(
      decideInputFrom(this.state, {
        rollupBoostEnabled: this.options.rollupBoostEnabled,
        catchUpExpired:
          this.catchUpSinceMs !== undefined && nowMs - this.catchUpSinceMs >= this.catchUpTimeoutMs,
        recoveryWaitExpired:
          this.lastProgressAtMs !== undefined && nowMs - this.lastProgressAtMs >= this.recoveryStallTimeoutMs,
      }),
    );
    logger.debug({ status: formatSnapshot(status), action: decision.kind }, 'entering action with status');

    let err: Error | undefined;
    try {
      await this.execute(decision, nowMs);
    } catch (e) {
      err = toError(e);
    }
    logger.debug(
      { status: formatSnapshot(status), err: err === undefined ? null : err.message },
      'exiting action with status and error',
    );

    if (err !== undefined) {
      this.noteFailure(decision, err, nowMs);
      const proceed = await this.retryBackoff();
      if (!proceed) return;
      logger.error(
        { err: err.message, status: formatSnapshot(status) },
        'failed to execute step, queueing another one to retry',
      );
      this.queueAction();
      return;
    }

    this.resetWedgeTimers();
    if (!snapshotsEqual(status, this.state.prevState)) {
      logger.info(
        { prev_state: formatSnapshot(this.state.prevState), new_state: formatSnapshot(status) },
        'state changed',
      );
      this.state.prevState = status;
      metrics.stateChanges.inc({
        leader: String(status.leader),
        healthy: String(status.healthy),
        active: String(status.active),
      });
    }
  }

  private async execute(decision: Action, nowMs: number): Promise<void> {
    const { logger, serverId } = this.options;
    switch (decision.kind) {
      case 'paused':
      case 'none':
        return;
      case 'logUnhealthyFollower':
        logger.error({ server: serverId }, 'server (follower) is not healthy');
        return;
      case 'stop':
        return this.actions.stopSequencer();
      case 'start':
        return this.actions.startSequencer();
      case 'startElseTransfer':
        try {
          await this.actions.startSequencer();
          return;
        } catch (e) {
          logger.error(
            { server: serverId, err: errorText(e) },
            'failed to start sequencer, transferring leadership instead',
          );
        }
        return this.actions.transferLeader();
      case 'transfer':
        if (decision.reason === 'catchUpTimeout') {
          logger.warn(
            { server: serverId, waited_ms: Math.round(nowMs - (this.catchUpSinceMs ?? nowMs)) },
            'sequencer could not catch up with the unsafe head in consensus, transferring leadership',
          );
        }
        return this.actions.transferLeader();
      case 'waitForRecovery':
        await this.observeRecoveryProgress(nowMs);
        throw controlError('WAITING_FOR_RECOVERY');
      case 'stopThenTransfer':
        if (decision.reason === 'recoveryStalled') {
          logger.warn(
            { server: serverId, stalled_ms: Math.round(nowMs - (this.lastProgressAtMs ?? nowMs)) },
            'sequencer is not recovering by itself, transferring leadership',
          );
        }
        return this.stopThenTransfer();
    }
  }

  /** Case 6: stop, then transfer regardless of the stop result; errors combined (Go multierror). */
  private async stopThenTransfer(): Promise<void> {
    const errors: Error[] = [];
    try {
      await this.actions.stopSequencer();
    } catch (e) {
      errors.push(toError(e));
    }
    try {
      await this.actions.transferLeader();
    } catch (e) {
      errors.push(toError(e));
    }
    const combined = multiError(errors);
    if (combined) throw combined;
  }

  /** While waiting for recovery, remember when the EL head last advanced. */
  private async observeRecoveryProgress(nowMs: number): Promise<void> {
    const n = await this.actions.latestBlockNumber();
    const advanced =
      n !== undefined && (this.lastSeenBlockNumber === undefined || n > this.lastSeenBlockNumber);
    if (advanced) this.lastSeenBlockNumber = n;
    if (advanced || this.lastProgressAtMs === undefined) this.lastProgressAtMs = nowMs;
  }

  private noteFailure(decision: Action, err: Error, nowMs: number): void {
    const startFailedOnMismatch =
      decision.kind === 'start' &&
      isControlError(err, 'UNSAFE_HEAD_MISMATCH') &&
      this.catchUpSinceMs === undefined;
    if (startFailedOnMismatch) this.catchUpSinceMs = nowMs;
  }

  private resetWedgeTimers(): void {
    this.catchUpSinceMs = undefined;
    this.lastProgressAtMs = undefined;
    this.lastSeenBlockNumber = undefined;
  }

  /** Wait 0..retryBackoffMaxMs-1 ms; false if shutdown came first. */
  private retryBackoff(): Promise<boolean> {
    const signal = this.options.shutdownSignal;
    const delayMs = retryBackoffDelayMs(this.rng, this.retryBackoffMaxMs);
    if (signal.aborted || this.mailbox.isClosed) return Promise.resolve(false);
    if (delayMs <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, delayMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
