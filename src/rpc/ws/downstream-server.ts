/**
 * The downstream flashblocks WebSocket server (Go `rpc/ws/server.go`): its own HTTP server on
 * `websocket.server-port`, upgrade path `/ws`, no compression, frames up to `payloadBytesMax`.
 *
 * Invariants: idle clients are kept alive by server pings (every `pingIntervalMs`) and terminated only
 * when a pong does not come back within `pongTimeoutMs` (no 30 s idle teardown, unlike upstream Go);
 * what clients send is ignored.
 */
import { createServer, type Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../logging/logger.ts';
import type { FlashblocksHub } from './hub.ts';

export const WS_PATH = '/ws';
export const payloadBytesMaxDefault = 16 * 1024 * 1024;
export const pingIntervalMsDefault = 15_000;
export const pongTimeoutMsDefault = 10_000;

export interface DownstreamOptions {
  readonly host: string;
  readonly port: number;
  readonly hub: FlashblocksHub;
  readonly log: Logger;
  readonly payloadBytesMax?: number;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
}

export class DownstreamServer {
  readonly #opts: DownstreamOptions;
  #http: Server | undefined;
  #wss: WebSocketServer | undefined;
  #pinger: NodeJS.Timeout | undefined;
  readonly #awaitingPong = new Map<WebSocket, number>();

  constructor(opts: DownstreamOptions) {
    this.#opts = opts;
  }

  async start(): Promise<number> {
    const http = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
    });
    const wss = new WebSocketServer({
      server: http,
      path: WS_PATH,
      perMessageDeflate: false,
      maxPayload: this.#opts.payloadBytesMax ?? payloadBytesMaxDefault,
    });
    wss.on('connection', (ws) => this.#onConnection(ws));
    this.#http = http;
    this.#wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.#opts.port, this.#opts.host, () => resolve());
    });
    const interval = this.#opts.pingIntervalMs ?? pingIntervalMsDefault;
    this.#pinger = setInterval(() => this.#pingAll(), interval);
    this.#pinger.unref();
    const addr = http.address();
    if (addr === null || typeof addr === 'string') throw new Error('websocket server has no TCP address');
    return addr.port;
  }

  #onConnection(ws: WebSocket): void {
    ws.on('pong', () => this.#awaitingPong.delete(ws));
    ws.on('message', () => {});
    ws.on('error', (err) => this.#opts.log.debug({ err: err.message }, 'websocket client error'));
    ws.once('close', () => this.#awaitingPong.delete(ws));
    this.#opts.hub.register(ws);
  }

  #pingAll(): void {
    const now = Date.now();
    const timeout = this.#opts.pongTimeoutMs ?? pongTimeoutMsDefault;
    for (const ws of this.#wss?.clients ?? []) {
      const since = this.#awaitingPong.get(ws);
      if (since !== undefined && now - since > timeout) {
        this.#opts.log.info('websocket client did not answer ping, closing');
        this.#opts.hub.unregister(ws);
        ws.terminate();
        continue;
      }
      if (since === undefined) this.#awaitingPong.set(ws, now);
      ws.ping();
    }
  }

  async stop(): Promise<void> {
    if (this.#pinger) clearInterval(this.#pinger);
    this.#opts.hub.closeAll();
    for (const ws of this.#wss?.clients ?? []) ws.terminate();
    await new Promise<void>((resolve) => (this.#wss ? this.#wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.#http ? this.#http.close(() => resolve()) : resolve()));
  }
}
