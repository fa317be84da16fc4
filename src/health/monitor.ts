/**
 * The health poller (Go `health/monitor.go` SequencerHealthMonitor): every `intervalSec` it gathers
 * observations in Go's order, stopping at the first failure (later endpoints are not called), asks the
 * pure `diagnoseHealth` for the verdict, records `op_conductor_healthchecks_count{success,error}`,
 * logs as Go does and reports the verdict (null = healthy) to every `onHealth` listener.
 *
 * Invariants: the first check runs one interval after start(); checks never overlap — a tick that
 * fires while a check is running is remembered once (like Go's ticker channel of capacity 1) and the
 * rest are dropped; stop() clears the timer, aborts in-flight calls and waits for the running check.
 */
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import {
  diagnoseHealth,
  type HealthFailure,
  type HealthObservations,
  type HealthThresholds,
} from './checks.ts';
import type { HealthError } from './errors.ts';
import type {
  ElP2pSource,
  NodeHealthSource,
  RollupBoostHealthSource,
  RollupBoostStatus,
  SupervisorHealthSource,
} from './sources.ts';
import { TimeBoundCounter } from './time-bound-counter.ts';

export interface MonitorThresholds extends HealthThresholds {
  /** Partial rollup-boost reports tolerated per window; 0 = none tolerated. */
  readonly rollupBoostPartialToleranceLimit?: number;
  readonly rollupBoostPartialToleranceIntervalSec?: number;
}

export interface HealthMonitorOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Seconds between checks (fractions allowed, for tests). */
  readonly intervalSec: number;
  readonly node: NodeHealthSource;
  readonly el?: ElP2pSource;
  readonly supervisor?: SupervisorHealthSource;
  readonly rollupBoost?: RollupBoostHealthSource;
  readonly thresholds: MonitorThresholds;
  /** Unix seconds (injectable for tests). */
  readonly now?: () => number;
  /** Overrides the tolerance counter built from the thresholds (tests). */
  readonly partialToleranceCounter?: TimeBoundCounter;
}

export type HealthListener = (err: HealthError | null) => void;

const unixNowSec = () => Math.floor(Date.now() / 1000);

function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (e: unknown) => ({ ok: false as const, error: e instanceof Error ? e : new Error(String(e)) }),
  );
}

export class HealthMonitor {
  readonly #o: HealthMonitorOptions;
  readonly #now: () => number;
  readonly #counter: TimeBoundCounter | undefined;
  readonly #listeners = new Set<HealthListener>();
  #timer: NodeJS.Timeout | undefined;
  #abort = new AbortController();
  #running: Promise<void> | undefined;
  #pendingTick = false;
  #stopped = false;
  #lastSeenUnsafeNum = 0;
  #lastSeenUnsafeTime = 0;

  constructor(opts: HealthMonitorOptions) {
    if (!(opts.intervalSec > 0)) throw new Error('health check interval must be positive');
    this.#o = opts;
    this.#now = opts.now ?? unixNowSec;
    const limit = opts.thresholds.rollupBoostPartialToleranceLimit ?? 0;
    this.#counter =
      opts.partialToleranceCounter ??
      (limit > 0
        ? new TimeBoundCounter(opts.thresholds.rollupBoostPartialToleranceIntervalSec ?? 0, limit, this.#now)
        : undefined);
  }

  /** Highest unsafe block number seen and the time it was first seen (tracked, not used for the verdict). */
  get lastSeenUnsafeNum(): number {
    return this.#lastSeenUnsafeNum;
  }
  get lastSeenUnsafeTime(): number {
    return this.#lastSeenUnsafeTime;
  }

  onHealth(cb: HealthListener): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#o.logger.info('starting health monitor');
    this.#timer = setInterval(() => this.#tick(), this.#o.intervalSec * 1000);
    this.#o.logger.info('health monitor started');
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#o.logger.info('stopping health monitor');
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#abort.abort();
    await this.#running;
    this.#o.logger.info('health monitor stopped');
  }

  #tick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#pendingTick = true;
      return;
    }
    this.#running = this.#runOnce().finally(() => {
      this.#running = undefined;
      if (this.#pendingTick && !this.#stopped) {
        this.#pendingTick = false;
        this.#tick();
      }
    });
  }

  async #runOnce(): Promise<void> {
    let failure: HealthFailure | null;
    try {
      failure = await this.#check(this.#abort.signal);
    } catch (e) {
      // Defensive: sources are wrapped in outcome(), so this is a bug; report it as unhealthy.
      this.#o.logger.error({ err: e }, 'health check crashed');
      return;
    }
    if (this.#stopped) return;
    const err = failure?.error ?? null;
    this.#o.metrics.healthChecks.inc({ success: String(err === null), error: err?.message ?? '' });
    if (failure) {
      this.#o.logger[failure.level](failure.fields, failure.log);
    } else {
      this.#o.logger.info('sequencer is healthy');
    }
    for (const cb of this.#listeners) {
      try {
        cb(err);
      } catch (e) {
        this.#o.logger.error({ err: e }, 'health listener threw');
      }
    }
  }

  /** One health check in Go's order; returns the failure or null. */
  async #check(signal: AbortSignal): Promise<HealthFailure | null> {
    const { node, supervisor, el, rollupBoost, thresholds } = this.#o;
    const obs: { -readonly [K in keyof HealthObservations]: HealthObservations[K] } = {};
    // The clock is read once per check, after the status calls (as Go); connection failures don't use it.
    let nowSec = 0;
    const verdict = () => diagnoseHealth(obs, nowSec, thresholds);

    obs.syncStatus = await outcome(node.syncStatus(signal));
    if (!obs.syncStatus.ok) return verdict();
    if (supervisor) {
      obs.supervisor = await outcome(supervisor.syncStatus(signal));
      if (!obs.supervisor.ok) return verdict();
    }
    nowSec = this.#now();
    const unsafe = obs.syncStatus.value.unsafe_l2;
    if (unsafe.number > this.#lastSeenUnsafeNum) {
      this.#lastSeenUnsafeNum = unsafe.number;
      this.#lastSeenUnsafeTime = nowSec;
    }
    let v = verdict();
    if (v) return v;

    obs.peerStats = await outcome(node.peerStats(signal));
    v = verdict();
    if (v) return v;

    if (el) {
      obs.elPeerCount = await outcome(el.peerCount(signal));
      v = verdict();
      if (v) return v;
    }

    if (rollupBoost) {
      const rb = await outcome(rollupBoost.healthcheck(signal));
      obs.rollupBoost = rb.ok ? { ok: true, value: this.#tolerate(rb.value) } : rb;
      v = verdict();
      if (v) return v;
    } else {
      this.#o.logger.debug('rollup boost client is not configured, skipping health check');
    }
    return null;
  }

  #tolerate(status: RollupBoostStatus): RollupBoostStatus | 'partial-tolerated' {
    if (status !== 'partial' || this.#counter === undefined) return status;
    // Go reads the window's value first and increments only when under the limit (two clock reads).
    if (this.#counter.currentValue() >= this.#counter.maxValue) return status;
    this.#counter.increment();
    this.#o.logger.warn(
      {
        err: 'rollup boost is partially healthy, meaning that rbuilder is not healthy but the execution client is healthy',
      },
      '[Tolerating Failure] Rollup boost is partial failure, builder is down but fallback execution client is up',
    );
    return 'partial-tolerated';
  }
}
