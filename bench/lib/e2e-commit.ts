/**
 * End-to-end commit through the real daemon: JSON-RPC conductor_commitUnsafePayload and the binary
 * /commit-unsafe-payload endpoint, sent by the sequencing op-node of a running devnet (3 real conductor
 * processes, lmdb stores, TCP Raft) to its leader conductor. Each commit is a real chain block on the head
 * (the FSM takes it as the new head, as in production); the devnet's block timers are off meanwhile. Bodies
 * are encoded before the clock starts, so a figure is request bytes out → response in. The daemon's own
 * commit_raft_apply_duration_seconds is scraped around each row, so the RPC edge's cost (e2e mean − Raft
 * apply mean, same commits) is measured, not guessed.
 * Invariants: one commit outstanding; each row starts on a settled devnet, and a row a leader change disturbs
 * is measured again (at most ROW_ATTEMPTS times).
 */
import type { Hex } from 'viem';
import type { Devnet } from '../../sim/devnet/devnet.ts';
import { buildBlock, fillerTransactions } from '../../sim/l2/block.ts';
import { encodePayloadForCommit } from '../../src/fsm/payload-codec.ts';
import { histogramMeanMs, scrapeMetrics } from './daemon-probe.ts';
import { settleDevnet } from './devnet-settle.ts';
import { type LatencySummary, summarize } from './stats.ts';

const WARMUP = 3;
const RAFT_APPLY_METRIC = 'op_conductor_commit_raft_apply_duration_seconds';

export type CommitMode = 'json' | 'binary';

const ZERO_HASH = `0x${'00'.repeat(32)}` as const;

export interface E2eCommitRow {
  readonly mode: CommitMode;
  readonly sizeBytes: number;
  /** SSZ bytes that went through Raft. */
  readonly sszBytes: number;
  readonly e2e: LatencySummary;
  /** The daemon's mean Raft apply time over the same commits (its own metric). */
  readonly raftApplyMeanMs: number;
}

/** Attempts per row: a leader change in the middle of a row discards it and measures it again. */
const ROW_ATTEMPTS = 3;

export async function runE2eCommitBench(
  devnet: Devnet,
  sizes: readonly number[],
  iterations: number,
  log: (line: string) => void = () => {},
): Promise<E2eCommitRow[]> {
  const rows: E2eCommitRow[] = [];
  try {
    for (const size of sizes) {
      const transactions = fillerTransactions(size, 'e2e');
      const sszBytes = encodePayloadForCommit(
        buildBlock({
          parentHash: ZERO_HASH,
          number: 1n,
          timestamp: 1n,
          payloadBytes: 0,
          salt: 'size',
          transactions,
        }).envelope,
      ).ssz.length;
      for (const mode of ['json', 'binary'] as const) {
        for (let attempt = 1; ; attempt++) {
          try {
            rows.push(await measureRow(devnet, transactions, mode, iterations, size, sszBytes));
            break;
          } catch (e) {
            if (attempt >= ROW_ATTEMPTS) throw e;
            log(`e2e: ${mode} ${size} B row discarded (${(e as Error).message}); measuring it again`);
          }
        }
      }
    }
    return rows;
  } finally {
    devnet.l2.setAutoSequence(true);
  }
}

/** One row on a settled devnet: warm-up, then `iterations` commits by the sequencing op-node. */
async function measureRow(
  devnet: Devnet,
  transactions: readonly Hex[],
  mode: CommitMode,
  iterations: number,
  sizeBytes: number,
  sszBytes: number,
): Promise<E2eCommitRow> {
  devnet.l2.setAutoSequence(true);
  const leader = await settleDevnet(devnet);
  devnet.l2.setAutoSequence(false);
  const { host, metricsPort } = leader.conductor.opts;
  const commit = (): Promise<number> => leader.l2.sequenceNow(transactions, mode);
  for (let i = 0; i < WARMUP; i++) await commit();
  const before = await scrapeMetrics(host, metricsPort);
  const xs: number[] = [];
  for (let i = 0; i < iterations; i++) xs.push(await commit());
  const after = await scrapeMetrics(host, metricsPort);
  return {
    mode,
    sizeBytes,
    sszBytes,
    e2e: summarize(xs),
    raftApplyMeanMs: histogramMeanMs(before, after, RAFT_APPLY_METRIC),
  };
}
