/**
 * The health verdict as a pure function (Go `health/monitor.go` healthCheck), separate from polling.
 *
 * Order (first failure wins): sync status call → supervisor call → unsafe head age → safe head age
 * (if enabled) → CL peers → EL peers (if enabled) → rollup-boost (if configured).
 * Boundaries as Go: an age equal to the interval is healthy, greater is not; a timestamp in the future
 * counts as age 0; a peer count equal to the minimum is healthy. The EL peer call error is returned
 * raw (not mapped), as Go does.
 *
 * Observations are collected lazily by the monitor (later calls are not made after a failure), so an
 * absent observation means "not collected yet" and is skipped here.
 */
import { HealthError } from './errors.ts';
import type { PeerStats, RollupBoostStatus, SyncStatus } from './sources.ts';

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Error };

export interface HealthObservations {
  readonly syncStatus?: Outcome<SyncStatus>;
  /** Only when a supervisor is configured. */
  readonly supervisor?: Outcome<unknown>;
  readonly peerStats?: Outcome<PeerStats>;
  /** Only when the EL p2p check is enabled. */
  readonly elPeerCount?: Outcome<number>;
  /**
   * Only when rollup-boost checking is configured. `partial-tolerated` is a partial report that the
   * monitor's time-bound counter still tolerates (reported healthy).
   */
  readonly rollupBoost?: Outcome<RollupBoostStatus | 'partial-tolerated'>;
}

export interface HealthThresholds {
  readonly unsafeIntervalSec: number;
  readonly safeEnabled: boolean;
  readonly safeIntervalSec: number;
  readonly minPeerCount: number;
  /** Minimum EL peers (used only when an EL p2p observation is present). */
  readonly elMinPeerCount: number;
}

/** A failed verdict with the Go log message and fields that explain it. */
export interface HealthFailure {
  readonly error: HealthError;
  readonly log: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly level: 'error' | 'warn';
}

/** Go's calculateTimeDiff: 0 when `then` is in the future. */
export function timeDiffSec(now: number, then: number): number {
  return then > now ? 0 : now - then;
}

function fail(error: HealthError, log: string, fields: Record<string, unknown> = {}): HealthFailure {
  return { error, log, fields, level: 'error' };
}

/** The first failing check with its explanation, or null when every collected observation is healthy. */
export function diagnoseHealth(
  obs: HealthObservations,
  nowSec: number,
  th: HealthThresholds,
): HealthFailure | null {
  const ss = obs.syncStatus;
  if (ss && !ss.ok) {
    return fail(new HealthError('SEQUENCER_CONNECTION_DOWN'), 'health monitor failed to get sync status', {
      err: ss.error.message,
    });
  }
  if (obs.supervisor && !obs.supervisor.ok) {
    return fail(
      new HealthError('SUPERVISOR_CONNECTION_DOWN'),
      'health monitor failed to get supervisor sync status',
      { err: obs.supervisor.error.message },
    );
  }
  if (ss?.ok) {
    const { unsafe_l2: unsafe, safe_l2: safe } = ss.value;
    const unsafeDiff = timeDiffSec(nowSec, unsafe.timestamp);
    if (unsafeDiff > th.unsafeIntervalSec) {
      return fail(
        new HealthError('SEQUENCER_NOT_HEALTHY'),
        'unsafe head is falling behind the unsafe interval',
        {
          now: nowSec,
          unsafe_head_num: unsafe.number,
          unsafe_head_time: unsafe.timestamp,
          unsafe_interval: th.unsafeIntervalSec,
          cur_unsafe_time_diff: unsafeDiff,
        },
      );
    }
    if (th.safeEnabled && timeDiffSec(nowSec, safe.timestamp) > th.safeIntervalSec) {
      return fail(new HealthError('SEQUENCER_NOT_HEALTHY'), 'safe head is not progressing as expected', {
        now: nowSec,
        safe_head_num: safe.number,
        safe_head_time: safe.timestamp,
        safe_interval: th.safeIntervalSec,
      });
    }
  }
  const ps = obs.peerStats;
  if (ps && !ps.ok) {
    return fail(new HealthError('SEQUENCER_CONNECTION_DOWN'), 'health monitor failed to get peer stats', {
      err: ps.error.message,
    });
  }
  if (ps?.ok && ps.value.connected < th.minPeerCount) {
    return fail(new HealthError('SEQUENCER_NOT_HEALTHY'), 'peer count is below minimum', {
      connected: ps.value.connected,
      minPeerCount: th.minPeerCount,
    });
  }
  const el = obs.elPeerCount;
  if (el && !el.ok) {
    return fail(
      new HealthError('EXECUTION_P2P_RPC', el.error.message, { cause: el.error }),
      'el p2p check failed',
      {
        err: el.error.message,
      },
    );
  }
  if (el?.ok && el.value < th.elMinPeerCount) {
    return fail(new HealthError('SEQUENCER_NOT_HEALTHY'), 'el p2p peer count is below minimum', {
      peerCount: el.value,
      minPeerCount: th.elMinPeerCount,
    });
  }
  const rb = obs.rollupBoost;
  if (rb && !rb.ok) {
    return fail(
      new HealthError('ROLLUP_BOOST_CONNECTION_DOWN'),
      'health monitor failed to get rollup boost status',
      {
        err: rb.error.message,
      },
    );
  }
  if (rb?.ok) {
    if (rb.value === 'partial') {
      const e = new HealthError('ROLLUP_BOOST_PARTIALLY_HEALTHY');
      return fail(e, 'Rollup boost is partial failure, builder is down but fallback execution client is up', {
        err: e.message,
      });
    }
    if (rb.value === 'unhealthy') {
      const e = new HealthError('ROLLUP_BOOST_NOT_HEALTHY');
      return fail(e, 'Rollup boost total failure, both builder and fallback execution client are down', {
        err: e.message,
      });
    }
  }
  return null;
}

/** The verdict only: null = healthy, else the HealthError with Go's text. */
export function checkHealth(
  obs: HealthObservations,
  nowSec: number,
  th: HealthThresholds,
): HealthError | null {
  return diagnoseHealth(obs, nowSec, th)?.error ?? null;
}
