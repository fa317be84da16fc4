/**
 * The data model of one `status` snapshot: what each sequencer's conductor and op-node answered, plus
 * the cluster membership as read from the leader (or any conductor when no leader answers).
 *
 * Invariant: a field is `undefined` exactly when its call failed or was not configured; `reachable`
 * is true when at least one call to that endpoint succeeded.
 */
import type { SequencerConfig } from './config.ts';
import type { Membership, UnsafeHead } from './shapes.ts';

export interface ConductorView {
  readonly reachable: boolean;
  /** The first call failure, for the notes under the table. */
  readonly error?: string;
  readonly leader?: boolean;
  /** conductor_leaderWithID's id: '' when this conductor knows no leader. */
  readonly leaderId?: string;
  readonly leaderAddr?: string;
  readonly overridden?: boolean;
  readonly active?: boolean;
  readonly paused?: boolean;
  readonly stopped?: boolean;
  readonly healthy?: boolean;
  readonly membership?: Membership;
}

export interface NodeView {
  /** False when no op-node URL is configured for this sequencer. */
  readonly configured: boolean;
  readonly reachable: boolean;
  readonly error?: string;
  /** admin_sequencerActive. */
  readonly sequencing?: boolean;
  readonly unsafe?: UnsafeHead;
}

export interface SequencerStatus {
  readonly id: string;
  readonly config: SequencerConfig;
  readonly conductor: ConductorView;
  readonly node: NodeView;
}

export interface MembershipView {
  /** Sequencer whose conductor answered it. */
  readonly from: string;
  readonly value: Membership;
}

export interface ClusterSnapshot {
  /** Wall clock when the probes started, ms. */
  readonly atMs: number;
  readonly network?: string;
  readonly sequencers: readonly SequencerStatus[];
  readonly membership?: MembershipView;
}
