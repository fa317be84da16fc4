/**
 * Go's dial policies (spec §5.7): before using an endpoint, check that its TCP port accepts a
 * connection, with a connect timeout and a fixed number of attempts with a fixed backoff.
 * Sequencer control / health node: 1 attempt, 10 s. Proxy / supervisor: 30 attempts × 2 s.
 */
import { connect } from 'node:net';

export const dialTimeoutMsDefault = 10_000;
export const dialPolicySingle = { attempts: 1, backoffMs: 0, timeoutMs: dialTimeoutMsDefault } as const;
export const dialPolicyRetry = { attempts: 30, backoffMs: 2_000, timeoutMs: dialTimeoutMsDefault } as const;

export interface DialPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
  readonly timeoutMs: number;
}

export class DialError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DialError';
  }
}

function defaultPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
}

function tcpProbe(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`dial tcp ${host}:${port}: i/o timeout`));
    });
    socket.once('error', (e) => {
      socket.destroy();
      reject(e);
    });
  });
}

/** Resolves when the endpoint accepts TCP; throws DialError after the policy's attempts. */
export async function dialCheck(
  rawUrl: string,
  policy: DialPolicy = dialPolicySingle,
  signal?: AbortSignal,
): Promise<void> {
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = defaultPort(url);
  let last: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      await tcpProbe(host, port, policy.timeoutMs, signal);
      return;
    } catch (e) {
      last = e;
      if (signal?.aborted || attempt === policy.attempts) break;
      await new Promise((r) => setTimeout(r, policy.backoffMs));
    }
  }
  throw new DialError(`failed to dial address (${rawUrl}): ${(last as Error)?.message ?? 'unknown'}`, {
    cause: last,
  });
}
