/**
 * Flashblocks relay (spec §9), enabled when `rollupboost.ws-url` is set: re-broadcasts the upstream
 * rollup-boost stream to downstream clients while this node is leader; followers keep their clients
 * connected but silent.
 *
 * Invariants: start() first dials the upstream like Go's init (`initialDialAttempts` × `initialDialBackoffMs`,
 * failure aborts start), then keeps it connected only while leader; stop() closes upstream, clients and
 * the server and is idempotent.
 */
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { DownstreamServer } from './downstream-server.ts';
import { FlashblocksHub } from './hub.ts';
import { UpstreamConnection } from './upstream.ts';

export const initialDialAttemptsDefault = 5;
export const initialDialBackoffMsDefault = 5_000;

export interface FlashblocksRelayOptions {
  readonly upstreamUrl: string;
  readonly host: string;
  readonly port: number;
  /** Override-aware leadership (ConductorApi.leader). */
  readonly leader: () => boolean;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly initialDialAttempts?: number;
  readonly initialDialBackoffMs?: number;
  readonly pollMs?: number;
  readonly redialMs?: number;
  readonly dialTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly clientBufferMessages?: number;
  readonly payloadBytesMax?: number;
}

function optional<K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, V>);
}

export class FlashblocksRelay {
  readonly #o: FlashblocksRelayOptions;
  readonly #hub: FlashblocksHub;
  readonly #server: DownstreamServer;
  readonly #upstream: UpstreamConnection;
  #stopped = false;

  constructor(o: FlashblocksRelayOptions) {
    this.#o = o;
    this.#hub = new FlashblocksHub({
      log: o.log,
      metrics: o.metrics,
      ...optional('clientBufferMessages', o.clientBufferMessages),
    });
    this.#server = new DownstreamServer({
      host: o.host,
      port: o.port,
      hub: this.#hub,
      log: o.log,
      ...optional('payloadBytesMax', o.payloadBytesMax),
      ...optional('pingIntervalMs', o.pingIntervalMs),
      ...optional('pongTimeoutMs', o.pongTimeoutMs),
    });
    this.#upstream = new UpstreamConnection({
      url: o.upstreamUrl,
      leader: o.leader,
      onMessage: (m) => this.#hub.broadcast(m),
      log: o.log,
      metrics: o.metrics,
      ...optional('pollMs', o.pollMs),
      ...optional('redialMs', o.redialMs),
      ...optional('dialTimeoutMs', o.dialTimeoutMs),
      ...optional('pingIntervalMs', o.pingIntervalMs),
      ...optional('pongTimeoutMs', o.pongTimeoutMs),
      ...optional('payloadBytesMax', o.payloadBytesMax),
    });
  }

  get clientCount(): number {
    return this.#hub.size;
  }

  get upstreamConnected(): boolean {
    return this.#upstream.connected;
  }

  /** Dial upstream (with Go's init retries), start the downstream server; resolves with its port. */
  async start(): Promise<number> {
    const attempts = this.#o.initialDialAttempts ?? initialDialAttemptsDefault;
    const backoff = this.#o.initialDialBackoffMs ?? initialDialBackoffMsDefault;
    let lastErr: unknown;
    for (let i = 0; i < attempts; i++) {
      try {
        await this.#upstream.dialOnce();
        lastErr = undefined;
        break;
      } catch (e) {
        lastErr = e;
        if (i + 1 < attempts) await new Promise((r) => setTimeout(r, backoff));
      }
    }
    if (lastErr !== undefined) {
      const msg = lastErr instanceof Error ? lastErr.message : String(lastErr);
      throw new Error(`failed to connect to rollup boost websocket ${this.#o.upstreamUrl}: ${msg}`, {
        cause: lastErr,
      });
    }
    let port: number;
    try {
      port = await this.#server.start();
    } catch (e) {
      this.#upstream.stop();
      throw e;
    }
    this.#upstream.start();
    this.#o.log.info({ port, upstream: this.#o.upstreamUrl }, 'flashblocks relay started');
    return port;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#upstream.stop();
    await this.#server.stop();
  }
}
