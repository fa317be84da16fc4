/**
 * Test harness mirroring Go's OpConductorTestSuite: a service wired to fakes, a step gate that lets the
 * loop handle exactly one event per `step()` (Go's `next` channel + WaitGroup), captured logs, and the
 * helpers `enableSynchronization`, `updateLeaderStatusAndExecuteAction`,
 * `updateHealthStatusAndExecuteAction` and `executeAction`. Every wait is bounded.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { ConductorService, type ConductorServiceOptions } from '../../src/control/conductor-service.ts';
import type { LoopStepGate } from '../../src/control/loop.ts';
import type { HealthError } from '../../src/health/errors.ts';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.ts';
import { FakeConsensus, FakeHealth, FakeSequencer } from './fakes.ts';

export const stepTimeoutMs = 2000;

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Releases the loop one event at a time and waits until that event has been handled. */
export class Stepper implements LoopStepGate {
  private permits = 0;
  private release: (() => void) | undefined;
  private handled: (() => void) | undefined;

  beforeEvent(signal: AbortSignal): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      this.release = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  afterEvent(): void {
    const h = this.handled;
    this.handled = undefined;
    h?.();
  }

  /** Let the loop take and handle one event (it must be pending or arrive within the timeout). */
  async step(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.handled = resolve;
    });
    const r = this.release;
    this.release = undefined;
    if (r) r();
    else this.permits++;
    await withTimeout(done, stepTimeoutMs, 'loop step');
  }
}

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export function captureLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as LogLine);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export interface Suite {
  readonly conductor: ConductorService;
  readonly cons: FakeConsensus;
  readonly ctrl: FakeSequencer;
  readonly hmon: FakeHealth;
  readonly metrics: Metrics;
  readonly stepper: Stepper;
  readonly logs: LogLine[];
  readonly clock: { nowMs: number };
  /** Go `enableSynchronization`: start, then execute the startup action. */
  enableSynchronization(): Promise<void>;
  /** Go `disableSynchronization`: start with a free-running loop. */
  disableSynchronization(): Promise<void>;
  executeAction(): Promise<void>;
  updateLeaderStatusAndExecuteAction(leader: boolean): Promise<void>;
  updateHealthStatusAndExecuteAction(err: HealthError | null): Promise<void>;
  /** Go TearDownTest: stop must succeed and leave the conductor stopped. */
  tearDown(): Promise<void>;
}

export function makeSuite(
  overrides: Partial<ConductorServiceOptions> & { synchronized?: boolean } = {},
): Suite {
  const cons = new FakeConsensus();
  const ctrl = new FakeSequencer();
  const hmon = new FakeHealth();
  const metrics = createMetrics();
  const stepper = new Stepper();
  const { logger, lines } = captureLogger();
  const clock = { nowMs: 0 };
  const synchronized = overrides.synchronized ?? true;
  const conductor = new ConductorService({
    logger,
    metrics,
    consensus: cons,
    sequencer: ctrl,
    health: hmon,
    serverId: 'SequencerA',
    rollupBoostEnabled: false,
    rng: () => 0,
    now: () => clock.nowMs,
    stepGate: synchronized ? stepper : undefined,
    ...overrides,
  });
  const executeAction = () => stepper.step();
  return {
    conductor,
    cons,
    ctrl,
    hmon,
    metrics,
    stepper,
    logs: lines,
    clock,
    async enableSynchronization() {
      await conductor.start();
      await executeAction();
    },
    async disableSynchronization() {
      await conductor.start();
    },
    executeAction,
    async updateLeaderStatusAndExecuteAction(leader) {
      cons.emitLeader(leader);
      await stepper.step();
      await executeAction();
    },
    async updateHealthStatusAndExecuteAction(err) {
      hmon.emit(err);
      await stepper.step();
      await executeAction();
    },
    async tearDown() {
      await withTimeout(conductor.stop(), stepTimeoutMs, 'conductor stop');
      if (!conductor.stopped()) throw new Error('conductor not stopped after tearDown');
    },
  };
}
