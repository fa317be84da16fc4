/**
 * TCP transport wire-compatible with hashicorp/raft's NetworkTransport (codec.ts for the bytes).
 *
 * Outbound, per peer address, four lanes (hashicorp runs these in separate goroutines, each with its
 * own connection, and so do we):
 * - heartbeat: hashicorp-shaped heartbeats on their own connection, so a multi-MiB AppendEntries
 *   never delays them (the leader lease depends on them);
 * - replication: every other AppendEntries, pipelined on one connection (bounded in flight);
 * - rpc: votes, pre-votes and TimeoutNow, one request per connection at a time from a pool of up to
 *   `maxPool` connections (Go's pool);
 * - snapshot: one InstallSnapshot per fresh connection, closed after its reply, deadline scaled by size.
 * Inbound: any number of connections per peer (bounded overall); requests are handed to the handler and
 * the host's reply (a send() of the response) is matched back to the waiting connection.
 *
 * Invariants:
 * - send() never throws and never blocks; every request ends in exactly one response or `rpcFailure`
 *   delivered asynchronously through the handler (never re-entrantly inside send()).
 * - Every queue, buffer and connection count is bounded by a named option.
 * - Dial failures back off per peer (doubling, capped); while backing off, requests fail fast.
 * - A bad byte stream closes only its own connection.
 */
import { createServer, isIP, type Server, type Socket } from 'node:net';
import type { Logger } from '../../logging/logger.ts';
import {
  isRequest,
  type Peer,
  type RaftMessage,
  type RaftRequest,
  type RaftResponse,
  type RpcFailure,
} from '../core/messages.ts';
import type { ServerAddress, ServerId } from '../core/types.ts';
import { advertisedAddress, isUnspecifiedHost, parseHostPort, TransportConfigError } from './address.ts';
import { encodeRequest, encodeResponse, isHeartbeat, type WireProfile } from './codec.ts';
import {
  InboundConnection,
  type InboundHost,
  type PendingRequest,
  snapshotTimeoutScaleBytes,
} from './inbound-connection.ts';
import { ERR_PRE_VOTE_UNSUPPORTED_TEXT, failureOf, OutboundConnection } from './outbound-connection.ts';

import type { MessageHandler, Transport } from './transport.ts';

/** A pre-vote-capable peer hung up on a pre-vote: it is gone (counted as a refusal). */
const PRE_VOTE_PEER_GONE_TEXT = 'connection closed by a pre-vote capable peer';

export const transportDefaults = {
  /** op-conductor: NewTCPTransportWithLogger(..., maxPool 10, timeout 5 s). */
  maxPool: 10,
  timeoutMs: 5000,
  frameBytesMax: 64 * 1024 * 1024,
  appendEntriesInflightMax: 16,
  heartbeatInflightMax: 2,
  sendQueueMax: 256,
  inboundConnectionsMax: 256,
  inboundPendingMax: 64,
  stalledFrameTimeoutMs: 10_000,
  dialBackoffMinMs: 10,
  dialBackoffMaxMs: 1000,
} as const;

export interface TcpTransportOptions {
  readonly localId: ServerId;
  /** Bind host (may be 0.0.0.0 only with `advertised`). */
  readonly bindHost: string;
  /** Bind port; 0 lets the OS choose (tests). */
  readonly bindPort: number;
  /** host:port peers dial (consensus.advertised). */
  readonly advertised?: ServerAddress;
  readonly logger: Logger;
  readonly maxPool?: number;
  readonly timeoutMs?: number;
  readonly frameBytesMax?: number;
  readonly appendEntriesInflightMax?: number;
  readonly sendQueueMax?: number;
  readonly inboundConnectionsMax?: number;
  readonly inboundPendingMax?: number;
  readonly stalledFrameTimeoutMs?: number;
  readonly profile?: WireProfile;
}

type LaneKind = 'heartbeat' | 'replication' | 'rpc' | 'snapshot';

interface LaneSpec {
  readonly connsMax: number;
  readonly inflightPerConn: number;
  readonly queueMax: number;
  readonly closeAfterEach: boolean;
}

interface Queued {
  readonly req: RaftRequest;
  readonly chunks: readonly Uint8Array[];
  readonly deadlineMs: number;
}

/** Per-peer dial backoff shared by the peer's lanes. */
class PeerLink {
  failures = 0;
  backoffUntil = 0;
  /**
   * Set once the peer answered a RequestPreVote: it runs hashicorp ≥ 1.7 (or us), so a later connection closed on a
   * pre-vote is a dead or unreachable peer (e.g. a proxy or load balancer that accepts then drops), not an old
   * peer refusing type 4 — and must count as a refusal, not as the grant hashicorp gives old peers.
   */
  preVoteSupported = false;
  readonly lanes = new Map<LaneKind, Lane>();
  constructor(
    readonly host: string,
    readonly port: number,
  ) {}
}

class Lane {
  private readonly conns: OutboundConnection[] = [];
  private dialing = 0;
  private readonly queue: Queued[] = [];
  private closed = false;

  constructor(
    private readonly link: PeerLink,
    private readonly spec: LaneSpec,
    private readonly t: TcpTransport,
  ) {}

  submit(q: Queued): void {
    if (this.queue.length >= this.spec.queueMax) {
      this.t.deliverLater(failureOf(q.req, 'send queue full'));
      return;
    }
    this.queue.push(q);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      const conn = this.conns.find((c) => !c.isClosed && c.inflightCount < this.spec.inflightPerConn);
      if (conn !== undefined) {
        const q = this.queue.shift()!;
        conn.send(q.req, q.chunks, q.deadlineMs);
        continue;
      }
      if (this.conns.length + this.dialing >= this.spec.connsMax || this.dialing > 0) return;
      if (Date.now() < this.link.backoffUntil) {
        this.failQueued(`backing off after dial failure to ${this.link.host}:${this.link.port}`);
        return;
      }
      this.dial();
      return;
    }
  }

  private dial(): void {
    this.dialing++;
    OutboundConnection.dial(
      this.link.host,
      this.link.port,
      this.t.timeoutMs,
      (m) => this.onSettle(m),
      this.t.dialLocalAddress,
    ).then(
      (c) => {
        this.dialing--;
        if (this.closed) {
          c.close();
          return;
        }
        this.link.failures = 0;
        this.link.backoffUntil = 0;
        c.onClose = () => {
          const i = this.conns.indexOf(c);
          if (i >= 0) this.conns.splice(i, 1);
          this.pump();
        };
        this.conns.push(c);
        this.pump();
      },
      (err: Error) => {
        this.dialing--;
        this.link.failures++;
        const backoff = Math.min(
          transportDefaults.dialBackoffMinMs * 2 ** (this.link.failures - 1),
          transportDefaults.dialBackoffMaxMs,
        );
        this.link.backoffUntil = Date.now() + backoff;
        this.failQueued(err.message);
      },
    );
  }

  private onSettle(m: RaftResponse | RpcFailure): void {
    if (m.type === 'requestPreVoteResponse') this.link.preVoteSupported = true;
    if (m.type === 'rpcFailure' && m.error === ERR_PRE_VOTE_UNSUPPORTED_TEXT && this.link.preVoteSupported) {
      this.t.deliverNow({ ...m, error: PRE_VOTE_PEER_GONE_TEXT });
    } else {
      this.t.deliverNow(m);
    }
    if (this.spec.closeAfterEach) {
      for (const c of this.conns) if (c.inflightCount === 0) c.close();
    }
    // A freed slot may let queued requests go.
    queueMicrotask(() => this.pump());
  }

  private failQueued(error: string): void {
    for (const q of this.queue.splice(0)) this.t.deliverLater(failureOf(q.req, error));
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const c of this.conns.splice(0)) {
      c.onClose = null;
      c.close();
    }
  }
}

const RESPONSE_TO: Readonly<Record<RaftResponse['type'], RaftRequest['type']>> = {
  appendEntriesResponse: 'appendEntries',
  requestVoteResponse: 'requestVote',
  requestPreVoteResponse: 'requestPreVote',
  installSnapshotResponse: 'installSnapshot',
  timeoutNowResponse: 'timeoutNow',
};

function samePeer(a: Peer, b: Peer): boolean {
  return (
    (a.id === b.id && a.addr === b.addr) ||
    (b.id !== '' && a.id === b.id) ||
    (b.addr !== '' && a.addr === b.addr)
  );
}

/** Does `resp` answer the waiting request `p`? `exact` also compares the correlation fields. */
function answers(p: PendingRequest, resp: RaftResponse, exact: boolean): boolean {
  const req = p.msg;
  if (p.reply !== null || req.type !== RESPONSE_TO[resp.type] || !samePeer(req.from, resp.to)) return false;
  if (!exact) return true;
  if (resp.type === 'appendEntriesResponse' && req.type === 'appendEntries') {
    return (
      resp.inReplyTo.prevLogIndex === req.prevLogIndex &&
      resp.inReplyTo.lastIndex === req.prevLogIndex + req.entries.length
    );
  }
  if (resp.type === 'installSnapshotResponse' && req.type === 'installSnapshot') {
    return resp.inReplyTo.lastLogIndex === req.lastLogIndex;
  }
  return true;
}

export class TcpTransport implements Transport, InboundHost {
  readonly timeoutMs: number;
  /**
   * Outbound connections leave from the bind address when it is a specific IP (multi-homed hosts, and
   * the devnet's per-node loopback addresses, whose fault proxies partition by source address).
   */
  readonly dialLocalAddress: string | undefined;
  private readonly o: Required<
    Omit<TcpTransportOptions, 'advertised' | 'logger' | 'localId' | 'bindHost' | 'bindPort'>
  >;
  private readonly log: Logger;
  private handler: MessageHandler | null = null;
  private server: Server | null = null;
  private started: Promise<void> | null = null;
  private addr: ServerAddress;
  private readonly links = new Map<ServerAddress, PeerLink>();
  private readonly inbound = new Set<InboundConnection>();
  /** Requests delivered to the host and not yet answered, oldest first. */
  private readonly waiting = new Set<PendingRequest>();
  private closed = false;

  constructor(private readonly opts: TcpTransportOptions) {
    this.log = opts.logger;
    this.dialLocalAddress =
      isIP(opts.bindHost) !== 0 && !isUnspecifiedHost(opts.bindHost) ? opts.bindHost : undefined;
    this.o = {
      maxPool: opts.maxPool ?? transportDefaults.maxPool,
      timeoutMs: opts.timeoutMs ?? transportDefaults.timeoutMs,
      frameBytesMax: opts.frameBytesMax ?? transportDefaults.frameBytesMax,
      appendEntriesInflightMax: opts.appendEntriesInflightMax ?? transportDefaults.appendEntriesInflightMax,
      sendQueueMax: opts.sendQueueMax ?? transportDefaults.sendQueueMax,
      inboundConnectionsMax: opts.inboundConnectionsMax ?? transportDefaults.inboundConnectionsMax,
      inboundPendingMax: opts.inboundPendingMax ?? transportDefaults.inboundPendingMax,
      stalledFrameTimeoutMs: opts.stalledFrameTimeoutMs ?? transportDefaults.stalledFrameTimeoutMs,
      profile: opts.profile ?? 'v1.7',
    };
    this.timeoutMs = this.o.timeoutMs;
    // Go refuses at construction; so do we (the port may still be 0 until start()).
    this.addr = advertisedAddress(opts.bindHost, opts.bindPort, opts.advertised);
  }

  localAddr(): ServerAddress {
    return this.addr;
  }

  private get self(): Peer {
    return { id: this.opts.localId, addr: this.addr };
  }

  setHandler(handler: MessageHandler): void {
    this.handler = handler;
  }

  start(): Promise<void> {
    if (this.started !== null) return this.started;
    this.started = new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true }, (s) => this.onConnection(s));
      server.once('error', reject);
      server.listen({ host: this.opts.bindHost, port: this.opts.bindPort }, () => {
        server.removeListener('error', reject);
        server.on('error', (err) => this.log.error({ err }, 'raft transport: listener error'));
        const a = server.address();
        if (a !== null && typeof a === 'object') {
          this.addr = advertisedAddress(this.opts.bindHost, a.port, this.opts.advertised);
        }
        this.server = server;
        this.log.info(
          { bind: `${this.opts.bindHost}:${this.opts.bindPort}`, advertised: this.addr },
          'raft transport listening',
        );
        resolve();
      });
    });
    return this.started;
  }

  private onConnection(s: Socket): void {
    if (this.closed || this.inbound.size >= this.o.inboundConnectionsMax) {
      s.destroy();
      return;
    }
    const c = new InboundConnection(
      s,
      this.self,
      {
        frameBytesMax: this.o.frameBytesMax,
        pendingMax: this.o.inboundPendingMax,
        stalledFrameTimeoutMs: this.o.stalledFrameTimeoutMs,
        answerTimeoutMs: this.o.timeoutMs,
      },
      this,
      this.log,
    );
    this.inbound.add(c);
    s.on('close', () => this.inbound.delete(c));
  }

  // InboundHost
  deliver(p: PendingRequest): void {
    this.waiting.add(p);
    this.deliverNow(p.msg);
  }

  forget(p: PendingRequest): void {
    this.waiting.delete(p);
  }

  /** Delivers a message to the handler now (socket callbacks are already outside send()). */
  deliverNow(m: RaftMessage): void {
    if (this.closed || this.handler === null) return;
    try {
      this.handler(m);
    } catch (err) {
      this.log.error({ err, type: m.type }, 'raft transport: message handler threw');
    }
  }

  /** Defers delivery so the handler is never re-entered from inside send(). */
  deliverLater(m: RaftMessage): void {
    setImmediate(() => this.deliverNow(m));
  }

  send(msg: RaftMessage): void {
    if (this.closed) return;
    if (msg.type === 'rpcFailure') return;
    if (isRequest(msg)) this.sendRequest(msg);
    else this.sendResponse(msg);
  }

  private sendResponse(resp: RaftResponse): void {
    let target: PendingRequest | undefined;
    for (const exact of [true, false]) {
      for (const p of this.waiting) {
        if (answers(p, resp, exact)) {
          target = p;
          break;
        }
      }
      if (target !== undefined) break;
    }
    if (target === undefined) {
      this.log.debug(
        { type: resp.type, to: resp.to },
        'raft transport: reply with no waiting request dropped',
      );
      return;
    }
    this.waiting.delete(target);
    target.conn.answer(target, encodeResponse(resp, this.o.profile));
  }

  private sendRequest(req: RaftRequest): void {
    let link = this.links.get(req.to.addr);
    if (link === undefined) {
      let hp: { host: string; port: number };
      try {
        hp = parseHostPort(req.to.addr);
      } catch (e) {
        this.deliverLater(failureOf(req, e instanceof TransportConfigError ? e.message : String(e)));
        return;
      }
      link = new PeerLink(hp.host, hp.port);
      this.links.set(req.to.addr, link);
    }
    const kind: LaneKind =
      req.type === 'appendEntries'
        ? isHeartbeat(req)
          ? 'heartbeat'
          : 'replication'
        : req.type === 'installSnapshot'
          ? 'snapshot'
          : 'rpc';
    let lane = link.lanes.get(kind);
    if (lane === undefined) {
      lane = new Lane(link, this.laneSpec(kind), this);
      link.lanes.set(kind, lane);
    }
    let deadlineMs = this.o.timeoutMs;
    if (req.type === 'installSnapshot') {
      // hashicorp: timeout × (size / TimeoutScale), at least timeout.
      deadlineMs = this.o.timeoutMs * Math.max(1, Math.floor(req.data.length / snapshotTimeoutScaleBytes));
    }
    lane.submit({ req, chunks: encodeRequest(req, this.o.profile), deadlineMs });
  }

  private laneSpec(kind: LaneKind): LaneSpec {
    const q = this.o.sendQueueMax;
    switch (kind) {
      case 'heartbeat':
        return {
          connsMax: 1,
          inflightPerConn: transportDefaults.heartbeatInflightMax,
          queueMax: 8,
          closeAfterEach: false,
        };
      case 'replication':
        return {
          connsMax: 1,
          inflightPerConn: this.o.appendEntriesInflightMax,
          queueMax: q,
          closeAfterEach: false,
        };
      case 'rpc':
        return { connsMax: this.o.maxPool, inflightPerConn: 1, queueMax: q, closeAfterEach: false };
      case 'snapshot':
        return { connsMax: 1, inflightPerConn: 1, queueMax: 1, closeAfterEach: true };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const link of this.links.values()) for (const lane of link.lanes.values()) lane.close();
    this.links.clear();
    for (const c of this.inbound) c.close('transport closed');
    this.inbound.clear();
    this.waiting.clear();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
