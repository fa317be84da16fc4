/**
 * Client side of one TCP connection to a peer: writes request frames and pairs replies with requests by
 * position (hashicorp servers answer strictly in order on a connection).
 *
 * Invariants:
 * - Every request written is settled exactly once: by its reply, or by a failure when the connection
 *   errors, closes, or the request's deadline (one covering write and read, as Go's) passes; a deadline
 *   miss closes the connection because the stream position is then unknown.
 * - A reply that is an error string leaves the connection usable (Go returns it to the pool).
 * - A connection closed by the peer right after a RequestPreVote, before any reply byte, is reported as
 *   `unexpected command`: that is how a hashicorp < 1.7 transport reacts to rpc type 4, and hashicorp
 *   1.7 candidates count `unexpected command` as a grant, so old peers do not wedge pre-vote elections.
 */
import { connect, type Socket } from 'node:net';
import type { RaftRequest, RaftResponse, RpcFailure } from '../core/messages.ts';
import { decodeResponse } from './codec.ts';
import { FrameBuffer } from './frame-buffer.ts';
import { MsgpackReader, NeedMoreBytes } from './msgpack-reader.ts';
import { ERR_UNEXPECTED_COMMAND_TEXT } from './wire-errors.ts';

/** Replies are small structs; anything near this bound is garbage. */
export const responseBytesMax = 1024 * 1024;

export const ERR_PRE_VOTE_UNSUPPORTED_TEXT = `${ERR_UNEXPECTED_COMMAND_TEXT}: peer closed the connection on RequestPreVote (hashicorp raft < 1.7)`;

const PEER_CLOSED_TEXT = 'connection closed by peer';

export type Settle = (m: RaftResponse | RpcFailure) => void;

interface InFlight {
  readonly req: RaftRequest;
  readonly timer: NodeJS.Timeout;
}

export function failureOf(req: RaftRequest, error: string): RpcFailure {
  return { type: 'rpcFailure', from: req.to, to: req.from, term: req.term, request: req.type, error };
}

export class OutboundConnection {
  private readonly inflight: InFlight[] = [];
  private readonly buf = new FrameBuffer(responseBytesMax);
  private needBytes = 1;
  private closed = false;
  private bytesSinceLastReply = 0;
  onClose: (() => void) | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly settle: Settle,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (c: Buffer) => this.onData(c));
    socket.on('error', (err) => this.fail(err.message));
    socket.on('close', () => this.fail(PEER_CLOSED_TEXT));
  }

  /** Dials `host:port` with Go's dial timeout; rejects with the socket error text. */
  static dial(
    host: string,
    port: number,
    timeoutMs: number,
    settle: Settle,
    localAddress?: string,
  ): Promise<OutboundConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true, ...(localAddress ? { localAddress } : {}) });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`dial tcp ${host}:${port}: i/o timeout`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new OutboundConnection(socket, settle));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      });
    });
  }

  get inflightCount(): number {
    return this.inflight.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(req: RaftRequest, chunks: readonly Uint8Array[], deadlineMs: number): void {
    if (this.closed) {
      this.settle(failureOf(req, 'connection closed'));
      return;
    }
    const timer = setTimeout(() => this.fail(`i/o timeout waiting for ${req.type} reply`), deadlineMs);
    timer.unref();
    this.inflight.push({ req, timer });
    // One writev for the frame: its chunks reference the entries' data rather than copies of it.
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.bytesSinceLastReply += chunk.length;
    if (this.inflight.length === 0) {
      this.fail('unexpected bytes with no request in flight');
      return;
    }
    try {
      this.buf.append(chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    while (this.inflight.length > 0 && this.buf.length >= this.needBytes) {
      const head = this.inflight[0]!;
      const r = new MsgpackReader(this.buf.bytes, this.buf.begin, this.buf.finish, responseBytesMax);
      let m: RaftResponse | RpcFailure;
      try {
        m = decodeResponse(r, head.req);
      } catch (e) {
        if (e instanceof NeedMoreBytes) {
          this.needBytes = e.needEnd - this.buf.begin;
          return;
        }
        this.fail(`bad reply: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      this.buf.consume(r.pos - this.buf.begin);
      this.needBytes = 1;
      this.bytesSinceLastReply = this.buf.length;
      this.inflight.shift();
      clearTimeout(head.timer);
      this.settle(m);
    }
    if (this.inflight.length === 0 && this.buf.length > 0) this.fail('unexpected bytes after the last reply');
  }

  /** Closes the connection, failing every request still in flight. */
  fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    const pending = this.inflight.splice(0);
    const headOnly = this.bytesSinceLastReply === 0;
    for (const [i, f] of pending.entries()) {
      clearTimeout(f.timer);
      const peerHungUp = reason === PEER_CLOSED_TEXT || reason.includes('ECONNRESET');
      const preVoteRefusedByOldPeer = i === 0 && headOnly && peerHungUp && f.req.type === 'requestPreVote';
      this.settle(failureOf(f.req, preVoteRefusedByOldPeer ? ERR_PRE_VOTE_UNSUPPORTED_TEXT : reason));
    }
    this.onClose?.();
  }

  close(): void {
    this.fail('transport closed');
  }
}
