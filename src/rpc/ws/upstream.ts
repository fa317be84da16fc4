/**
 * The upstream rollup-boost/builder flashblocks connection (Go `rpc/ws/flashblocks_handler.go`).
 *
 * Invariants:
 * - Connected only while this node is leader (override-aware `leader()`, polled every `pollMs`): gaining
 *   leadership dials (1 attempt, `dialTimeoutMs`) and redials at most every `redialMs`; losing it closes.
 * - Each message is forwarded only if still leader at that moment.
 * - Every dial counts `rollup_boost_connection_attempts_count{success, source=<url>}`.
 * - Keepalive: ping every `pingIntervalMs`; no pong within `pongTimeoutMs` → terminate and redial.
 */
import WebSocket from 'ws';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { payloadBytesMaxDefault, pingIntervalMsDefault, pongTimeoutMsDefault } from './downstream-server.ts';

export const leaderPollMsDefault = 500;
export const redialMsDefault = 5_000;
export const dialTimeoutMsDefault = 5_000;

export interface UpstreamOptions {
  readonly url: string;
  readonly leader: () => boolean;
  readonly onMessage: (message: string) => void;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly pollMs?: number;
  readonly redialMs?: number;
  readonly dialTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly payloadBytesMax?: number;
}

export class UpstreamConnection {
  readonly #o: UpstreamOptions;
  #ws: WebSocket | undefined;
  #dialing = false;
  #lastDialMs = Number.NEGATIVE_INFINITY;
  #poller: NodeJS.Timeout | undefined;
  #pinger: NodeJS.Timeout | undefined;
  #awaitingPongSince: number | undefined;
  #stopped = false;

  constructor(opts: UpstreamOptions) {
    this.#o = opts;
  }

  get connected(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** One dial attempt; resolves with the open socket or rejects. Counts the attempt. */
  async dialOnce(): Promise<void> {
    this.#dialing = true;
    this.#lastDialMs = Date.now();
    try {
      const ws = await openSocket(
        this.#o.url,
        this.#o.dialTimeoutMs ?? dialTimeoutMsDefault,
        this.#o.payloadBytesMax,
      );
      this.#o.metrics.rollupBoostConnectionAttempts.inc({ success: 'true', source: this.#o.url });
      this.#attach(ws);
    } catch (e) {
      this.#o.metrics.rollupBoostConnectionAttempts.inc({ success: 'false', source: this.#o.url });
      throw e;
    } finally {
      this.#dialing = false;
    }
  }

  #attach(ws: WebSocket): void {
    if (this.#stopped) {
      ws.terminate();
      return;
    }
    this.#ws = ws;
    this.#awaitingPongSince = undefined;
    ws.on('message', (data, isBinary) => {
      if (!this.#o.leader()) return;
      this.#o.onMessage(isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString());
    });
    ws.on('pong', () => {
      this.#awaitingPongSince = undefined;
    });
    ws.on('error', (err) => this.#o.log.warn({ err: err.message }, 'flashblocks upstream error'));
    ws.once('close', () => {
      if (this.#ws === ws) this.#ws = undefined;
      this.#o.log.info({ url: this.#o.url }, 'flashblocks upstream disconnected');
    });
  }

  /** Start the leader poll loop and keepalive. */
  start(): void {
    const poll = this.#o.pollMs ?? leaderPollMsDefault;
    this.#poller = setInterval(() => this.#tick(), poll);
    const pingEvery = this.#o.pingIntervalMs ?? pingIntervalMsDefault;
    this.#pinger = setInterval(() => this.#keepalive(), pingEvery);
  }

  #tick(): void {
    if (this.#stopped) return;
    const leader = this.#o.leader();
    if (!leader) {
      if (this.#ws) {
        this.#o.log.info('not leader: closing flashblocks upstream');
        this.#ws.close(1000, 'not leader');
        this.#ws = undefined;
      }
      return;
    }
    if (this.#ws || this.#dialing) return;
    if (Date.now() - this.#lastDialMs < (this.#o.redialMs ?? redialMsDefault)) return;
    this.dialOnce().catch((e: unknown) =>
      this.#o.log.warn(
        { err: e instanceof Error ? e.message : String(e), url: this.#o.url },
        'flashblocks upstream dial failed',
      ),
    );
  }

  #keepalive(): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const timeout = this.#o.pongTimeoutMs ?? pongTimeoutMsDefault;
    if (this.#awaitingPongSince !== undefined && Date.now() - this.#awaitingPongSince > timeout) {
      this.#o.log.warn('flashblocks upstream did not answer ping, reconnecting');
      ws.terminate();
      this.#ws = undefined;
      return;
    }
    this.#awaitingPongSince ??= Date.now();
    ws.ping();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#poller) clearInterval(this.#poller);
    if (this.#pinger) clearInterval(this.#pinger);
    this.#ws?.terminate();
    this.#ws = undefined;
  }
}

function openSocket(url: string, timeoutMs: number, payloadBytesMax?: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      maxPayload: payloadBytesMax ?? payloadBytesMaxDefault,
      handshakeTimeout: timeoutMs,
    });
    const fail = (err: Error) => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(err);
    };
    ws.once('open', () => {
      ws.removeListener('error', fail);
      resolve(ws);
    });
    ws.once('error', fail);
  });
}
