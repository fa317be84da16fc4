/**
 * End-to-end commit through the real daemon: JSON-RPC conductor_commitUnsafePayload and the binary
 * /commit-unsafe-payload endpoint, posted to the leader conductor of a running devnet (3 real conductor
 * processes, lmdb stores, TCP Raft). Bodies are encoded once before timing, so a figure is request bytes out →
 * response in. The daemon's own commit_raft_apply_duration_seconds is scraped around each row, so the RPC
 * edge's cost (e2e mean − Raft apply mean, same commits) is measured, not guessed.
 * Invariants: one commit outstanding; block number 0x10 stays below the devnet's head, so the FSM keeps the
 * devnet's real head (an older block is committed but never becomes the latest payload).
 */
import { Pool } from 'undici';
import type { DevnetMember } from '../../sim/devnet/devnet.ts';
import { encodePayloadForCommit } from '../../src/fsm/payload-codec.ts';
import { envelopeJson } from '../payload-fixture.ts';
import { histogramMeanMs, scrapeMetrics } from './daemon-probe.ts';
import { type LatencySummary, summarize } from './stats.ts';

const WARMUP = 3;
const REQUEST_TIMEOUT_MS = 10_000;
const RAFT_APPLY_METRIC = 'op_conductor_commit_raft_apply_duration_seconds';

export type CommitMode = 'json' | 'binary';

export interface E2eCommitRow {
  readonly mode: CommitMode;
  readonly sizeBytes: number;
  /** SSZ bytes that went through Raft. */
  readonly sszBytes: number;
  readonly e2e: LatencySummary;
  /** The daemon's mean Raft apply time over the same commits (its own metric). */
  readonly raftApplyMeanMs: number;
}

export async function runE2eCommitBench(
  leader: DevnetMember,
  sizes: readonly number[],
  iterations: number,
): Promise<E2eCommitRow[]> {
  const pool = new Pool(leader.conductor.rpcUrl, { connections: 1 });
  const { host, metricsPort } = leader.conductor.opts;
  const rows: E2eCommitRow[] = [];
  try {
    for (const size of sizes) {
      const json = envelopeJson(size);
      const rpcBody = Buffer.from(
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'conductor_commitUnsafePayload', params: [json] }),
      );
      const ssz = Buffer.from(encodePayloadForCommit(json).ssz);
      for (const mode of ['json', 'binary'] as const) {
        const post = async (): Promise<number> => {
          const t0 = performance.now();
          const res = await pool.request({
            method: 'POST',
            path: mode === 'json' ? '/' : '/commit-unsafe-payload',
            body: mode === 'json' ? rpcBody : ssz,
            headers: { 'content-type': mode === 'json' ? 'application/json' : 'application/octet-stream' },
            headersTimeout: REQUEST_TIMEOUT_MS,
            bodyTimeout: REQUEST_TIMEOUT_MS,
          });
          const text = await res.body.text();
          const ms = performance.now() - t0;
          if (res.statusCode !== 200 || text.includes('"error"'))
            throw new Error(`e2e ${mode} commit failed: ${res.statusCode} ${text.slice(0, 300)}`);
          return ms;
        };
        for (let i = 0; i < WARMUP; i++) await post();
        const before = await scrapeMetrics(host, metricsPort);
        const xs: number[] = [];
        for (let i = 0; i < iterations; i++) xs.push(await post());
        const after = await scrapeMetrics(host, metricsPort);
        rows.push({
          mode,
          sizeBytes: size,
          sszBytes: ssz.length,
          e2e: summarize(xs),
          // The devnet's own sequencer commits small blocks meanwhile; they are a small share of the samples.
          raftApplyMeanMs: histogramMeanMs(before, after, RAFT_APPLY_METRIC),
        });
      }
    }
    return rows;
  } finally {
    await pool.close();
  }
}
