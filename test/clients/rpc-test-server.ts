/** A tiny JSON-RPC-over-HTTP server on 127.0.0.1:0 for client tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | { readonly result: unknown }
  | { readonly error: { code: number; message: string; data?: unknown } }
  | { readonly raw: { status: number; body: string } }
  | { readonly hang: true };

export type Handler = (method: string, params: unknown[], req: IncomingMessage) => Reply | Promise<Reply>;

export interface TestRpcServer {
  readonly url: string;
  /** TCP connections accepted so far (keep-alive reuse check). */
  connections(): number;
  /** Methods received, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

export async function startRpcServer(handler: Handler): Promise<TestRpcServer> {
  let connections = 0;
  const calls: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      id: number;
      method: string;
      params: unknown[];
    };
    calls.push(body.method);
    const reply = await handler(body.method, body.params, req);
    if ('hang' in reply) {
      hanging.add(res);
      return;
    }
    if ('raw' in reply) {
      res.writeHead(reply.raw.status, { 'content-type': 'application/json' }).end(reply.raw.body);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ jsonrpc: '2.0', id: body.id, ...reply }));
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    calls,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that nothing listens on (bound then released). */
export async function unusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
