/**
 * The Consensus interface over the Raft host and the payload FSM (Go `consensus/raft.go`).
 *
 * Invariants:
 * - every Raft operation carries hashicorp's 5 s timeout (RAFT_OP_TIMEOUT_MS), so no caller waits forever;
 * - commitUnsafePayload resolves only once the entry is committed and applied on this leader, and surfaces
 *   the FSM's own error (Base #37 behaviour; upstream Go ignores it) so a payload the FSM refused is never
 *   reported as committed;
 * - membership changes that add a server test a TCP connection to it first (Go #11210), so a typo in an
 *   address never enters the configuration;
 * - transferLeader on a follower is a success (Go swallows ErrNotLeader).
 */
import { connect } from 'node:net';
import type { ExecutionPayloadEnvelopeJson } from '../fsm/envelope.ts';
import { envelopeToJson } from '../fsm/payload-codec.ts';
import type { PayloadFsm } from '../fsm/payload-fsm.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { isRaftError, RaftErrorCode } from '../raft/core/errors.ts';
import { Suffrage } from '../raft/core/types.ts';
import type { RaftHost } from '../raft/host/raft-host.ts';
import type { ClusterMembership, Consensus, EncodedPayload, ServerInfo } from './consensus.ts';

/** hashicorp Apply/Barrier/membership enqueue timeout as op-conductor passes it. */
export const RAFT_OP_TIMEOUT_MS = 5_000;
/** TCP connection test before adding a member (Go: 5 s). */
export const CONNECT_TEST_TIMEOUT_MS = 5_000;

export class FsmApplyError extends Error {
  constructor(cause: Error) {
    super(`failed to apply payload envelope to FSM: ${cause.message}`, { cause });
    this.name = 'FsmApplyError';
  }
}

export interface RaftConsensusOptions {
  readonly host: RaftHost;
  readonly fsm: PayloadFsm;
  readonly serverId: string;
  readonly addr: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Dial `addr` (host:port) and close: resolves when reachable within the timeout, else rejects with the dial error. */
export async function testTcpConnection(addr: string, timeoutMs = CONNECT_TEST_TIMEOUT_MS): Promise<void> {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(addr);
  if (!m) throw new Error(`address ${addr}: missing port in address`);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: m[1]!, port: Number(m[2]) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`dial tcp ${addr}: i/o timeout`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new Error(
          `dial tcp ${addr}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`,
        ),
      );
    });
  });
}

export class RaftConsensus implements Consensus {
  private readonly host: RaftHost;
  private readonly fsm: PayloadFsm;
  private readonly log: Logger;
  private readonly metrics: Metrics;

  constructor(private readonly opts: RaftConsensusOptions) {
    this.host = opts.host;
    this.fsm = opts.fsm;
    this.log = opts.logger;
    this.metrics = opts.metrics;
  }

  leader(): boolean {
    return this.host.state() === 'leader';
  }

  leaderWithId(): ServerInfo {
    const l = this.host.leader();
    return { id: l.id, addr: l.addr, suffrage: 0 };
  }

  onLeaderChange(listener: (isLeader: boolean) => void): () => void {
    return this.host.onLeaderChange(listener);
  }

  serverId(): string {
    return this.opts.serverId;
  }

  addr(): string {
    return this.opts.addr;
  }

  async addVoter(id: string, addr: string, version: number): Promise<void> {
    await this.connectionTest(addr);
    try {
      await this.host.addVoter(id, addr, version, RAFT_OP_TIMEOUT_MS);
    } catch (err) {
      this.log.error({ err, id, addr, version }, 'failed to add voter');
      throw err;
    }
  }

  async addNonVoter(id: string, addr: string, version: number): Promise<void> {
    await this.connectionTest(addr);
    try {
      await this.host.addNonvoter(id, addr, version, RAFT_OP_TIMEOUT_MS);
    } catch (err) {
      this.log.error({ err, id, addr, version }, 'failed to add non-voter');
      throw err;
    }
  }

  async demoteVoter(id: string, version: number): Promise<void> {
    await this.host.demoteVoter(id, version, RAFT_OP_TIMEOUT_MS);
  }

  async removeServer(id: string, version: number): Promise<void> {
    try {
      await this.host.removeServer(id, version, RAFT_OP_TIMEOUT_MS);
    } catch (err) {
      this.log.error({ err, id, version }, 'failed to remove server');
      throw err;
    }
  }

  async transferLeader(): Promise<void> {
    try {
      await this.host.leadershipTransfer();
    } catch (err) {
      if (isRaftError(err, RaftErrorCode.NotLeader)) return;
      this.log.error({ err }, 'failed to transfer leadership');
      throw err;
    }
  }

  async transferLeaderTo(id: string, addr: string): Promise<void> {
    try {
      await this.host.leadershipTransferToServer(id, addr);
    } catch (err) {
      this.log.error({ err, id, addr }, 'failed to transfer leadership to server');
      throw err;
    }
  }

  async clusterMembership(): Promise<ClusterMembership> {
    const c = this.host.getConfiguration();
    return {
      servers: c.servers.map((s) => ({
        id: s.id,
        addr: s.address,
        suffrage: s.suffrage === Suffrage.Voter ? 0 : 1,
      })),
      version: c.index,
    };
  }

  async commitUnsafePayload(payload: EncodedPayload): Promise<void> {
    const number = payload.blockNumber.toString();
    this.log.debug({ number, hash: payload.blockHash }, 'committing unsafe payload');
    this.metrics.commitPayloadSize.observe(payload.ssz.length);
    const t0 = performance.now();
    const { response } = await this.host.apply(payload.ssz, RAFT_OP_TIMEOUT_MS);
    this.metrics.commitRaftApplyDuration.observe((performance.now() - t0) / 1000);
    if (response instanceof Error) throw new FsmApplyError(response);
    this.log.debug({ number, hash: payload.blockHash }, 'unsafe payload committed');
  }

  async latestUnsafePayload(): Promise<ExecutionPayloadEnvelopeJson | undefined> {
    await this.host.barrier(RAFT_OP_TIMEOUT_MS);
    const env = this.fsm.latest();
    return env ? envelopeToJson(env) : undefined;
  }

  async shutdown(): Promise<void> {
    await this.host.shutdown();
  }

  private async connectionTest(addr: string): Promise<void> {
    try {
      await testTcpConnection(addr);
    } catch (err) {
      this.log.error({ err, addr }, 'connection test to member addr failed');
      throw err;
    }
  }
}
