/** Scripted fakes of the health sources (Go's mocks), and a helper to await N verdicts. */
import type { HealthError } from '../../src/health/errors.ts';
import type { HealthMonitor } from '../../src/health/monitor.ts';
import type {
  ElP2pSource,
  NodeHealthSource,
  PeerStats,
  RollupBoostHealthSource,
  RollupBoostStatus,
  SupervisorHealthSource,
  SyncStatus,
} from '../../src/health/sources.ts';

export function mockSyncStatus(
  unsafeTime: number,
  unsafeNum: number,
  safeTime: number,
  safeNum: number,
): SyncStatus {
  return {
    unsafe_l2: { hash: '0x00', number: unsafeNum, timestamp: unsafeTime },
    safe_l2: { hash: '0x00', number: safeNum, timestamp: safeTime },
  };
}

type Script<T> = Array<T | Error>;

/** Returns scripted values in order; the last one repeats (testify's `.Return` without `.Times`). */
function next<T>(script: Script<T>): Promise<T> {
  const v = script.length > 1 ? script.shift() : script[0];
  if (v === undefined) return Promise.reject(new Error('no scripted value'));
  return v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
}

export class FakeNode implements NodeHealthSource {
  syncCalls = 0;
  peerCalls = 0;
  constructor(
    readonly statuses: Script<SyncStatus>,
    readonly peers: Script<PeerStats> = [{ connected: 2 }],
  ) {}
  syncStatus(): Promise<SyncStatus> {
    this.syncCalls++;
    return next(this.statuses);
  }
  peerStats(): Promise<PeerStats> {
    this.peerCalls++;
    return next(this.peers);
  }
}

export class FakeSupervisor implements SupervisorHealthSource {
  constructor(readonly results: Script<unknown>) {}
  syncStatus(): Promise<unknown> {
    return next(this.results);
  }
}

export class FakeElP2p implements ElP2pSource {
  calls = 0;
  constructor(readonly counts: Script<number>) {}
  peerCount(): Promise<number> {
    this.calls++;
    return next(this.counts);
  }
}

export class FakeRollupBoost implements RollupBoostHealthSource {
  constructor(
    readonly statuses: Script<RollupBoostStatus>,
    readonly delayMs = 0,
  ) {}
  async healthcheck(signal?: AbortSignal): Promise<RollupBoostStatus> {
    if (this.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.delayMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return next(this.statuses);
  }
}

/** Go's timeProvider: returns `now` and then increments it on every call. */
export class TimeProvider {
  constructor(public now: number) {}
  readonly fn = () => this.now++;
}

export interface Verdict {
  readonly err: HealthError | null;
  /** Monitor state captured synchronously at delivery (Go's test reads it while the monitor is blocked). */
  readonly lastSeenUnsafeNum: number;
  readonly lastSeenUnsafeTime: number;
}

/** Waits for the next `n` verdicts from the monitor (bounded by timeoutMs). */
export function nextVerdicts(monitor: HealthMonitor, n: number, timeoutMs = 5_000): Promise<Verdict[]> {
  return new Promise((resolve, reject) => {
    const got: Verdict[] = [];
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${got.length}/${n} verdicts`));
    }, timeoutMs);
    const off = monitor.onHealth((err) => {
      got.push({
        err,
        lastSeenUnsafeNum: monitor.lastSeenUnsafeNum,
        lastSeenUnsafeTime: monitor.lastSeenUnsafeTime,
      });
      if (got.length === n) {
        clearTimeout(timer);
        off();
        resolve(got);
      }
    });
  });
}
