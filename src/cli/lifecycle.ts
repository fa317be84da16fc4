/**
 * Service lifecycle for the composition root: services start in list order and stop in reverse, so
 * each service only ever depends on ones that outlive it. A failed start stops what already started
 * (Go: `Stop()` after a failed init). Stopping is bounded: the whole stop sequence gets
 * `STOP_GRACE_MS`; a service that overruns is abandoned and the caller exits non-zero. Errors while
 * stopping are logged and do not prevent later services from stopping.
 */
import type { Logger } from '../logging/logger.ts';

export interface Service {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Total time allowed for stopping every service after a signal. */
export const STOP_GRACE_MS = 10_000;

export type StopSignal = 'SIGINT' | 'SIGTERM';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

export interface StopResult {
  /** False when a service failed to stop or the grace period ran out. */
  readonly clean: boolean;
}

export async function startServices(services: readonly Service[], logger: Logger): Promise<void> {
  const started: Service[] = [];
  for (const service of services) {
    try {
      await service.start();
    } catch (err) {
      logger.error({ service: service.name, err }, 'failed to start service');
      await stopServices(started, logger);
      throw err;
    }
    started.push(service);
  }
}

export async function stopServices(
  services: readonly Service[],
  logger: Logger,
  graceMs: number = STOP_GRACE_MS,
): Promise<StopResult> {
  let clean = true;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  try {
    for (const service of [...services].reverse()) {
      const outcome = await Promise.race([
        service.stop().then(
          () => 'stopped' as const,
          (err: unknown) => {
            logger.error({ service: service.name, err }, 'failed to stop service');
            return 'failed' as const;
          },
        ),
        deadline,
      ]);
      if (outcome === 'timeout') {
        logger.error(
          { service: service.name, grace: `${graceMs}ms` },
          'service did not stop within the grace period',
        );
        return { clean: false };
      }
      if (outcome === 'failed') clean = false;
    }
  } finally {
    clearTimeout(timer);
  }
  return { clean };
}

export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
}

/**
 * Resolves on the first SIGINT/SIGTERM; any later signal calls `onForce` (the caller exits 1 at once,
 * like Go's interrupt blocker cancelling the stop context). Returns the signal and a disposer.
 */
export function waitForStopSignal(
  source: SignalSource,
  onForce: (signal: StopSignal) => void,
): { readonly signal: Promise<StopSignal>; dispose(): void } {
  const listeners = new Map<StopSignal, () => void>();
  let received = false;
  const signal = new Promise<StopSignal>((resolve) => {
    for (const sig of STOP_SIGNALS) {
      const listener = () => {
        if (received) {
          onForce(sig);
          return;
        }
        received = true;
        resolve(sig);
      };
      listeners.set(sig, listener);
      source.on(sig, listener);
    }
  });
  return {
    signal,
    dispose() {
      for (const [sig, listener] of listeners) source.off(sig, listener);
    },
  };
}
