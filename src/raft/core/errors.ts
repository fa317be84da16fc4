/**
 * Raft operation errors. Messages are hashicorp/raft's exact texts, because op-conductor returns them
 * verbatim over JSON-RPC and clients (op-node, op-conductor-ops, scripts) match on them.
 */
export const RaftErrorCode = {
  NotLeader: 'ERR_NOT_LEADER',
  LeadershipLost: 'ERR_LEADERSHIP_LOST',
  AbortedByRestore: 'ERR_ABORTED_BY_RESTORE',
  RaftShutdown: 'ERR_RAFT_SHUTDOWN',
  EnqueueTimeout: 'ERR_ENQUEUE_TIMEOUT',
  NothingNewToSnapshot: 'ERR_NOTHING_NEW_TO_SNAPSHOT',
  CantBootstrap: 'ERR_CANT_BOOTSTRAP',
  LeadershipTransferInProgress: 'ERR_LEADERSHIP_TRANSFER_IN_PROGRESS',
  LeadershipTransferTimeout: 'ERR_LEADERSHIP_TRANSFER_TIMEOUT',
  CannotFindPeer: 'ERR_CANNOT_FIND_PEER',
  TransferToSelf: 'ERR_TRANSFER_TO_SELF',
  ConfigurationChanged: 'ERR_CONFIGURATION_CHANGED',
  InvalidConfiguration: 'ERR_INVALID_CONFIGURATION',
  TooManyInflight: 'ERR_TOO_MANY_INFLIGHT',
} as const;
export type RaftErrorCode = (typeof RaftErrorCode)[keyof typeof RaftErrorCode];

/** hashicorp's error texts, keyed by code (ConfigurationChanged/InvalidConfiguration are formatted). */
export const RAFT_ERROR_TEXT: Readonly<Record<RaftErrorCode, string>> = {
  ERR_NOT_LEADER: 'node is not the leader',
  ERR_LEADERSHIP_LOST: 'leadership lost while committing log',
  ERR_ABORTED_BY_RESTORE: 'snapshot restored while committing log',
  ERR_RAFT_SHUTDOWN: 'raft is already shutdown',
  ERR_ENQUEUE_TIMEOUT: 'timed out enqueuing operation',
  ERR_NOTHING_NEW_TO_SNAPSHOT: 'nothing new to snapshot',
  ERR_CANT_BOOTSTRAP: 'bootstrap only works on new clusters',
  ERR_LEADERSHIP_TRANSFER_IN_PROGRESS: 'leadership transfer in progress',
  ERR_LEADERSHIP_TRANSFER_TIMEOUT: 'leadership transfer timeout',
  ERR_CANNOT_FIND_PEER: 'cannot find peer',
  ERR_TRANSFER_TO_SELF: 'cannot transfer leadership to itself',
  ERR_CONFIGURATION_CHANGED: 'configuration changed',
  ERR_INVALID_CONFIGURATION: 'invalid configuration',
  ERR_TOO_MANY_INFLIGHT: 'too many proposals in flight',
};

export class RaftError extends Error {
  readonly code: RaftErrorCode;
  constructor(code: RaftErrorCode, message: string = RAFT_ERROR_TEXT[code]) {
    super(message);
    this.name = 'RaftError';
    this.code = code;
  }
}

/** `configuration changed since P (latest is L)` — the membership "version" mismatch. */
export function configurationChangedError(prevIndex: number, latestIndex: number): RaftError {
  return new RaftError(
    RaftErrorCode.ConfigurationChanged,
    `configuration changed since ${prevIndex} (latest is ${latestIndex})`,
  );
}

export function isRaftError(e: unknown, code?: RaftErrorCode): e is RaftError {
  return e instanceof RaftError && (code === undefined || e.code === code);
}
