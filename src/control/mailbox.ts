/**
 * The control loop's inbox: events are taken one at a time, in arrival order.
 *
 * Invariants (bounded by construction):
 * - At most one pending `action` (Go's capacity-1 action channel: extra requests coalesce, which is
 *   safe because an action always reads the latest state), and likewise at most one `repairHead`.
 * - At most one pending `health` and one pending `leader` event: a newer report replaces the pending
 *   one in place (Go's health channel is unbuffered and raft's LeaderCh keeps only the latest value, so
 *   neither ever queues more than one report).
 * - Pause/resume requests each carry their own acknowledgement and are bounded by
 *   `pendingRequestsMax`; a request can be withdrawn before the loop takes it (caller timed out).
 * - After `close()`, pushes are ignored, `take()` resolves undefined and every request still waiting
 *   is refused (its caller gets the timeout error at once instead of hanging on a loop that is gone).
 */
import type { HealthError } from '../health/errors.ts';

export type LoopEvent =
  | { readonly type: 'health'; err: HealthError | null }
  | { readonly type: 'leader'; leader: boolean }
  | { readonly type: 'pause'; readonly ack: () => void; readonly refuse: () => void }
  | { readonly type: 'resume'; readonly ack: () => void; readonly refuse: () => void }
  | { readonly type: 'action' }
  | { readonly type: 'repairHead' };

/** Pause/resume requests waiting for the loop; beyond this, new requests are refused. */
export const pendingRequestsMax = 64;

export class Mailbox {
  private readonly events: LoopEvent[] = [];
  private waiter: ((e: LoopEvent | undefined) => void) | undefined;
  private closed = false;

  get size(): number {
    return this.events.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  hasPendingAction(): boolean {
    return this.events.some((e) => e.type === 'action');
  }

  /** Non-blocking `queueAction`: a no-op when an action is already pending. */
  queueAction(): void {
    if (this.hasPendingAction()) return;
    this.deliver({ type: 'action' });
  }

  /** Non-blocking: a no-op when a head repair is already pending (it reads the heads when it runs). */
  queueHeadRepair(): void {
    if (this.events.some((e) => e.type === 'repairHead')) return;
    this.deliver({ type: 'repairHead' });
  }

  pushHealth(err: HealthError | null): void {
    const pending = this.events.find((e) => e.type === 'health');
    if (pending) pending.err = err;
    else this.deliver({ type: 'health', err });
  }

  pushLeader(leader: boolean): void {
    const pending = this.events.find((e) => e.type === 'leader');
    if (pending) pending.leader = leader;
    else this.deliver({ type: 'leader', leader });
  }

  /** Queue a pause/resume request; false when closed or too many are already waiting. */
  pushRequest(event: Extract<LoopEvent, { type: 'pause' | 'resume' }>): boolean {
    if (this.closed) return false;
    const waiting = this.events.filter((e) => e.type === 'pause' || e.type === 'resume').length;
    if (waiting >= pendingRequestsMax) return false;
    this.deliver(event);
    return true;
  }

  /** Remove a request the loop has not taken yet; true if it was still pending. */
  withdraw(event: LoopEvent): boolean {
    const i = this.events.indexOf(event);
    if (i < 0) return false;
    this.events.splice(i, 1);
    return true;
  }

  /** The next event, waiting for one if needed; undefined once closed. One taker at a time. */
  take(): Promise<LoopEvent | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const next = this.events.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  close(): void {
    this.closed = true;
    const dropped = this.events.splice(0);
    for (const e of dropped) if (e.type === 'pause' || e.type === 'resume') e.refuse();
    const w = this.waiter;
    this.waiter = undefined;
    w?.(undefined);
  }

  private deliver(event: LoopEvent): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(event);
      return;
    }
    this.events.push(event);
  }
}
