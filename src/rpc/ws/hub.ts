/**
 * Fan-out of flashblocks messages to downstream WebSocket clients (Go `rpc/ws` hub).
 *
 * Invariants: a broadcast never waits on a client; each client may have at most `clientBufferMessages`
 * sends in flight, and a client that reaches the bound is dropped and closed (slow clients must not hold
 * memory or delay others). The gauge `websocket_clients_connected` always equals the registered count.
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';

/** Go's per-client send channel size. */
export const clientBufferMessagesDefault = 256;
const POLICY_VIOLATION_CLOSE_CODE = 1008;

interface ClientState {
  inFlight: number;
}

export class FlashblocksHub {
  readonly #clients = new Map<WebSocket, ClientState>();
  readonly #bufferMax: number;
  readonly #log: Logger;
  readonly #metrics: Metrics;

  constructor(opts: { log: Logger; metrics: Metrics; clientBufferMessages?: number }) {
    this.#bufferMax = opts.clientBufferMessages ?? clientBufferMessagesDefault;
    this.#log = opts.log;
    this.#metrics = opts.metrics;
  }

  get size(): number {
    return this.#clients.size;
  }

  register(ws: WebSocket): void {
    this.#clients.set(ws, { inFlight: 0 });
    this.#metrics.websocketClientsConnected.set(this.#clients.size);
    ws.once('close', () => this.unregister(ws));
  }

  unregister(ws: WebSocket): void {
    if (this.#clients.delete(ws)) this.#metrics.websocketClientsConnected.set(this.#clients.size);
  }

  /** Send `message` as a text frame to every client; drop the ones whose buffer is full. */
  broadcast(message: string): void {
    for (const [ws, state] of this.#clients) {
      if (state.inFlight >= this.#bufferMax) {
        this.#log.warn({ inFlight: state.inFlight }, 'dropping slow websocket client');
        this.unregister(ws);
        ws.close(POLICY_VIOLATION_CLOSE_CODE, 'slow consumer');
        // A client that does not even complete the close handshake is cut off.
        setTimeout(() => ws.terminate(), 1000).unref();
        continue;
      }
      state.inFlight++;
      ws.send(message, { binary: false }, () => {
        state.inFlight--;
      });
    }
  }

  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const ws of [...this.#clients.keys()]) {
      this.unregister(ws);
      ws.close(code, reason);
    }
  }
}
