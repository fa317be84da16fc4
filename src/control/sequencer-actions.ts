/**
 * The control loop's sub-actions (Go `transferLeader`, `stopSequencer`, `startSequencer`,
 * `compareUnsafeHead`), with Go's log texts, fields, metrics and error texts.
 *
 * Invariants:
 * - `seqActive` becomes false only after op-node confirmed the stop (or said it was not running), and
 *   true only after it confirmed the start (or said it was already running).
 * - A successful transfer clears `leader` locally before raft's leader event confirms it, so the very
 *   next action already sees a follower (Go does the same).
 * - Start always uses the FSM head's block hash; the only repair attempted is posting the FSM payload
 *   when op-node is exactly one block behind (unsigned difference == 1, as Go computes it).
 * - `repairUnsafeHead` (after the FSM refused a conflicting payload) only ever posts the committed head,
 *   and only when op-node is behind it; it never starts or stops the sequencer.
 * - stopSequencer is cancellable by shutdown (Go passes its shutdown context); start is not (Go uses a
 *   background context and relies on the client's per-call timeout).
 */
import type { Hex } from 'viem';
import { hexToBigInt } from 'viem';
import type { Consensus } from '../consensus/consensus.ts';
import type { ExecutionPayloadEnvelopeJson } from '../fsm/envelope.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { isRaftError, RaftErrorCode } from '../raft/core/errors.ts';
import { ControlError, ControlErrorCode, controlError, errorText, wrapError } from './errors.ts';
import type { BlockRef, SequencerControl } from './sequencer-control.ts';
import type { ControlState } from './state.ts';

/** op-node's `ErrSequencerAlreadyStopped` text, matched by substring (the RPC error lost its type). */
export const sequencerNotRunningText = 'sequencer not running';
/** op-node's `ErrSequencerAlreadyStarted` text, matched by substring. */
export const sequencerAlreadyRunningText = 'sequencer already running';

export interface SequencerActionsDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly consensus: Consensus;
  readonly sequencer: SequencerControl;
  readonly state: ControlState;
  readonly serverId: string;
  /** Aborted when the conductor stops. */
  readonly shutdownSignal: AbortSignal;
}

/** The facts of an unsafe-head mismatch, kept on the error for the catch-up bound. */
export class UnsafeHeadMismatchError extends ControlError {
  readonly consensusNumber: bigint;
  readonly nodeNumber: bigint;
  constructor(consensusNumber: bigint, nodeNumber: bigint) {
    super(ControlErrorCode.UnsafeHeadMismatch, 'unsafe head mismatch');
    this.consensusNumber = consensusNumber;
    this.nodeNumber = nodeNumber;
  }
}

interface HeadComparison {
  readonly consensus: ExecutionPayloadEnvelopeJson;
  readonly consensusNumber: bigint;
  readonly node: BlockRef;
}

const boolLabel = (b: boolean): string => (b ? 'true' : 'false');
/** Block numbers are far below 2^53; logged as numbers like Go's uint64 fields. */
const logNumber = (n: bigint): number => Number(n);

export class SequencerActions {
  constructor(private readonly deps: SequencerActionsDeps) {}

  /** Go `transferLeader()`. */
  async transferLeader(): Promise<void> {
    const { logger, metrics, consensus, state, serverId } = this.deps;
    logger.info({ server: serverId }, 'transferring leadership');
    let err: unknown;
    try {
      await consensus.transferLeader();
    } catch (e) {
      err = e ?? new Error('transfer failed');
    }
    metrics.leaderTransfers.inc({ success: boolLabel(err === undefined) });
    if (err === undefined) {
      state.leader = false;
      return;
    }
    if (isRaftError(err, RaftErrorCode.NotLeader)) {
      logger.warn('cannot transfer leadership since current server is not the leader');
      return;
    }
    logger.error({ err: errorText(err) }, 'failed to transfer leadership');
    throw err;
  }

  /** Go `stopSequencer()`: "not running" counts as stopped (metric success=false). */
  async stopSequencer(): Promise<void> {
    const { logger, metrics, sequencer, state, serverId, shutdownSignal } = this.deps;
    logger.info(
      { server: serverId, leader: state.leader, healthy: state.healthy, active: state.seqActive },
      'stopping sequencer',
    );
    let stopped = true;
    try {
      const latestHead = await sequencer.stopSequencer(shutdownSignal);
      logger.info({ latestHead }, 'stopped sequencer');
    } catch (e) {
      if (!errorText(e).includes(sequencerNotRunningText)) throw wrapError('failed to stop sequencer', e);
      logger.warn({ err: errorText(e) }, 'sequencer already stopped');
      stopped = false;
    }
    metrics.sequencerStops.inc({ success: boolLabel(stopped) });
    state.seqActive = false;
  }

  /** Go `startSequencer()`: compare heads, repair a 1-block gap, then start at the FSM head hash. */
  async startSequencer(): Promise<void> {
    const { logger, metrics, sequencer, state, serverId } = this.deps;
    let head: HeadComparison;
    try {
      head = await this.compareUnsafeHead();
    } catch (e) {
      if (
        !(e instanceof MismatchWithHeads) ||
        e.comparison.consensusNumber - e.comparison.node.number !== 1n
      ) {
        throw e instanceof MismatchWithHeads ? e.error : e;
      }
      head = e.comparison;
      await this.postUnsafePayload(head);
    }

    logger.info(
      { server: serverId, leader: state.leader, healthy: state.healthy, active: state.seqActive },
      'starting sequencer',
    );
    let started = true;
    try {
      await sequencer.startSequencer(head.consensus.executionPayload.blockHash);
    } catch (e) {
      if (!errorText(e).includes(sequencerAlreadyRunningText))
        throw wrapError('failed to start sequencer', e);
      logger.warn({ err: errorText(e) }, 'sequencer already started.');
      started = false;
    }
    metrics.sequencerStarts.inc({ success: boolLabel(started) });
    state.seqActive = true;
  }

  /**
   * After the FSM refused a conflicting payload from op-node: when op-node is behind the committed head,
   * post that head, so its sequencer builds on the block consensus holds instead of offering another
   * block at a height already taken. Heads that agree need nothing; op-node at or past the committed
   * height with another block cannot be repaired here and is reported as the mismatch.
   */
  async repairUnsafeHead(): Promise<void> {
    let head: HeadComparison;
    try {
      head = await this.compareUnsafeHead();
    } catch (e) {
      if (!(e instanceof MismatchWithHeads)) throw e;
      if (e.comparison.consensusNumber <= e.comparison.node.number) throw e.error;
      head = e.comparison;
      this.deps.logger.warn(
        {
          consensus_num: logNumber(head.consensusNumber),
          consensus_hash: head.consensus.executionPayload.blockHash,
          node_num: logNumber(head.node.number),
          node_hash: head.node.hash,
        },
        'op-node is behind the committed unsafe head after a refused payload, posting the committed head',
      );
      await this.postUnsafePayload(head);
      return;
    }
    this.deps.logger.debug({ num: logNumber(head.consensusNumber) }, 'unsafe heads agree, nothing to repair');
  }

  /** The EL's latest block number, or undefined if it cannot be read (used by the recovery bound). */
  async latestBlockNumber(): Promise<bigint | undefined> {
    try {
      return (await this.deps.sequencer.latestBlock(this.deps.shutdownSignal)).number;
    } catch (e) {
      this.deps.logger.debug({ err: errorText(e) }, 'failed to read latest block while waiting for recovery');
      return undefined;
    }
  }

  private async postUnsafePayload(head: HeadComparison): Promise<void> {
    const { logger, sequencer } = this.deps;
    logger.debug(
      {
        consensus_num: logNumber(head.consensusNumber),
        consensus_hash: head.consensus.executionPayload.blockHash,
        node_num: logNumber(head.node.number),
        node_hash: head.node.hash,
      },
      'posting unsafe head to op-node',
    );
    try {
      await sequencer.postUnsafePayload(head.consensus);
    } catch (e) {
      logger.error({ err: errorText(e) }, 'failed to post unsafe head payload envelope to op-node');
      throw e;
    }
  }

  /** Go `compareUnsafeHead()`; a mismatch is thrown as MismatchWithHeads so start can repair a 1-block gap. */
  private async compareUnsafeHead(): Promise<HeadComparison> {
    const { logger, consensus, sequencer } = this.deps;
    let fsmHead: ExecutionPayloadEnvelopeJson | undefined;
    try {
      fsmHead = await consensus.latestUnsafePayload();
    } catch (e) {
      throw wrapError('unable to retrieve unsafe head from consensus', e);
    }
    if (fsmHead === undefined) throw controlError('NO_UNSAFE_HEAD');
    let node: BlockRef;
    try {
      node = await sequencer.latestBlock();
    } catch (e) {
      throw wrapError('failed to get latest unsafe block from EL during compareUnsafeHead phase', e);
    }
    const consensusNumber = hexToBigInt(fsmHead.executionPayload.blockNumber);
    const comparison: HeadComparison = { consensus: fsmHead, consensusNumber, node };
    logger.debug(
      { consensus: logNumber(consensusNumber), node: logNumber(node.number) },
      'comparing unsafe head',
    );
    if (!sameHash(fsmHead.executionPayload.blockHash, node.hash)) {
      logger.warn(
        {
          consensus_hash: fsmHead.executionPayload.blockHash,
          consensus_num: logNumber(consensusNumber),
          node_hash: node.hash,
          node_num: logNumber(node.number),
        },
        'latest unsafe block in consensus is not the same as the one in op-node',
      );
      throw new MismatchWithHeads(comparison, new UnsafeHeadMismatchError(consensusNumber, node.number));
    }
    return comparison;
  }
}

/** Internal carrier: the mismatch plus both heads (never escapes this module). */
class MismatchWithHeads extends Error {
  constructor(
    readonly comparison: HeadComparison,
    readonly error: UnsafeHeadMismatchError,
  ) {
    super(error.message);
  }
}

function sameHash(a: Hex, b: Hex): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
