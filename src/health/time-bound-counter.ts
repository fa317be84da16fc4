/**
 * Go's `timeBoundedRotatingCounter`: a counter per fixed time bucket `floor(nowSec / intervalSec)`.
 * Used to tolerate up to `maxValue` rollup-boost "partial" reports per window. Buckets are fixed
 * windows (a new bucket starts at 0), not sliding. Lazy cleanup: when an increment leaves more than
 * `bucketsMax` buckets, only the current one is kept.
 */
export const bucketsMax = 1000;

export class TimeBoundCounterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeBoundCounterError';
  }
}

export interface IncrementResult {
  /** The bucket's value after the call (unchanged when the limit was hit). */
  readonly value: number;
  /** Set when the bucket was at its max value (Go's error text). */
  readonly error?: TimeBoundCounterError;
}

export class TimeBoundCounter {
  readonly #intervalSec: number;
  readonly #maxValue: number;
  readonly #nowSec: () => number;
  /** Exposed read-only for tests of the cleanup rule. */
  readonly buckets = new Map<number, number>();

  /** maxValue 0 = unlimited. Throws when intervalSec is 0 (as Go's constructor errors). */
  constructor(
    intervalSec: number,
    maxValue: number,
    nowSec: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    if (!(intervalSec > 0)) throw new TimeBoundCounterError('reset interval seconds must be more than 0');
    this.#intervalSec = intervalSec;
    this.#maxValue = maxValue;
    this.#nowSec = nowSec;
  }

  /** The per-window limit (0 = unlimited). */
  get maxValue(): number {
    return this.#maxValue === 0 ? Number.POSITIVE_INFINITY : this.#maxValue;
  }

  increment(): IncrementResult {
    const now = this.#nowSec();
    const bucket = Math.floor(now / this.#intervalSec);
    const current = this.buckets.get(bucket) ?? 0;
    let result: IncrementResult;
    if (this.#maxValue === 0 || current < this.#maxValue) {
      this.buckets.set(bucket, current + 1);
      result = { value: current + 1 };
    } else {
      const waitSec = this.#intervalSec - (now % this.#intervalSec);
      result = {
        value: current,
        error: new TimeBoundCounterError(
          `counter at its max value, please wait ${waitSec}s for it to be reset`,
        ),
      };
    }
    if (this.buckets.size > bucketsMax) {
      const keep = this.buckets.get(bucket) ?? 0;
      this.buckets.clear();
      this.buckets.set(bucket, keep);
    }
    return result;
  }

  currentValue(): number {
    return this.buckets.get(Math.floor(this.#nowSec() / this.#intervalSec)) ?? 0;
  }
}
