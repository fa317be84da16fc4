/**
 * Always-on assertions for the Raft core (house rule A.10.4). A failed assertion is a programmer error:
 * the host treats the thrown AssertionError as fatal (crash, then restart from durable state), because a
 * core that continues after breaking an invariant can corrupt the replicated log.
 */
export class RaftAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaftAssertionError';
  }
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new RaftAssertionError(`raft assertion failed: ${message}`);
}

/** Exhaustiveness guard for discriminated-union switches. */
export function assertNever(x: never, what: string): never {
  throw new RaftAssertionError(`raft assertion failed: unexpected ${what}: ${JSON.stringify(x)}`);
}

/** Indexes and terms are JS numbers; they must stay exact integers. */
export function assertIndex(n: number, what: string): void {
  assert(Number.isSafeInteger(n) && n >= 0, `${what} must be a safe non-negative integer, got ${n}`);
}
