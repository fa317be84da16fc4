/**
 * Serving side of one accepted TCP connection (a Go or TS peer's client connection).
 *
 * Invariants:
 * - Replies leave in request order (hashicorp clients pair replies with requests by position); a reply
 *   that is ready early waits in its slot until every earlier one is written.
 * - At most `pendingMax` requests await a reply; past that the socket is paused, so a pipelining
 *   client is throttled by TCP instead of by our memory.
 * - Any malformed frame, unknown RPC type, oversize frame, stalled partial frame or unanswered request
 *   closes this connection only (hashicorp closes on `unknown rpc type N` too, without a reply).
 * - An InstallSnapshot's body is consumed in full before its reply is written (raft issue #212).
 */
import type { Socket } from 'node:net';
import type { Logger } from '../../logging/logger.ts';
import type { Peer, RaftRequest } from '../core/messages.ts';
import {
  type DecodedRequest,
  encodeErrorResponse,
  protocolVersionAcceptedMax,
  protocolVersionAcceptedMin,
  readRequestFrame,
} from './codec.ts';
import { FrameBuffer } from './frame-buffer.ts';
import { MsgpackReader, NeedMoreBytes } from './msgpack-reader.ts';
import { ERR_PROTOCOL_VERSION_TEXT, WireError } from './wire-errors.ts';

/** hashicorp TimeoutScale: the snapshot deadline grows by one timeout per 256 KiB. */
export const snapshotTimeoutScaleBytes = 256 * 1024;

export interface InboundLimits {
  readonly frameBytesMax: number;
  readonly pendingMax: number;
  /** A partial frame that receives no byte for this long is abandoned (slowloris). */
  readonly stalledFrameTimeoutMs: number;
  /** A request the host does not answer within this (scaled for snapshots) closes the connection. */
  readonly answerTimeoutMs: number;
}

/** One request waiting for the host's reply. */
export interface PendingRequest {
  readonly conn: InboundConnection;
  readonly msg: RaftRequest;
  reply: Uint8Array | null;
  timer: NodeJS.Timeout | null;
}

export interface InboundHost {
  /** Registers and delivers a request; the host answers through `answer`. */
  deliver(p: PendingRequest): void;
  /** Forgets requests that can no longer be answered (connection gone). */
  forget(p: PendingRequest): void;
}

export class InboundConnection {
  private readonly socket: Socket;
  private readonly buf: FrameBuffer;
  private readonly slots: PendingRequest[] = [];
  private needBytes = 1;
  private paused = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    socket: Socket,
    private readonly local: Peer,
    private readonly limits: InboundLimits,
    private readonly host: InboundHost,
    private readonly log: Logger,
  ) {
    this.socket = socket;
    this.buf = new FrameBuffer(limits.frameBytesMax);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`));
    socket.on('close', () => this.close('closed by peer'));
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.buf.append(chunk);
    } catch (e) {
      this.close(e instanceof Error ? e.message : String(e));
      return;
    }
    this.parse();
  }

  private parse(): void {
    while (!this.closed && !this.paused && this.buf.length >= this.needBytes) {
      const r = new MsgpackReader(this.buf.bytes, this.buf.begin, this.buf.finish, this.limits.frameBytesMax);
      let decoded: DecodedRequest;
      try {
        decoded = readRequestFrame(r, this.local);
      } catch (e) {
        if (e instanceof NeedMoreBytes) {
          this.needBytes = e.needEnd - this.buf.begin;
          this.buf.reserve(this.needBytes);
          break;
        }
        if (e instanceof WireError) {
          this.log.warn(
            { remote: this.remote, err: e.message },
            'raft transport: closing connection on bad frame',
          );
          this.close(e.message);
          return;
        }
        throw e;
      }
      this.buf.consume(r.pos - this.buf.begin);
      this.needBytes = 1;
      this.accept(decoded);
      if (this.slots.length >= this.limits.pendingMax) this.pause();
    }
    this.armStallTimer();
  }

  private armStallTimer(): void {
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    if (this.closed || this.paused || this.buf.length === 0) return;
    this.stallTimer = setTimeout(
      () => this.close('partial frame stalled'),
      this.limits.stalledFrameTimeoutMs,
    );
    this.stallTimer.unref();
  }

  private accept(d: DecodedRequest): void {
    const slot: PendingRequest = { conn: this, msg: d.msg, reply: null, timer: null };
    this.slots.push(slot);
    // hashicorp checks the header before the core sees the request; its heartbeat fast path skips it.
    const pv = d.protocolVersion;
    if (!d.heartbeat && (pv < protocolVersionAcceptedMin || pv > protocolVersionAcceptedMax)) {
      this.answer(slot, encodeErrorResponse(ERR_PROTOCOL_VERSION_TEXT));
      return;
    }
    const scale =
      d.msg.type === 'installSnapshot' ? Math.floor(d.msg.data.length / snapshotTimeoutScaleBytes) : 1;
    slot.timer = setTimeout(
      () => this.close(`no reply to ${d.msg.type} from the host`),
      this.limits.answerTimeoutMs * Math.max(1, scale),
    );
    slot.timer.unref();
    this.host.deliver(slot);
  }

  /** Stores the reply for `slot` and writes every reply that is now first in line. */
  answer(slot: PendingRequest, reply: Uint8Array): void {
    if (this.closed || slot.reply !== null) return;
    slot.reply = reply;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    while (this.slots.length > 0 && this.slots[0]!.reply !== null) {
      const s = this.slots.shift()!;
      this.socket.write(s.reply!);
    }
    if (this.paused && this.slots.length < this.limits.pendingMax) {
      this.paused = false;
      this.socket.resume();
      this.parse();
    }
  }

  private pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.debug({ remote: this.remote, reason }, 'raft transport: inbound connection closed');
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    for (const s of this.slots) {
      if (s.timer !== null) clearTimeout(s.timer);
      this.host.forget(s);
    }
    this.slots.length = 0;
    this.socket.destroy();
  }
}
