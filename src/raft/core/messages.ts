/**
 * Every message the core exchanges with its peers: a discriminated union whose members map 1:1 onto
 * hashicorp/raft's NetworkTransport RPCs (type byte 0..4) and their responses, so that the TCP codec
 * is a pure field mapping.
 *
 * Routing: `from`/`to` are server IDs. hashicorp 1.1.2 peers send no header ID (only an address), so a
 * transport may deliver `from.id === ''`; the core then identifies the peer by `from.addr` against its
 * configuration. Responses travel back to `to` = the requester; on TCP they ride the request's
 * connection, so the transport (not the core) does the correlation and fills `inReplyTo`.
 */
import type { Configuration, Index, LogEntry, ServerAddress, ServerId, Term } from './types.ts';

export interface Peer {
  readonly id: ServerId;
  readonly addr: ServerAddress;
}

interface MessageBase {
  readonly from: Peer;
  readonly to: Peer;
  readonly term: Term;
}

/** RPC type 0. With no entries and commit unchanged it is a heartbeat (sent on its own connection). */
export interface AppendEntriesRequest extends MessageBase {
  readonly type: 'appendEntries';
  readonly prevLogIndex: Index;
  readonly prevLogTerm: Term;
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: Index;
}

export interface AppendEntriesResponse extends MessageBase {
  readonly type: 'appendEntriesResponse';
  readonly success: boolean;
  /** The follower's last log index (hashicorp `LastLog`), used for fast back-off on reject. */
  readonly lastLog: Index;
  readonly noRetryBackoff: boolean;
  /**
   * Not on the wire: which request this answers. The responder fills it in the simulator; the TCP
   * transport fills it from its in-flight request queue (responses come back in request order).
   */
  readonly inReplyTo: { readonly prevLogIndex: Index; readonly lastIndex: Index };
}

/** RPC type 1. */
export interface RequestVoteRequest extends MessageBase {
  readonly type: 'requestVote';
  readonly lastLogIndex: Index;
  readonly lastLogTerm: Term;
  /** True only for the election a TimeoutNow started: voters grant even while they know a leader. */
  readonly leadershipTransfer: boolean;
}

export interface RequestVoteResponse extends MessageBase {
  readonly type: 'requestVoteResponse';
  readonly granted: boolean;
}

/** RPC type 4 (hashicorp 1.7). Term is the candidate's current term + 1; nothing is persisted. */
export interface RequestPreVoteRequest extends MessageBase {
  readonly type: 'requestPreVote';
  readonly lastLogIndex: Index;
  readonly lastLogTerm: Term;
}

export interface RequestPreVoteResponse extends MessageBase {
  readonly type: 'requestPreVoteResponse';
  readonly granted: boolean;
}

/**
 * RPC type 2. The FSM state of a conductor is one payload (≤ 16 MiB), so the snapshot bytes travel
 * in the message; the TCP transport streams them after the msgpack header as hashicorp does.
 */
export interface InstallSnapshotRequest extends MessageBase {
  readonly type: 'installSnapshot';
  readonly lastLogIndex: Index;
  readonly lastLogTerm: Term;
  readonly configuration: Configuration;
  readonly configurationIndex: Index;
  readonly data: Uint8Array;
}

export interface InstallSnapshotResponse extends MessageBase {
  readonly type: 'installSnapshotResponse';
  readonly success: boolean;
  /** Not on the wire: the snapshot index this answers (filled like AppendEntriesResponse.inReplyTo). */
  readonly inReplyTo: { readonly lastLogIndex: Index };
}

/** RPC type 3: the leadership-transfer target starts an election now, skipping pre-vote. No term check. */
export interface TimeoutNowRequest extends MessageBase {
  readonly type: 'timeoutNow';
}

export interface TimeoutNowResponse extends MessageBase {
  readonly type: 'timeoutNowResponse';
}

/**
 * Not on the wire: the transport reports that a request to `from` failed (connection refused/closed,
 * timeout, or an error string returned by the peer, e.g. hashicorp's `unexpected command` for an RPC
 * type it does not know — a pre-vote to such a peer counts as granted, as in hashicorp 1.7).
 */
export interface RpcFailure extends MessageBase {
  readonly type: 'rpcFailure';
  readonly request: RaftRequest['type'];
  readonly error: string;
}

export type RaftRequest =
  | AppendEntriesRequest
  | RequestVoteRequest
  | RequestPreVoteRequest
  | InstallSnapshotRequest
  | TimeoutNowRequest;

export type RaftResponse =
  | AppendEntriesResponse
  | RequestVoteResponse
  | RequestPreVoteResponse
  | InstallSnapshotResponse
  | TimeoutNowResponse;

export type RaftMessage = RaftRequest | RaftResponse | RpcFailure;

export function isRequest(m: RaftMessage): m is RaftRequest {
  return (
    m.type === 'appendEntries' ||
    m.type === 'requestVote' ||
    m.type === 'requestPreVote' ||
    m.type === 'installSnapshot' ||
    m.type === 'timeoutNow'
  );
}
