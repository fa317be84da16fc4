/**
 * In-process transport: a `MemoryNetwork` of endpoints keyed by address, so Raft hosts run without TCP.
 * Delivery is asynchronous (a macrotask), like a socket. Faults: an endpoint can be disconnected, a
 * directed link blocked (asymmetric partitions), and messages dropped with a probability.
 * Contract (transport.ts): send() never throws; a request that cannot be delivered comes back to the
 * sender as an `rpcFailure`; responses already carry `inReplyTo`, filled by the core that answers.
 */

import { isRequest, type RaftMessage } from '../core/messages.ts';
import type { ServerAddress } from '../core/types.ts';
import type { MessageHandler, Transport } from './transport.ts';

export class MemoryNetwork {
  private readonly endpoints = new Map<ServerAddress, MemoryTransport>();
  private readonly blocked = new Set<string>();
  private dropRate = 0;
  private random: () => number = Math.random;

  transport(addr: ServerAddress): MemoryTransport {
    const t = new MemoryTransport(this, addr);
    this.endpoints.set(addr, t);
    return t;
  }

  /** Block messages from `a` to `b` (one direction). */
  block(a: ServerAddress, b: ServerAddress): void {
    this.blocked.add(`${a}>${b}`);
  }

  /** Cut `addr` off from everyone, both directions. */
  isolate(addr: ServerAddress): void {
    for (const other of this.endpoints.keys()) {
      if (other === addr) continue;
      this.block(addr, other);
      this.block(other, addr);
    }
  }

  heal(): void {
    this.blocked.clear();
    this.dropRate = 0;
  }

  setDropRate(p: number, random: () => number = Math.random): void {
    this.dropRate = p;
    this.random = random;
  }

  /** @internal */
  route(from: MemoryTransport, m: RaftMessage): void {
    const target = this.endpoints.get(m.to.addr);
    const cut = this.blocked.has(`${from.localAddr()}>${m.to.addr}`);
    const lost = this.dropRate > 0 && this.random() < this.dropRate;
    if (!target?.isOpen() || cut || lost) {
      if (isRequest(m) && !lost) {
        const failure: RaftMessage = {
          type: 'rpcFailure',
          from: m.to,
          to: m.from,
          term: 0,
          request: m.type,
          error: 'connection refused',
        };
        setImmediate(() => from.deliver(failure));
      }
      return;
    }
    setImmediate(() => target.deliver(m));
  }
}

export class MemoryTransport implements Transport {
  private handler: MessageHandler | undefined;
  private open = false;

  constructor(
    private readonly network: MemoryNetwork,
    private readonly addr: ServerAddress,
  ) {}

  localAddr(): ServerAddress {
    return this.addr;
  }

  setHandler(handler: MessageHandler): void {
    this.handler = handler;
  }

  send(msg: RaftMessage): void {
    if (!this.open) return;
    this.network.route(this, msg);
  }

  async start(): Promise<void> {
    this.open = true;
  }

  async close(): Promise<void> {
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }

  /** @internal */
  deliver(m: RaftMessage): void {
    if (this.open) this.handler?.(m);
  }
}
