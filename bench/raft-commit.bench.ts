// Raft commit latency, 3 nodes on loopback, real stores and the real TCP transport, side by side with the Go
// hashicorp/raft + raft-boltdb interop program on the same workload in the same run. Every cluster is three
// OS processes with the same HTTP /apply API driven by the same client, one commit outstanding (as op-node
// commits), and the clusters take turns commit by commit so they share the machine's background load.
// Reported per size: the client-side HTTP commit (the like-for-like comparison), the HTTP hop alone (the same
// body refused by a follower), and for TS the in-process RaftHost.apply() time (the Raft commit proper).
// Run: node --import tsx bench/raft-commit.bench.ts [--iterations 40] [--sizes 10000,100000] [--kinds ts-lmdb,go]
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ClusterKind, GO_PEER_BIN, HttpRaftCluster } from './lib/http-raft-cluster.ts';
import { goReferenceRow, raftClusterLabel } from './lib/report.ts';
import { fmtMs, fmtRatio, type LatencySummary, sizeLabel, summarize } from './lib/stats.ts';

export const RAFT_COMMIT_SIZES = [10_000, 100_000, 1_000_000, 2_000_000] as const;
const WARMUP = 3;

export interface RaftCommitRow {
  readonly kind: ClusterKind;
  readonly sizeBytes: number;
  /** Client-side HTTP /apply, like for like across implementations. */
  readonly http: LatencySummary;
  /** The HTTP hop alone (follower refusal of the same body). */
  readonly hop: LatencySummary;
  /** Per commit: HTTP commit minus the hop measured right after it (the Raft commit, for Go and TS alike). */
  readonly net: LatencySummary;
  /** In-process RaftHost.apply() (TS only). */
  readonly apply: LatencySummary | undefined;
  /** Anonymous RSS of the leader process after the run (bytes). */
  readonly leaderRssAnonBytes: number;
  /** For a Go row: the TS cluster it took turns with, i.e. the TS row it is the reference of. */
  readonly pairedWith: ClusterKind | undefined;
}

export interface RaftCommitOptions {
  readonly dir: string;
  readonly iterations: number;
  readonly sizes?: readonly number[];
  readonly kinds?: readonly ClusterKind[];
  readonly log?: (line: string) => void;
}

/** Whether the Go interop program is built (scripts/build-interop.sh); the Go column is skipped loudly otherwise. */
export function goPeerAvailable(): boolean {
  return existsSync(GO_PEER_BIN);
}

/**
 * The clusters that take turns in each phase: every TS backend in its own phase, with its own Go reference.
 * A cluster's background disk work otherwise lands in the other clusters' commits: the file store zero-fills
 * its next 16 MiB segment after each rollover, and with that cluster taking turns too the 1 MB ts-lmdb p99
 * read 30.9–32.4 ms against 20.2–21.6 ms beside Go alone (Go's own p99 72.6–87.3 against 52.7–59.1 ms).
 */
export function raftBenchPhases(kinds: readonly ClusterKind[]): ClusterKind[][] {
  const ts = kinds.filter((k) => k !== 'go');
  const withGo = kinds.includes('go');
  if (ts.length === 0) return withGo ? [['go']] : [];
  return ts.map((k) => (withGo ? [k, 'go'] : [k]));
}

export async function runRaftCommitBench(o: RaftCommitOptions): Promise<RaftCommitRow[]> {
  const sizes = o.sizes ?? RAFT_COMMIT_SIZES;
  const kinds = (o.kinds ?? ['ts-lmdb', 'ts-file', 'go']).filter((k) => k !== 'go' || goPeerAvailable());
  if (o.kinds?.includes('go') !== false && !goPeerAvailable())
    o.log?.(
      `!!! Go interop program missing (${GO_PEER_BIN}): run scripts/build-interop.sh; Go column skipped`,
    );
  const rows: RaftCommitRow[] = [];
  for (const phase of raftBenchPhases(kinds)) rows.push(...(await runPhase(o, phase, sizes)));
  // One table: by size, each TS row followed by its Go reference.
  const order = (r: RaftCommitRow) => kinds.indexOf(r.pairedWith ?? r.kind) * 2 + (r.kind === 'go' ? 1 : 0);
  return rows.sort((a, b) => a.sizeBytes - b.sizeBytes || order(a) - order(b));
}

/** The clusters of one phase take turns commit by commit, size by size; they are shut down before the next phase. */
async function runPhase(
  o: RaftCommitOptions,
  phase: readonly ClusterKind[],
  sizes: readonly number[],
): Promise<RaftCommitRow[]> {
  const partner = phase.find((k) => k !== 'go');
  const clusters: HttpRaftCluster[] = [];
  try {
    for (const k of phase) {
      clusters.push(await HttpRaftCluster.start(k, o.dir));
      o.log?.(`raft-commit: ${k} cluster formed`);
    }
    const rows: RaftCommitRow[] = [];
    for (const size of sizes) {
      const data = randomBytes(size);
      const http = clusters.map(() => [] as number[]);
      const hop = clusters.map(() => [] as number[]);
      const apply = clusters.map(() => [] as number[]);
      const net = clusters.map(() => [] as number[]);
      for (let i = 0; i < WARMUP + o.iterations; i++) {
        for (const [c, cluster] of clusters.entries()) {
          const r = await cluster.apply(data);
          const h = await cluster.httpOverhead(data);
          if (i < WARMUP) continue;
          http[c]!.push(r.httpMs);
          hop[c]!.push(h);
          net[c]!.push(Math.max(0, r.httpMs - h));
          if (r.applyMs !== undefined) apply[c]!.push(r.applyMs);
        }
      }
      for (const [c, cluster] of clusters.entries()) {
        rows.push({
          kind: cluster.kind,
          sizeBytes: size,
          http: summarize(http[c]!),
          hop: summarize(hop[c]!),
          net: summarize(net[c]!),
          apply: apply[c]!.length > 0 ? summarize(apply[c]!) : undefined,
          leaderRssAnonBytes: cluster.rssAnonBytes()[0] ?? Number.NaN,
          pairedWith: cluster.kind === 'go' ? partner : undefined,
        });
      }
      o.log?.(`raft-commit: ${phase.join(' + ')} ${sizeLabel(size)} done`);
    }
    return rows;
  } finally {
    for (const c of clusters) await c.close();
  }
}

export function printRaftCommitRows(rows: readonly RaftCommitRow[]): void {
  console.log(
    'Raft commit, 3 nodes on loopback (ms): HTTP /apply p50/p99/max | hop p50 | net p50/p99 | in-process apply p50/p99/max',
  );
  for (const r of rows) {
    const go = goReferenceRow(rows, r.kind, r.sizeBytes);
    const ratio =
      go && r.kind !== 'go'
        ? `  vs Go: HTTP p50 ${fmtRatio(r.http.p50Ms / go.http.p50Ms)}, net p50 ${fmtRatio(r.net.p50Ms / go.net.p50Ms)} p99 ${fmtRatio(r.net.p99Ms / go.net.p99Ms)}`
        : '';
    const a = r.apply ? `${fmtMs(r.apply.p50Ms)}/${fmtMs(r.apply.p99Ms)}/${fmtMs(r.apply.maxMs)}` : '-';
    console.log(
      `  ${raftClusterLabel(r).padEnd(8)} ${sizeLabel(r.sizeBytes).padStart(7)}  ${fmtMs(r.http.p50Ms)}/${fmtMs(r.http.p99Ms)}/${fmtMs(r.http.maxMs)} | ${fmtMs(r.hop.p50Ms)} | ${fmtMs(r.net.p50Ms)}/${fmtMs(r.net.p99Ms)} | ${a}${ratio}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string', default: '40' },
      sizes: { type: 'string' },
      kinds: { type: 'string' },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'raft-commit-bench-'));
  try {
    const rows = await runRaftCommitBench({
      dir,
      iterations: Number(values.iterations),
      ...(values.sizes ? { sizes: values.sizes.split(',').map(Number) } : {}),
      ...(values.kinds ? { kinds: values.kinds.split(',') as ClusterKind[] } : {}),
      log: (l) => console.error(l),
    });
    printRaftCommitRows(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
