/**
 * One TypeScript Raft node as its own OS process, with the same HTTP control API as the Go interop peer
 * (test/interop/raftpeer): POST /apply (body = entry data), GET /state, POST /add_voter?id=&addr=,
 * POST /shutdown. It prints `READY raft=<addr> http=<addr>` once both listeners are up, so the bench drives
 * a TS cluster and a Go cluster with the same client and the same HTTP framing.
 * /apply answers `{index, applyMs}`: applyMs is RaftHost.apply() timed inside this process (propose → quorum
 * durable → applied on the leader), i.e. the Raft commit without the HTTP hop.
 * Invariants: real stores (lmdb or file) and the real TCP transport on 127.0.0.1; op-conductor's Go timing
 * defaults (as raftpeer uses); the daemon's V8 settings (the image's NODE_OPTIONS from the bench, and the
 * heap growing factor the daemon sets at start); every apply bounded by APPLY_TIMEOUT_MS.
 * Run: node --import tsx bench/lib/ts-raft-node.ts --id n1 --dir /tmp/x --backend lmdb [--bootstrap]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyDaemonHeapTuning } from '../../src/cli/node-options.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type LogEntry, LogType, Suffrage } from '../../src/raft/core/types.ts';
import { RaftHost } from '../../src/raft/host/raft-host.ts';
import { RAFT_HOST_TIMING_DEFAULTS } from '../../src/raft/host/timing.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { TcpTransport } from '../../src/raft/transport/tcp-transport.ts';

applyDaemonHeapTuning();

const APPLY_TIMEOUT_MS = 10_000;
const BODY_BYTES_MAX = 64 << 20;

/** Keeps the latest applied command, like the conductor's payload FSM and raftpeer's `last`. */
class LatestFsm {
  last: Uint8Array = new Uint8Array(0);
  count = 0;
  apply(e: LogEntry): unknown {
    if (e.type !== LogType.Command) return undefined;
    this.last = e.data;
    this.count++;
    return this.count;
  }
  snapshot(): Uint8Array {
    return this.last;
  }
  restore(data: Uint8Array): void {
    this.last = data;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > BODY_BYTES_MAX) throw new Error('body too large');
    chunks.push(c);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, n);
}

function reply(res: ServerResponse, code: number, v: unknown): void {
  const body = JSON.stringify(v);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      id: { type: 'string' },
      dir: { type: 'string' },
      backend: { type: 'string', default: 'lmdb' },
      bootstrap: { type: 'boolean', default: false },
    },
  });
  const id = values.id!;
  const backend = values.backend === 'file' || values.backend === 'memory' ? values.backend : 'lmdb';
  const logger = silentLogger();
  const stores = await openNodeStores({ dir: join(values.dir!, id), backend });
  const transport = new TcpTransport({ localId: id, bindHost: '127.0.0.1', bindPort: 0, logger });
  await transport.start();
  const fsm = new LatestFsm();
  const host = new RaftHost({
    id,
    addr: transport.localAddr(),
    stores,
    transport,
    fsm,
    logger,
    timing: RAFT_HOST_TIMING_DEFAULTS,
  });
  await host.start();
  if (values.bootstrap) {
    await host.bootstrap([{ suffrage: Suffrage.Voter, id, address: transport.localAddr() }]);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      try {
        if (url.pathname === '/apply') {
          const body = await readBody(req);
          const t0 = performance.now();
          const r = await host.apply(body, APPLY_TIMEOUT_MS);
          reply(res, 200, { index: r.index, applyMs: performance.now() - t0 });
        } else if (url.pathname === '/state') {
          const s = host.stats();
          reply(res, 200, {
            id,
            role: s.role,
            leader: host.leader().id,
            term: s.term,
            lastIndex: s.lastLogIndex,
            commitIndex: s.commitIndex,
            appliedIndex: s.appliedIndex,
            appliedCount: fsm.count,
          });
        } else if (url.pathname === '/add_voter') {
          const index = await host.addVoter(
            url.searchParams.get('id') ?? '',
            url.searchParams.get('addr') ?? '',
            0,
            APPLY_TIMEOUT_MS,
          );
          reply(res, 200, { index });
        } else if (url.pathname === '/shutdown') {
          await host.shutdown();
          reply(res, 200, { ok: true });
          server.close();
          setImmediate(() => process.exit(0));
        } else reply(res, 404, { error: 'not found' });
      } catch (e) {
        reply(res, 500, { error: (e as Error).message });
      }
    })();
  });
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    const port = a !== null && typeof a === 'object' ? a.port : 0;
    process.stdout.write(`READY raft=${transport.localAddr()} http=127.0.0.1:${port}\n`);
  });
}

await main();
