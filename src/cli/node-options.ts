/**
 * The V8 flags the daemon is meant to run with, as NODE_OPTIONS: the container image sets exactly this
 * (docker/Dockerfile, checked by test/docker/dockerfile.test.ts) and the benchmarks run the devnet's
 * conductors with it, so the figures in docs/performance.md are those of the shipped configuration.
 *
 * --max-semi-space-size=4 (MiB): V8's young generation otherwise grows to 16 MiB semi-spaces (48 MiB
 * reserved) when a commit allocates a few MB per second; every payload buffer dies young, so a smaller
 * nursery costs a few more short scavenges and keeps the RSS down. Measured with the soak bench (45 s,
 * 4 × 1 MB JSON commits/s, leader's RssAnon max): default 210 MiB, 8 → 184, 4 → 155, 2 → 153, with the
 * same commit latency and event-loop delay within noise.
 */
export const DAEMON_NODE_OPTIONS = '--max-semi-space-size=4';
