/**
 * The conductor's HTTP face: JSON-RPC 2.0 at `/` (go-ethereum HTTP rules), `GET /healthz`, and Base's binary
 * `POST /commit-unsafe-payload`. `buildRpcServer` never listens, so tests drive it with `inject()`;
 * `listenRpcServer` binds it.
 *
 * Invariants:
 * - Every JSON-RPC outcome, including errors, is HTTP 200 with a JSON-RPC body (op-conductor-ops calls
 *   `raise_for_status()` before reading `error`). Non-200s are reserved for transport-level refusals, with
 *   Go's plain-text bodies: 405 (PUT/DELETE), 413 (body over `bodyBytesMax`), 415 (content type), 404.
 * - Requests are served concurrently with the control loop and with each other: a slow pause/commit never
 *   delays `conductor_leader` (handlers only await their own work).
 * - Each request runs under an AbortSignal that ends on `requestTimeoutMs` or when the client goes away.
 * - The request body is parsed once and the commit payload SSZ-encoded once; JSON bodies ≥ 256 KiB are
 *   handled by a decode worker so multi-MB commits do not stall the event loop. Binary bodies are only
 *   validated structurally (microseconds), inline.
 */
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { verifyAdminJwt } from './auth/admin-jwt.ts';
import { binaryCommitHandler, COMMIT_UNSAFE_PAYLOAD_PATH } from './binary-commit.ts';
import { readBody } from './body-reader.ts';
import type { ConductorApi } from './conductor-api.ts';
import { Dispatcher, encodeError } from './json-rpc/dispatcher.ts';
import { parseError, RpcError, RpcErrorCode } from './json-rpc/errors.ts';
import { buildMethodTable } from './methods/registry.ts';
import { DecodePool, decodeWorkersDefault, offloadBodyBytesMin } from './offload/decode-pool.ts';
import { PreDecodedPayload } from './offload/pre-decoded.ts';
import { LeasedBody, ScratchBuffers } from './offload/scratch-buffers.ts';
import type { PayloadCodecPort } from './payload-codec-port.ts';
import { sendPlainText } from './plain-text.ts';
import type { ProxyBackends } from './proxy/backend-client.ts';

/** Multi-MB payloads must fit (Base raised Go's 5 MiB); the binary endpoint has the same cap. */
export const rpcBodyBytesMax = 16 * 1024 * 1024;
/** Bound for blocking calls (pause/resume) when the client sets none; go-ethereum's HTTP write timeout. */
export const rpcRequestTimeoutMs = 30_000;
const ACCEPTED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/json-rpc',
  'application/jsonrequest',
]);
const JSON_CONTENT_TYPE = 'application/json';

export interface RpcServerDeps {
  readonly api: ConductorApi;
  readonly codec: PayloadCodecPort;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly version: string;
  /** `rpc.enable-proxy` (default true). When true, `proxyBackends` is required. */
  readonly enableProxy?: boolean;
  readonly proxyBackends?: ProxyBackends;
  /** Opt-in admin auth: 32-byte HS256 secret; when set, cluster-changing methods need a Bearer JWT. */
  readonly adminJwtSecret?: Uint8Array;
  readonly requestTimeoutMs?: number;
  readonly bodyBytesMax?: number;
  /** Decode bodies ≥ 256 KiB (multi-MB commits) in worker threads (default true); 0 disables. */
  readonly decodeWorkers?: number;
  /** Wall clock in ms (JWT `iat` checks); injectable for tests. */
  readonly nowMs?: () => number;
}

/** A media type without parameters, lower-cased (Go's mime.ParseMediaType, loosely). */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The request's lifetime: ends on timeout or when the client goes away. `done()` releases the timer. */
function requestLifetime(reply: FastifyReply, timeoutMs: number): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  // A referenced timer: a request waiting on a stuck control loop must still be answered on time.
  const timer = setTimeout(() => ac.abort(new Error('request timed out')), timeoutMs);
  const onClose = () => {
    if (!reply.raw.writableFinished) ac.abort(new Error('client went away'));
  };
  reply.raw.once('close', onClose);
  return {
    signal: ac.signal,
    done: () => {
      clearTimeout(timer);
      reply.raw.off('close', onClose);
    },
  };
}

const PARSE_FAILED = Symbol('parse failed');

/**
 * Parse a JSON-RPC body once. Large bodies go to a decode worker, which also SSZ-encodes a commit payload
 * so the RPC thread never spends tens of ms on one request; anything else (or a worker failure) is parsed
 * inline.
 */
async function parseBody(body: Buffer | undefined, pool: DecodePool | undefined): Promise<unknown> {
  if (pool && body && body.length >= offloadBodyBytesMin) {
    const res = await pool.decode(body).catch(() => undefined);
    if (res?.kind === 'parse-error') return PARSE_FAILED;
    if (res?.kind === 'commit') {
      const m = res.message;
      return {
        jsonrpc: m.jsonrpc,
        method: m.method,
        ...(m.hasId ? { id: m.id } : {}),
        params: [new PreDecodedPayload(m.encoded, m.error)],
      };
    }
  }
  try {
    return JSON.parse(body ? body.toString('utf8') : '');
  } catch {
    return PARSE_FAILED;
  }
}

export function buildRpcServer(deps: RpcServerDeps): FastifyInstance {
  const bodyBytesMax = deps.bodyBytesMax ?? rpcBodyBytesMax;
  const timeoutMs = deps.requestTimeoutMs ?? rpcRequestTimeoutMs;
  const nowMs = deps.nowMs ?? Date.now;
  const enableProxy = deps.enableProxy ?? true;
  if (enableProxy && !deps.proxyBackends)
    throw new Error('rpc proxy enabled but no backend clients were given');
  if (deps.adminJwtSecret && deps.adminJwtSecret.length !== 32) {
    throw new Error('admin JWT secret must be 32 bytes');
  }
  const dispatcher = new Dispatcher(
    buildMethodTable({
      api: deps.api,
      codec: deps.codec,
      version: deps.version,
      ...(enableProxy && deps.proxyBackends ? { proxy: deps.proxyBackends } : {}),
    }),
    deps.log,
    deps.metrics,
  );

  const workers = deps.decodeWorkers ?? decodeWorkersDefault;
  const pool = workers > 0 ? new DecodePool(workers) : undefined;
  const app = Fastify({ bodyLimit: bodyBytesMax, logger: false, forceCloseConnections: 'idle' });
  // One raw-bytes parser for every content type: the JSON route applies go-ethereum's content-type rules
  // itself (with Go's 415 text), and the binary route needs the bytes untouched. Binary bodies are read into
  // a buffer of their exact size (it goes on to Raft); large JSON bodies into reused shared buffers the
  // decode worker reads in place.
  const scratch = pool ? new ScratchBuffers() : undefined;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req: FastifyRequest, payload: IncomingMessage) => {
    const contentLength = req.headers['content-length'];
    const binary = req.url.split('?')[0] === COMMIT_UNSAFE_PAYLOAD_PATH;
    const large = Number(contentLength) >= offloadBodyBytesMin;
    return readBody(payload, {
      destination: binary ? 'exact' : large ? 'scratch' : 'concat',
      contentLength,
      limit: bodyBytesMax,
      ...(scratch ? { scratch } : {}),
    });
  });
  // An empty Content-Type header means "none" (Base's binary endpoint accepts it); fastify would refuse it.
  app.addHook('onRequest', (req, _reply, done) => {
    if (req.headers['content-type'] === '') delete req.headers['content-type'];
    done();
  });

  app.setNotFoundHandler((_req, reply) => {
    sendPlainText(reply, 404, '404 page not found');
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) {
      const declared = Number(req.headers['content-length'] ?? Number.NaN);
      const binary = req.url.split('?')[0] === COMMIT_UNSAFE_PAYLOAD_PATH;
      const known = Number.isFinite(declared);
      const text = binary
        ? known
          ? `payload too large: ${declared} > ${bodyBytesMax}`
          : `payload too large: > ${bodyBytesMax} bytes`
        : `content length too large (${known ? declared : '?'}>${bodyBytesMax})`;
      sendPlainText(reply, 413, text);
      return;
    }
    if (status >= 500) deps.log.error({ err: err.message, url: req.url }, 'rpc server error');
    sendPlainText(reply, status, err.message);
  });

  const authorizeAdmin = (authorization: string | undefined) =>
    deps.adminJwtSecret
      ? (method: string) => {
          const secret = deps.adminJwtSecret as Uint8Array;
          const verdict = verifyAdminJwt(authorization, secret, Math.floor(nowMs() / 1000));
          if (!verdict.ok) {
            deps.log.warn({ method, reason: verdict.reason }, 'refused unauthorised admin RPC call');
            throw new RpcError(RpcErrorCode.Default, `unauthorized: ${verdict.reason}`);
          }
        }
      : undefined;

  const jsonRpc = async (req: FastifyRequest, reply: FastifyReply) => {
    // A scratch body goes back as soon as it is parsed: the commit itself can take a Raft round trip.
    const leased = req.body instanceof LeasedBody ? req.body : undefined;
    const release = () => leased?.release();
    try {
      return await answerJsonRpc(req, reply, leased ? leased.bytes : req.body, release);
    } finally {
      release();
    }
  };

  const answerJsonRpc = async (
    req: FastifyRequest,
    reply: FastifyReply,
    raw: unknown,
    bodyParsed: () => void,
  ) => {
    const body = raw instanceof Buffer ? raw : undefined;
    const hasQuery = req.url.includes('?');
    // Permit empty GETs as health probes (go-ethereum does this for AWS load balancers).
    if (req.method === 'GET' && (!body || body.length === 0) && !hasQuery) return reply.code(200).send();
    if (req.method === 'PUT' || req.method === 'DELETE')
      return sendPlainText(reply, 405, 'method not allowed');
    if (req.method === 'OPTIONS') return reply.code(200).send();
    if (!ACCEPTED_CONTENT_TYPES.has(mediaType(req.headers['content-type']))) {
      return sendPlainText(reply, 415, `invalid content type, only ${JSON_CONTENT_TYPE} is supported`);
    }
    const parsed = await parseBody(body, pool);
    bodyParsed();
    if (parsed === PARSE_FAILED) {
      return reply.code(200).header('content-type', JSON_CONTENT_TYPE).send(encodeError(null, parseError()));
    }
    const authorizer = authorizeAdmin(req.headers.authorization);
    const lifetime = requestLifetime(reply, timeoutMs);
    let answer: string | undefined;
    try {
      answer = await dispatcher.dispatch(parsed, {
        signal: lifetime.signal,
        bodyBytes: body?.length ?? 0,
        ...(authorizer ? { authorizeAdmin: authorizer } : {}),
      });
    } finally {
      lifetime.done();
    }
    return reply
      .code(200)
      .header('content-type', JSON_CONTENT_TYPE)
      .send(answer ?? '');
  };

  app.route({ method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'], url: '/', handler: jsonRpc });
  app.all('/healthz', async (_req, reply) =>
    reply
      .code(200)
      .header('content-type', JSON_CONTENT_TYPE)
      .send(`${JSON.stringify({ version: deps.version })}\n`),
  );
  app.all(COMMIT_UNSAFE_PAYLOAD_PATH, binaryCommitHandler(deps));
  app.addHook('onClose', async () => {
    await pool?.close();
  });
  return app;
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
}

/** Bind the server; resolves with the bound address (port 0 → the OS-assigned port). */
export async function listenRpcServer(
  app: FastifyInstance,
  opts: ListenOptions,
): Promise<{ host: string; port: number }> {
  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('rpc server has no TCP address');
  return { host: addr.address, port: addr.port };
}

/** Go's graceful HTTP shutdown budget for the RPC server on stop. */
export const rpcShutdownGraceMs = 5_000;

/**
 * Close the server like Go's 5 s graceful shutdown: wait for in-flight requests up to `graceMs`, then cut
 * the remaining connections. Bounded, so `conductor_stop` (itself an in-flight request on this server) can
 * never deadlock the shutdown it triggered.
 */
export async function closeRpcServer(app: FastifyInstance, graceMs = rpcShutdownGraceMs): Promise<void> {
  const closing = app.close();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), graceMs);
  });
  const first = await Promise.race([closing.then(() => 'closed' as const), expired]);
  clearTimeout(timer);
  if (first === 'expired') {
    app.server.closeAllConnections();
    await closing;
  }
}
