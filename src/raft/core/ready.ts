/**
 * The batch of work the core hands to its host (etcd's Ready, numbered). The host must process it in
 * this order and acknowledge with `onPersisted(number)` before taking the next one:
 *   1. send `messagesNow` (may overlap the disk write: the leader's appends to followers);
 *   2. durably apply `snapshot` (save + restore FSM + drop the log), then `logTruncateFrom`,
 *      `entries`, `hardState`, then `compactThrough`;
 *   3. send `messagesAfterPersist` (votes and append responses promise durable state);
 *   4. apply `committedEntries` to the FSM in order, then handle `notifications`.
 */
import type { RaftError } from './errors.ts';
import type { RaftMessage } from './messages.ts';
import type {
  Configuration,
  HardState,
  Index,
  LogEntry,
  RaftRole,
  ServerAddress,
  ServerId,
  Term,
} from './types.ts';

export interface SnapshotToInstall {
  readonly index: Index;
  readonly term: Term;
  readonly configuration: Configuration;
  readonly configurationIndex: Index;
  readonly data: Uint8Array;
}

export type RequestId = number;

export type Notification =
  | {
      readonly kind: 'leaderChanged';
      readonly leaderId: ServerId;
      readonly leaderAddr: ServerAddress;
      readonly isLeader: boolean;
      readonly term: Term;
    }
  | { readonly kind: 'roleChanged'; readonly role: RaftRole; readonly term: Term }
  /** A proposal, barrier or configuration change reached the commit index at `index`. */
  | { readonly kind: 'committed'; readonly requestId: RequestId; readonly index: Index }
  /** A request failed; `error` carries the hashicorp text. */
  | { readonly kind: 'failed'; readonly requestId: RequestId; readonly error: RaftError }
  /** A leadership transfer finished (this node lost leadership). */
  | { readonly kind: 'transferred'; readonly requestId: RequestId }
  /** The leader removed itself and that removal committed. */
  | { readonly kind: 'removed' };

export interface Ready {
  readonly number: number;
  readonly hardState: HardState | undefined;
  readonly snapshot: SnapshotToInstall | undefined;
  /** Delete every stored entry with index ≥ this before appending `entries`. */
  readonly logTruncateFrom: Index | undefined;
  readonly entries: readonly LogEntry[];
  /** Delete stored entries with index ≤ this (after a snapshot; trailing logs already accounted for). */
  readonly compactThrough: Index | undefined;
  readonly messagesNow: readonly RaftMessage[];
  readonly messagesAfterPersist: readonly RaftMessage[];
  readonly committedEntries: readonly LogEntry[];
  readonly notifications: readonly Notification[];
}
