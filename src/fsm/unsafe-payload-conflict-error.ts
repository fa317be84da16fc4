/**
 * The FSM's refusal of a payload that does not move the unsafe head forward: a block at or below the
 * committed head's height that is not the committed head itself.
 *
 * Go's FSM ignores such a payload and reports success (spec §7.3), so op-node gossips a block that
 * consensus does not hold: two different blocks at one height, the unsafe reorg the conductor exists to
 * prevent (docs/differences.md). Refusing it makes the commit fail, so op-node never publishes the block,
 * and lets the conductor hand the committed head to its op-node instead.
 */
import type { PayloadHead } from './envelope.ts';

export class UnsafePayloadConflictError extends Error {
  readonly committed: PayloadHead;
  readonly offered: PayloadHead;
  constructor(committed: PayloadHead, offered: PayloadHead) {
    super(
      `unsafe payload ${offered.blockNumber} ${offered.blockHash} conflicts with the committed unsafe head ${committed.blockNumber} ${committed.blockHash}`,
    );
    this.name = 'UnsafePayloadConflictError';
    this.committed = committed;
    this.offered = offered;
  }
}

/** True when the error, or the cause it wraps (FsmApplyError), is an FSM conflict. */
export function isUnsafePayloadConflict(e: unknown): boolean {
  if (e instanceof UnsafePayloadConflictError) return true;
  return e instanceof Error && e.cause instanceof UnsafePayloadConflictError;
}
