/**
 * The consensus interface in the shape of Go op-conductor's `consensus/iface.go`. The control loop,
 * the RPC server and the health monitor depend on this interface only, so they are tested against a
 * fake (as Go does with its mocks) and run against the Raft-backed implementation in production.
 *
 * Errors carry the Go/hashicorp texts because clients match on them (see errors.ts).
 */
import type { ExecutionPayloadEnvelopeJson } from '../fsm/envelope.ts';

/** Suffrage as a plain integer on the wire: 0 = Voter, 1 = Nonvoter. */
export type ServerSuffrage = 0 | 1;

export interface ServerInfo {
  readonly id: string;
  readonly addr: string;
  readonly suffrage: ServerSuffrage;
}

export interface ClusterMembership {
  readonly servers: readonly ServerInfo[];
  /** Raft index of the latest configuration entry (the compare-and-set "version"). */
  readonly version: number;
}

/** A decoded-and-validated payload ready to commit: the SSZ bytes plus the facts used for logging. */
export interface EncodedPayload {
  readonly ssz: Uint8Array;
  readonly blockNumber: bigint;
  readonly blockHash: `0x${string}`;
}

export interface Consensus {
  /** True when this node is the Raft leader (not override-aware; the override lives in the conductor). */
  leader(): boolean;
  /** The known leader, or `{id:'', addr:'', suffrage:0}` when none is known. */
  leaderWithId(): ServerInfo;
  /** Subscribe to leadership changes (true on gaining, false on losing). Returns an unsubscribe function. */
  onLeaderChange(listener: (isLeader: boolean) => void): () => void;
  /** The local server id and advertised address. */
  serverId(): string;
  addr(): string;

  addVoter(id: string, addr: string, version: number): Promise<void>;
  addNonVoter(id: string, addr: string, version: number): Promise<void>;
  demoteVoter(id: string, version: number): Promise<void>;
  removeServer(id: string, version: number): Promise<void>;
  /** Transfer to the most up-to-date voter. Not-leader is swallowed (resolves) as in Go. */
  transferLeader(): Promise<void>;
  transferLeaderTo(id: string, addr: string): Promise<void>;
  clusterMembership(): Promise<ClusterMembership>;

  /** Commit a payload; resolves once committed and applied on this (leader) node. */
  commitUnsafePayload(payload: EncodedPayload): Promise<void>;
  /** Barrier, then read the FSM. Leader-only (barrier fails on a follower). */
  latestUnsafePayload(): Promise<ExecutionPayloadEnvelopeJson | undefined>;

  shutdown(): Promise<void>;
}
