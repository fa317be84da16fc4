/**
 * The transport interface the Raft host uses. Implementations: the in-memory transport (tests, host
 * without network) and the TCP transport wire-compatible with hashicorp/raft's NetworkTransport.
 *
 * Contract:
 * - send() never throws and never blocks: it enqueues on a bounded per-peer queue. A failed request is
 *   reported back through the handler as an `rpcFailure` message (from = the peer).
 * - Responses to our requests are delivered through the same handler, with `inReplyTo` filled.
 * - Requests from peers are delivered to the handler; the host answers them by send()ing the response
 *   message (to = the requester); the transport matches it to the waiting connection.
 * - Heartbeats (appendEntries with no entries) never queue behind a large appendEntries.
 */
import type { RaftMessage } from '../core/messages.ts';
import type { ServerAddress } from '../core/types.ts';

export type MessageHandler = (msg: RaftMessage) => void;

export interface Transport {
  /** The address peers use to reach us (advertised address). */
  localAddr(): ServerAddress;
  setHandler(handler: MessageHandler): void;
  send(msg: RaftMessage): void;
  /** Start listening (idempotent). */
  start(): Promise<void>;
  close(): Promise<void>;
}
