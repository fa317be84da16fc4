/**
 * rollup-boost health checkers (Go `client/rollupboost.go`, `client/rollupboost_next.go`).
 * Legacy: GET `<base>` + `/healthz` (plain concatenation): 200 healthy, 206 partial, 503 unhealthy,
 * else `unexpected status code: N`. Next: GET the configured URL; non-200 is an error; the body (at most
 * 1 MiB) is JSON `{version, rollup_boost_health: Healthy|PartialContent|ServiceUnavailable}`.
 * Every call is bounded by the configured health-check timeout; any error means "connection down"
 * to the monitor.
 */
import { Agent, request } from 'undici';
import type { RollupBoostHealthSource, RollupBoostStatus } from '../health/sources.ts';

export const healthzPath = '/healthz';
export const nextBodyBytesMax = 1 << 20;

export interface RollupBoostClientOptions {
  readonly timeoutMs: number;
}

export interface RollupBoostChecker extends RollupBoostHealthSource {
  close(): Promise<void>;
}

function signalFor(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const t = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([t, signal]) : t;
}

export function createRollupBoostClient(baseUrl: string, opts: RollupBoostClientOptions): RollupBoostChecker {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  return {
    async healthcheck(signal) {
      const res = await request(baseUrl + healthzPath, {
        method: 'GET',
        dispatcher,
        signal: signalFor(opts.timeoutMs, signal),
      });
      await res.body.dump();
      switch (res.statusCode) {
        case 200:
          return 'healthy';
        case 206:
          return 'partial';
        case 503:
          return 'unhealthy';
        default:
          throw new Error(`unexpected status code: ${res.statusCode}`);
      }
    },
    close: () => dispatcher.close(),
  };
}

const NEXT_STATUS: Readonly<Record<string, RollupBoostStatus>> = {
  Healthy: 'healthy',
  PartialContent: 'partial',
  ServiceUnavailable: 'unhealthy',
};

export function createRollupBoostNextClient(url: string, opts: RollupBoostClientOptions): RollupBoostChecker {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  return {
    async healthcheck(signal) {
      const res = await request(url, {
        method: 'GET',
        dispatcher,
        signal: signalFor(opts.timeoutMs, signal),
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new Error(`unexpected status code: ${res.statusCode}`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const c of res.body) {
        const buf = c as Buffer;
        // Go reads through a 1 MiB LimitReader: the rest is ignored (and then fails to parse).
        const room = nextBodyBytesMax - total;
        if (room <= 0) break;
        chunks.push(buf.length > room ? buf.subarray(0, room) : buf);
        total += Math.min(buf.length, room);
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        throw new Error(`failed to decode response: ${(e as Error).message}`);
      }
      const health =
        typeof payload === 'object' && payload !== null
          ? (payload as { rollup_boost_health?: unknown }).rollup_boost_health
          : undefined;
      const status = typeof health === 'string' ? NEXT_STATUS[health] : undefined;
      if (status === undefined)
        throw new Error(`unexpected rollup_boost_health: ${JSON.stringify(health ?? '')}`);
      return status;
    },
    close: () => dispatcher.close(),
  };
}
