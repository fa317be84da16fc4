/**
 * The Prometheus scrape endpoint (Go: op-service metrics server / promhttp): node:http on
 * `metrics.addr:metrics.port`, answering GET on any path with the registry's text exposition.
 * Started only when `metrics.enabled`. `stop()` closes idle keep-alive sockets so shutdown is not held
 * up by a scraper's open connection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/logger.ts';

export interface MetricsServerOptions {
  readonly registry: Registry;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
}

export interface MetricsServer {
  readonly name: 'metrics';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Bound address after start (port 0 resolves to the OS-chosen port). */
  address(): AddressInfo | undefined;
}

export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  const { registry, logger } = options;
  let server: Server | undefined;

  const handle = async (method: string | undefined): Promise<{ status: number; body: string }> => {
    if (method !== 'GET' && method !== 'HEAD') return { status: 405, body: 'method not allowed\n' };
    return { status: 200, body: await registry.metrics() };
  };

  return {
    name: 'metrics',
    async start() {
      const s = createServer((req, res) => {
        handle(req.method).then(
          ({ status, body }) => {
            res.writeHead(status, { 'Content-Type': registry.contentType });
            res.end(req.method === 'HEAD' ? undefined : body);
          },
          (err: unknown) => {
            logger.error({ err }, 'failed to collect metrics');
            res.writeHead(500).end();
          },
        );
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.port, options.host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      server = s;
      const addr = s.address() as AddressInfo;
      logger.info({ addr: `${addr.address}:${addr.port}` }, 'Started metrics server');
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      });
    },
    address() {
      return (server?.address() as AddressInfo | null) ?? undefined;
    },
  };
}
