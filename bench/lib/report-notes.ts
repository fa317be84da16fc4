/**
 * The hand-written part of docs/performance.md: how the figures are taken and what is known about each goal
 * the measurements miss. Kept next to the generator so a re-run never loses it; it states causes and
 * remedies, never numbers (numbers come from the run above it).
 */
export const PERFORMANCE_NOTES = `
## Method
- Percentiles are nearest-rank over the samples of this run (no interpolation); warm-up commits are dropped.
- The machine is shared: other jobs ran on the same cores during the run, so the tails (p99, max) include
  scheduler delays that a dedicated host would not show. Every ratio compares figures taken in the same run,
  interleaved commit by commit, so both sides saw the same background load.
- Raft commit, TS vs Go: both clusters are driven through an HTTP /apply on the leader by the same client.
  Node's HTTP server costs more per request than Go's, so the raw HTTP figures penalise TS; the hop is measured
  separately after every commit and subtracted ("net"). For TS the in-process \`RaftHost.apply()\` time is also
  recorded and agrees with net to within the hop's noise.
- Go side: hashicorp/raft 1.1.2 with raft-boltdb (Debian), the interop program test/interop/raftpeer with
  op-conductor's defaults. TS side: op-conductor's Go timing defaults (\`RAFT_HOST_TIMING_DEFAULTS\`).
- Failover and soak run against the devnet (sim/devnet): 3 conductor processes with default settings
  (\`raft.store\` lmdb, snapshot threshold 48, trailing logs 32), simulated op-node/op-geth pairs in the bench
  process, and TCP fault proxies (pass-through) between the conductors.
`;
