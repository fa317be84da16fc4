// argv/env parsing with urfave/cli v2 semantics: env and flags give the same config, the CLI beats the
// env, presence (CLI or env, even empty) satisfies required flags, Go durations and integers, bool
// forms, Go's error texts, and the unknown OP_CONDUCTOR_* warning list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration, parseGoDurationNs } from '../../src/config/duration.ts';
import { isConfigError } from '../../src/config/errors.ts';
import { buildConfig, parseConfig, parseFlags, unknownEnvVars } from '../../src/config/parse.ts';
import { envVarFor } from '../../src/config/schema.ts';

const REQUIRED: Readonly<Record<string, string>> = {
  'consensus.addr': '127.0.0.1',
  'consensus.port': '50050',
  'raft.server.id': 'seq-0',
  'raft.storage.dir': '/data/raft',
  'node.rpc': 'http://op-node:8545',
  'execution.rpc': 'http://op-geth:8545',
  'healthcheck.interval': '1',
  'healthcheck.unsafe-interval': '5',
  'healthcheck.min-peer-count': '2',
};

function asArgs(flags: Readonly<Record<string, string>>): string[] {
  // `--k=v`: a bool flag would not consume a separate value argument.
  return Object.entries(flags).map(([k, v]) => `--${k}=${v}`);
}

function asEnv(flags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(flags).map(([k, v]) => [envVarFor(k), v]));
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isConfigError(e), `expected ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected an error');
}

test('env vars produce the same config as the flags', () => {
  const extra = {
    'healthcheck.interval': '1',
    'raft.heartbeat-timeout': '500ms',
    'raft.lease-timeout': '250ms',
    'raft.bootstrap': 'true',
    'rpc.enable-proxy': 'false',
    'log.level': 'DBUG',
    'override.granite': '1700000000',
  };
  const all = { ...REQUIRED, ...extra };
  const fromFlags = parseConfig(asArgs(all), {});
  const fromEnv = parseConfig([], asEnv(all));
  assert.deepEqual(fromEnv, fromFlags);
  assert.equal(fromEnv.healthCheck.intervalS, 1);
  assert.equal(fromEnv.raftHeartbeatTimeoutMs, 500);
  assert.equal(fromEnv.raftBootstrap, true);
  assert.equal(fromEnv.rpc.enableProxy, false);
  assert.equal(fromEnv.log.level, 'debug');
  assert.deepEqual(fromEnv.overrides, { granite: 1700000000 });
});

test('a CLI value beats the env var', () => {
  const c = parseConfig([...asArgs(REQUIRED), '--healthcheck.interval=7', '--paused=false'], {
    OP_CONDUCTOR_HEALTHCHECK_INTERVAL: '3',
    OP_CONDUCTOR_PAUSED: 'true',
    OP_CONDUCTOR_RPC_PORT: '9000',
  });
  assert.equal(c.healthCheck.intervalS, 7);
  assert.equal(c.paused, false);
  assert.equal(c.rpc.port, 9000);
});

test('--flag value, --flag=value and -flag value are equivalent; the last occurrence wins', () => {
  const base = asArgs(REQUIRED);
  const a = parseConfig([...base, '--rpc.port', '1234'], {});
  const b = parseConfig([...base, '--rpc.port=1234'], {});
  const c = parseConfig([...base, '-rpc.port', '1234'], {});
  const d = parseConfig([...base, '--rpc.port=1', '--rpc.port=1234'], {});
  for (const x of [b, c, d]) assert.deepEqual(x, a);
  assert.equal(a.rpc.port, 1234);
});

test('bools: bare flag is true, =false is false, a bool never consumes the next argument', () => {
  const p = parseFlags(['--paused', '--raft.bootstrap=false', 'positional', '--rpc.port=1'], {});
  assert.equal(p.values.get('paused'), true);
  assert.equal(p.values.get('raft.bootstrap'), false);
  // Go's flag package stops at the first non-flag argument.
  assert.deepEqual(p.rest, ['positional', '--rpc.port=1']);
  assert.equal(p.values.has('rpc.port'), false);
});

test('required flags: presence counts, even with an empty env value; first missing is reported', () => {
  const noAddr = { ...REQUIRED };
  delete (noAddr as Record<string, string>)['consensus.addr'];
  assert.equal(
    configError(() => parseConfig(asArgs(noAddr), {})),
    'missing required flags: flag consensus.addr is required',
  );
  // Present through the env (even empty) satisfies the presence check.
  const c = parseConfig(asArgs(noAddr), { OP_CONDUCTOR_CONSENSUS_ADDR: '' });
  assert.equal(c.consensusAddr, '');
  assert.equal(
    configError(() => parseConfig([], {})),
    'missing required flags: flag consensus.addr is required',
  );
  // Each required flag in turn, in Go's order.
  const names = Object.keys(REQUIRED);
  for (let i = 0; i < names.length; i++) {
    const given = Object.fromEntries(names.slice(0, i).map((n) => [n, REQUIRED[n]!]));
    assert.equal(
      configError(() => parseConfig(asArgs(given), {})),
      `missing required flags: flag ${names[i]} is required`,
    );
  }
});

test('defaults apply when flags are absent (including our deliberate differences)', () => {
  const c = parseConfig(asArgs(REQUIRED), {});
  assert.equal(c.raftSnapshotIntervalMs, 1000);
  assert.equal(c.raftSnapshotThreshold, 48);
  assert.equal(c.raftTrailingLogs, 32);
  assert.equal(c.raftElectionTimeoutMs, 1000);
  assert.equal(c.raftStore, 'lmdb');
  assert.equal(c.healthCheck.safeIntervalS, 1200);
  assert.equal(c.healthCheck.executionP2pCheckApi, 'net');
  assert.equal(c.healthCheck.executionP2pRpcUrl, 'http://op-geth:8545');
  assert.equal(c.rpc.enableProxy, true);
  assert.equal(c.websocketServerPort, 8546);
  assert.equal(c.log.color, undefined);
  assert.deepEqual(c.overrides, {});
});

test('Go durations', () => {
  const cases: [string, number][] = [
    ['500ms', 500e6],
    ['1s', 1e9],
    ['2m30s', 150e9],
    ['1h', 3600e9],
    ['1.5s', 1.5e9],
    ['300us', 300e3],
    ['300µs', 300e3],
    ['10ns', 10],
    ['0', 0],
    ['1h2m3.5s', 3723.5e9],
    ['.5s', 0.5e9],
  ];
  for (const [text, ns] of cases) assert.equal(parseGoDurationNs(text), ns, text);
  for (const bad of ['', '1', 's', '1x', '1.s.', '-']) assert.throws(() => parseGoDurationNs(bad), bad);
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(500e6), '500ms');
  assert.equal(formatGoDuration(1.5e6), '1.5ms');
  assert.equal(formatGoDuration(120e9), '2m0s');
  assert.equal(formatGoDuration(3600e9), '1h0m0s');
  assert.equal(formatGoDuration(1.5e9), '1.5s');
  assert.equal(formatGoDuration(300e3), '300µs');
  const c = parseConfig([...asArgs(REQUIRED), '--raft.snapshot-interval=2m30s'], {});
  assert.equal(c.raftSnapshotIntervalMs, 150_000);
});

test('integers use Go base-0 parsing; uint64 seconds reject durations and negatives', () => {
  const c = parseConfig([...asArgs(REQUIRED), '--rpc.port=0x10', '--healthcheck.safe-interval=1_000'], {});
  assert.equal(c.rpc.port, 16);
  assert.equal(c.healthCheck.safeIntervalS, 1000);
  assert.equal(
    configError(() => parseFlags(['--healthcheck.interval', '1s'], {})),
    'invalid value "1s" for flag -healthcheck.interval: parse error',
  );
  assert.equal(
    configError(() => parseFlags(['--healthcheck.interval=-1'], {})),
    'invalid value "-1" for flag -healthcheck.interval: parse error',
  );
  assert.equal(
    configError(() => parseFlags([], { OP_CONDUCTOR_HEALTHCHECK_INTERVAL: 'abc' })),
    'could not parse "abc" as uint64 value from environment variable "OP_CONDUCTOR_HEALTHCHECK_INTERVAL" for flag healthcheck.interval: strconv.ParseUint: parsing "abc": invalid syntax',
  );
});

test('flag syntax errors use the Go flag package texts', () => {
  assert.equal(
    configError(() => parseFlags(['--nope'], {})),
    'flag provided but not defined: -nope',
  );
  assert.equal(
    configError(() => parseFlags(['--node.rpc'], {})),
    'flag needs an argument: -node.rpc',
  );
  assert.equal(
    configError(() => parseFlags(['--paused=maybe'], {})),
    'invalid boolean value "maybe" for -paused: parse error',
  );
  assert.equal(
    configError(() => parseFlags(['--log.level=loud'], {})),
    'invalid value "loud" for flag -log.level: unknown level: loud',
  );
  assert.equal(
    configError(() => parseFlags(['--log.format=xml'], {})),
    'invalid value "xml" for flag -log.format: unrecognized log-format: "xml"',
  );
  assert.equal(
    configError(() => parseFlags(['--pprof.type=wall'], {})),
    'invalid value "wall" for flag -pprof.type: unknown profile type: "wall"',
  );
  assert.match(
    configError(() => parseFlags(['--raft.store=bolt'], {})),
    /^invalid value "bolt" for flag -raft.store/,
  );
});

test('help and version flags are recognised in every spelling', () => {
  for (const h of ['-h', '--help', '-help']) assert.equal(parseFlags([h], {}).help, true, h);
  for (const v of ['-v', '--version']) assert.equal(parseFlags([v], {}).version, true, v);
});

test('log.color is only applied when set; crit and aliases are accepted', () => {
  const p = parseFlags(['--log.color=false', '--log.level=CRIT'], {});
  const c = buildConfig(p);
  assert.equal(c.log.color, false);
  assert.equal(c.log.level, 'crit');
  assert.equal(buildConfig(parseFlags(['--log.level=eror'], {})).log.level, 'error');
});

test('unknown OP_CONDUCTOR_* env vars are listed as KEY=value, known ones and others are not', () => {
  const env = {
    OP_CONDUCTOR_HEALTHCHECK_INTERVAL: '1',
    OP_CONDUCTOR_TYPO_INTERVAL: '2',
    OP_CONDUCTORX: '3',
    OP_NODE_FOO: '4',
    PATH: '/bin',
  };
  assert.deepEqual(unknownEnvVars(env), ['OP_CONDUCTORX=3', 'OP_CONDUCTOR_TYPO_INTERVAL=2']);
});
