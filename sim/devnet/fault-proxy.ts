/**
 * A fault-injecting TCP proxy placed in front of one conductor's Raft port. Peers dial the proxy (the
 * conductor advertises the proxy's address); the proxy forwards to the real port unless the connection's
 * source address is blocked. Conductors dial from their own loopback address (127.0.0.N), so a proxy can
 * tell who is calling and a partition can be one-way, two-way, or total (isolate).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class FaultProxy {
  private server: Server | undefined;
  private readonly blockedSources = new Set<string>();
  private blockAll = false;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly listenHost: string,
    readonly listenPort: number,
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer({ noDelay: true }, (client) => this.onConnection(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.listenPort, this.listenHost, () => resolve());
    });
  }

  private onConnection(client: Socket): void {
    const src = (client.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (this.blockAll || this.blockedSources.has(src)) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: this.targetHost, port: this.targetPort, noDelay: true });
    // A dead conductor behind the proxy must look dead: reset the client (as a refused connection would) rather than
    // closing it cleanly after it has sent a request.
    upstream.once('error', () => client.resetAndDestroy());
    const pair = [client, upstream];
    for (const s of pair) {
      this.sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        this.sockets.delete(s);
        for (const o of pair) o.destroy();
      });
    }
    (client as Socket & { _src?: string })._src = src;
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Block (or unblock) every connection from a source address; existing ones from it are cut. */
  setSourceBlocked(src: string, blocked: boolean): void {
    if (blocked) this.blockedSources.add(src);
    else this.blockedSources.delete(src);
    if (blocked) this.cut((s) => (s as Socket & { _src?: string })._src === src);
  }

  /** Block every inbound connection (the node behind this proxy is unreachable). */
  setBlockAll(blocked: boolean): void {
    this.blockAll = blocked;
    if (blocked) this.cut(() => true);
  }

  private cut(pred: (s: Socket) => boolean): void {
    for (const s of this.sockets) if (pred(s)) s.destroy();
  }

  async close(): Promise<void> {
    this.cut(() => true);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A free TCP port on a host (bound then released; a tiny race is acceptable on a test machine). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, host, () => resolve());
  });
  const addr = s.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
