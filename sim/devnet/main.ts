/**
 * `npm run devnet` — 3 real conductors + a simulated L2, with a live status table (interactive) or a
 * scripted run for CI (`--duration`). The scripted run ends with exactly one line
 *   devnet: blocks=<n> reorgs=<n> lost=<n> failovers=<n> max_failover_ms=<n> commit_p99_ms=<n>
 * and exits non-zero if reorgs > 0 or lost > 0.
 */
import { writeFileSync } from 'node:fs';
import { emitKeypressEvents } from 'node:readline';
import { parseArgs } from 'node:util';
import { Devnet, type MemberStatus, sleep } from './devnet.ts';

const USAGE = `Usage: npm run devnet -- [options]   (or: npx op-conductor devnet [options])
  Starts 3 real conductor processes (LMDB stores, TCP Raft transport) and a simulated L2 of 3 op-node/op-geth pairs.
  Without --duration: a live status table; keys k (kill the leader, restart it 3 s later), t (transfer leadership),
  p (partition the leader for 10 s), u (make the leader unhealthy for 10 s), q (quit).
Options:
  --duration D            run non-interactively for D (e.g. 60s, 10m), then print the summary line and exit
  --kill-leader-every D   with --duration: kill -9 the leader's conductor every D (restarted 3 s later)
  --block-time D          L2 block time (default 250ms)
  --payload-kb N          transaction bytes per block in KiB (default 10)
  --binary                commit through the binary SSZ endpoint instead of JSON-RPC
  --json FILE             also write the summary as JSON
  --dir DIR               data and log directory (default: a new temp dir)
  --verbose               print L2 and devnet events on stderr
Exit code 1 if any reorg or lost block was observed.`;
const FAILOVER_TIMEOUT_MS = 30_000;
const RESTART_AFTER_MS = 3_000;
const REFRESH_MS = 500;
const SETTLE_MS = 3_000;

function parseDurationMs(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) throw new Error(`invalid duration: ${s}`);
  const v = Number(m[1]);
  return m[2] === 'ms' ? v : m[2] === 'm' ? v * 60_000 : m[2] === 's' ? v * 1000 : v * 1000;
}

function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function table(rows: MemberStatus[], devnet: Devnet): string {
  const s = devnet.l2.summary();
  const yn = (b: boolean | undefined) => (b === undefined ? '-' : b ? 'yes' : 'no');
  const lines = [
    'node  conductor  leader  paused  healthy  sequencing  unsafe head',
    ...rows.map(
      (r) =>
        `${r.id.padEnd(5)} ${(r.up ? 'up' : 'DOWN').padEnd(10)} ${yn(r.leader).padEnd(7)} ${yn(r.paused).padEnd(7)} ` +
        `${yn(r.healthy).padEnd(8)} ${yn(r.sequencing).padEnd(11)} ${r.head} ${r.headHash.slice(0, 12)}…`,
    ),
    '',
    `blocks=${s.blocks} reorgs=${s.reorgs} lost=${s.lost} commit p50=${percentile(s.commitLatenciesMs, 50).toFixed(1)}ms ` +
      `p99=${percentile(s.commitLatenciesMs, 99).toFixed(1)}ms failovers=${devnet.failovers} last/max failover=${devnet.maxFailoverMs}ms`,
    'keys: k kill leader (restart in 3 s)  t transfer  p partition leader (10 s)  u unhealthy leader (10 s)  q quit',
  ];
  return lines.join('\n');
}

async function interactive(devnet: Devnet): Promise<void> {
  let quit = false;
  emitKeypressEvents(process.stdin);
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.on('keypress', (_s, key: { name?: string; ctrl?: boolean }) => {
    void (async () => {
      if (key.name === 'q' || (key.ctrl && key.name === 'c')) quit = true;
      else if (key.name === 'k') {
        const before = devnet.l2.summary().blocks;
        const killed = await devnet.killLeader(RESTART_AFTER_MS);
        if (killed) await devnet.waitNewSequencer(killed.id, before, FAILOVER_TIMEOUT_MS).catch(() => {});
      } else if (key.name === 't') await devnet.transferLeader().catch(() => {});
      else if (key.name === 'p' || key.name === 'u') {
        const l = await devnet.leader();
        if (!l) return;
        if (key.name === 'p') devnet.setPartitioned(l, true);
        else l.l2.setStalled(true);
        setTimeout(
          () => (key.name === 'p' ? devnet.setPartitioned(l, false) : l.l2.setStalled(false)),
          10_000,
        ).unref();
      }
    })();
  });
  while (!quit) {
    process.stdout.write(`\x1b[2J\x1b[H${table(await devnet.status(), devnet)}\n`);
    await sleep(REFRESH_MS);
  }
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
}

async function scripted(devnet: Devnet, durationMs: number, killEveryMs: number | undefined): Promise<void> {
  const end = Date.now() + durationMs;
  let nextKill = killEveryMs ? Date.now() + killEveryMs : Number.POSITIVE_INFINITY;
  while (Date.now() < end) {
    if (Date.now() >= nextKill) {
      const before = devnet.l2.summary().blocks;
      const killed = await devnet.killLeader(RESTART_AFTER_MS);
      if (killed) {
        const ms = await devnet.waitNewSequencer(killed.id, before, FAILOVER_TIMEOUT_MS);
        console.error(`devnet: failover after killing ${killed.id}: ${ms} ms`);
      }
      nextKill = Date.now() + (killEveryMs ?? 0);
    }
    await sleep(200);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      'kill-leader-every': { type: 'string' },
      'block-time': { type: 'string', default: '250ms' },
      'payload-kb': { type: 'string', default: '10' },
      json: { type: 'string' },
      dir: { type: 'string' },
      binary: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const devnet = new Devnet({
    blockTimeMs: parseDurationMs(values['block-time']!),
    payloadBytes: Number(values['payload-kb']) * 1024,
    commitMode: values.binary ? 'binary' : 'json',
    ...(values.dir ? { dir: values.dir } : {}),
    ...(values.verbose ? { log: (l: string) => console.error(l) } : {}),
  });
  const onSignal = () => {
    void devnet.close().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  console.error(`devnet: data and logs in ${devnet.dir}`);
  try {
    await devnet.start();
    if (values.duration) {
      await scripted(
        devnet,
        parseDurationMs(values.duration),
        values['kill-leader-every'] ? parseDurationMs(values['kill-leader-every']) : undefined,
      );
    } else {
      await interactive(devnet);
    }
    await sleep(SETTLE_MS);
  } finally {
    await devnet.close();
  }
  const s = devnet.l2.summary();
  const p99 = Math.round(percentile(s.commitLatenciesMs, 99));
  const line = `devnet: blocks=${s.blocks} reorgs=${s.reorgs} lost=${s.lost} failovers=${devnet.failovers} max_failover_ms=${devnet.maxFailoverMs} commit_p99_ms=${p99}`;
  if (values.json) {
    writeFileSync(
      values.json,
      JSON.stringify(
        {
          ...s,
          commitLatenciesMs: undefined,
          failovers: devnet.failovers,
          maxFailoverMs: devnet.maxFailoverMs,
          commitP99Ms: p99,
        },
        null,
        2,
      ),
    );
  }
  console.log(line);
  return s.reorgs > 0 || s.lost > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`devnet: ${e.message}`);
    process.exit(1);
  },
);
