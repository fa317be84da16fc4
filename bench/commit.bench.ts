// RPC-edge commit benchmark: real fastify server on 127.0.0.1:0, real payload codec, a conductor double
// whose commit resolves at once (so the figures are the RPC edge's own cost: HTTP + JSON parse + SSZ
// encode/validate). Bodies are pre-encoded Buffers so the in-process client adds little. Prints p50/p99 per
// size for JSON and binary commits and the event loop's busy time per commit (performance
// eventLoopUtilization: server and in-process client together; far steadier than latency on a loaded VM),
// the worst event-loop stall during 2 MB JSON commits, and conductor_leader p50/p99 while 2 MB commits run
// back to back.
// Run: node --import tsx bench/commit.bench.ts [iterations]   (DECODE_WORKERS=0 for the inline path)
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { EncodedPayload } from '../src/consensus/consensus.ts';
import { encodePayloadForCommit } from '../src/fsm/payload-codec.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import type { ConductorApi } from '../src/rpc/conductor-api.ts';
import { defaultPayloadCodec } from '../src/rpc/payload-codec-port.ts';
import { buildRpcServer, listenRpcServer } from '../src/rpc/server.ts';
import { envelopeJson } from './payload-fixture.ts';

const ITERATIONS = Number(process.argv[2] ?? 40);
const SIZES = [100_000, 1_000_000, 2_000_000] as const;
const LEADER_SAMPLES = 200;
/** DECODE_WORKERS=0 measures the inline (no worker) path for comparison. */
const DECODE_WORKERS = Number(process.env.DECODE_WORKERS ?? 1);

const conductor: ConductorApi = {
  overrideLeader: () => {},
  leaderOverridden: () => false,
  pause: async () => {},
  resume: async () => {},
  stop: async () => {},
  paused: () => false,
  stopped: () => false,
  sequencerHealthy: () => true,
  leader: () => true,
  leaderWithId: () => ({ id: 'bench', addr: '127.0.0.1:1', suffrage: 0 }),
  addServerAsVoter: async () => {},
  addServerAsNonvoter: async () => {},
  removeServer: async () => {},
  transferLeader: async () => {},
  transferLeaderToServer: async () => {},
  clusterMembership: async () => ({ servers: [], version: 0 }),
  active: () => true,
  commitUnsafePayload: async (_p: EncodedPayload) => {},
};

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}
const fmt = (ms: number) => ms.toFixed(2).padStart(7);

async function main() {
  const app = buildRpcServer({
    api: conductor,
    codec: defaultPayloadCodec,
    log: silentLogger(),
    metrics: createMetrics(),
    version: 'bench',
    enableProxy: false,
    decodeWorkers: DECODE_WORKERS,
  });
  const { port } = await listenRpcServer(app, { host: '127.0.0.1', port: 0 });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4 });
  const post = async (path: string, body: string | Buffer, ct: string) => {
    const t = performance.now();
    const res = await pool.request({ method: 'POST', path, body, headers: { 'content-type': ct } });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"error"'))
      throw new Error(`bench request failed: ${res.statusCode} ${text}`);
    return performance.now() - t;
  };

  console.log(
    `RPC-edge commit latency (ms), ${ITERATIONS} iterations per row, loopback, decode workers: ${DECODE_WORKERS}`,
  );
  console.log('  path     size      p50      p99  loop-busy/commit');
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  for (const size of SIZES) {
    const json = envelopeJson(size);
    const rpcBody = Buffer.from(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'conductor_commitUnsafePayload',
        params: [json],
      }),
    );
    const ssz = Buffer.from(encodePayloadForCommit(json).ssz);
    for (const [name, run] of [
      ['json', () => post('/', rpcBody, 'application/json')],
      ['binary', () => post('/commit-unsafe-payload', ssz, 'application/octet-stream')],
    ] as const) {
      for (let i = 0; i < 5; i++) await run(); // warm-up
      if (name === 'json' && size === 2_000_000) stalls.enable();
      const xs: number[] = [];
      const busyBefore = performance.eventLoopUtilization();
      for (let i = 0; i < ITERATIONS; i++) xs.push(await run());
      const busy = performance.eventLoopUtilization(busyBefore).active / ITERATIONS;
      stalls.disable();
      console.log(
        `  ${name.padEnd(7)} ${String(size).padStart(9)} ${fmt(pct(xs, 50))} ${fmt(pct(xs, 99))} ${fmt(busy)}`,
      );
    }
  }
  console.log(
    `event-loop stall during 2 MB JSON commits: max ${(stalls.max / 1e6).toFixed(1)} ms, p99 ${(stalls.percentile(99) / 1e6).toFixed(1)} ms`,
  );

  const big = Buffer.from(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'conductor_commitUnsafePayload',
      params: [envelopeJson(2_000_000)],
    }),
  );
  let committing = true;
  const commits = (async () => {
    while (committing) await post('/', big, 'application/json');
  })();
  const leaderBody = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'conductor_leader', params: [] });
  const lx: number[] = [];
  for (let i = 0; i < LEADER_SAMPLES; i++) lx.push(await post('/', leaderBody, 'application/json'));
  committing = false;
  await commits;
  console.log(
    `conductor_leader during back-to-back 2 MB commits: p50 ${fmt(pct(lx, 50))} ms, p99 ${fmt(pct(lx, 99))} ms`,
  );
  await pool.close();
  await app.close();
}

await main();
