/**
 * Plain data types shared by the pure Raft core, the stores, the transport and the host.
 *
 * Semantics follow hashicorp/raft (the library the Go op-conductor uses), because our TCP transport
 * is wire-compatible with it: log types, suffrage values and the configuration shape are the same
 * numbers and fields hashicorp writes. Indexes and terms are JS numbers; they are asserted to stay
 * below 2^53 (a conductor appends ~10 entries/s, so that is never reached in practice).
 */

export type Term = number;
export type Index = number;
/** hashicorp `ServerID`: an opaque string, also the name of the node's data subdirectory. */
export type ServerId = string;
/** hashicorp `ServerAddress`: a Go dial string `host:port` (IPv6 as `[::1]:50050`). */
export type ServerAddress = string;

/** hashicorp `LogType` (uint8; the same numbers in raft 1.1.2 and 1.7). */
export const LogType = {
  Command: 0,
  Noop: 1,
  AddPeerDeprecated: 2,
  RemovePeerDeprecated: 3,
  Barrier: 4,
  Configuration: 5,
} as const;
export type LogType = (typeof LogType)[keyof typeof LogType];

/** hashicorp `ServerSuffrage`. Staging is deprecated and treated like a non-voter. */
export const Suffrage = { Voter: 0, Nonvoter: 1, Staging: 2 } as const;
export type Suffrage = (typeof Suffrage)[keyof typeof Suffrage];

export interface Server {
  readonly suffrage: Suffrage;
  readonly id: ServerId;
  readonly address: ServerAddress;
}

export interface Configuration {
  readonly servers: readonly Server[];
}

/**
 * One replicated log entry, as hashicorp's `raft.Log`.
 * `appendedAt` is the leader's wall clock when it appended the entry, carried opaquely: the core never
 * reads it (the host stamps it; Raft logic must not depend on time). It is kept as the raw msgpack
 * extension/timestamp so that an entry received from a Go leader is stored and forwarded unchanged.
 */
export interface LogEntry {
  readonly index: Index;
  readonly term: Term;
  readonly type: LogType;
  readonly data: Uint8Array;
  /** hashicorp `Log.Extensions` (opaque, normally empty). */
  readonly extensions?: Uint8Array;
  /** Unix milliseconds of the leader's append, if known (0/undefined = zero time). */
  readonly appendedAtMs?: number;
}

/**
 * Durable Raft state, stored in the StableStore under hashicorp's keys:
 * `CurrentTerm`, `LastVoteTerm`, `LastVoteCand` (the candidate's *address* bytes, as hashicorp stores it).
 * `lastVoteCandidateId` is ours (hashicorp does not store it); it may be '' after an import from Go.
 */
export interface HardState {
  readonly currentTerm: Term;
  readonly lastVoteTerm: Term;
  readonly lastVoteCandidateAddr: ServerAddress;
  readonly lastVoteCandidateId: ServerId;
}

export const HARD_STATE_EMPTY: HardState = {
  currentTerm: 0,
  lastVoteTerm: 0,
  lastVoteCandidateAddr: '',
  lastVoteCandidateId: '',
};

/** Metadata of a snapshot, as hashicorp's `SnapshotMeta` (meta.json). */
export interface SnapshotMeta {
  /** `<term>-<index>-<unixms>` as in hashicorp's FileSnapshotStore. */
  readonly id: string;
  readonly index: Index;
  readonly term: Term;
  readonly configuration: Configuration;
  readonly configurationIndex: Index;
  readonly size: number;
  /** Always 1 (hashicorp SnapshotVersion). */
  readonly version: number;
}

export type RaftRole = 'follower' | 'candidate' | 'leader';
