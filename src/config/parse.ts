/**
 * argv + environment → flag values, with urfave/cli v2 (Go `flag` package) semantics:
 * `-flag value`, `--flag value`, `--flag=value`; bools as `--flag` / `--flag=false` (a bool never takes
 * the next argument); parsing stops at the first non-flag argument or `--`; the last occurrence wins;
 * a CLI value beats the env var; a flag is "set" when given on the CLI or when its env var is present
 * (even empty). Then Go's CheckRequired (first missing flag, in the Go order) and the typed config.
 *
 * A small hand parser over the schema is used instead of node:util parseArgs because parseArgs has
 * no notion of Go's single-dash long flags, "stop at first positional", bool-never-consumes-next-arg,
 * or Go's exact error texts, and all of those are observable to operators' scripts.
 */
import type {
  ConductorConfig,
  ExecutionP2pCheckApi,
  LogFormat,
  LogLevel,
  OverrideFork,
  RaftStoreKind,
} from './config.ts';
import { ConfigError } from './errors.ts';
import {
  ENV_VAR_PREFIX,
  envVarFor,
  FLAGS,
  FLAGS_BY_NAME,
  type FlagSpec,
  type FlagValue,
  KNOWN_ENV_VARS,
  OVERRIDE_FORKS,
  REQUIRED_FLAG_NAMES,
} from './schema.ts';
import { convertFlagValue, zeroValue } from './values.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ParsedFlags {
  /** Explicit values only (CLI or env); defaults are applied by `flagValue`. */
  readonly values: ReadonlyMap<string, FlagValue>;
  readonly setOnCli: ReadonlySet<string>;
  readonly setInEnv: ReadonlySet<string>;
  readonly help: boolean;
  readonly version: boolean;
  /** Arguments after the flags (ignored by the daemon, as in Go). */
  readonly rest: readonly string[];
}

const HELP_NAMES = new Set(['h', 'help']);
const VERSION_NAMES = new Set(['v', 'version']);

function cliValue(spec: FlagSpec, text: string, dashName: string): FlagValue {
  const r = convertFlagValue(spec, text);
  if (r.ok) return r.value;
  // Go's flag package reduces strconv errors to "parse error"; generic flags keep their own text.
  const reason =
    spec.type === 'enum'
      ? r.reason
      : r.reason.endsWith('value out of range')
        ? 'value out of range'
        : 'parse error';
  const message =
    spec.type === 'bool'
      ? `invalid boolean value ${JSON.stringify(text)} for ${dashName}: ${reason}`
      : `invalid value ${JSON.stringify(text)} for flag ${dashName}: ${reason}`;
  throw new ConfigError('ERR_FLAG_INVALID_VALUE', message);
}

function envValue(spec: FlagSpec, envVar: string, text: string): FlagValue {
  const r = convertFlagValue(spec, text);
  if (r.ok) return r.value;
  const kind = spec.type === 'uint64-seconds' ? 'uint64' : spec.type;
  const what = spec.type === 'enum' || spec.type === 'string' ? 'value' : `${kind} value`;
  throw new ConfigError(
    'ERR_ENV_INVALID_VALUE',
    `could not parse ${JSON.stringify(text)} as ${what} from environment variable ${JSON.stringify(envVar)} for flag ${spec.name}: ${r.reason}`,
  );
}

export function parseFlags(argv: readonly string[], env: Env): ParsedFlags {
  const values = new Map<string, FlagValue>();
  const setOnCli = new Set<string>();
  let help = false;
  let version = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const dashes = arg.startsWith('--') ? 2 : 1;
    const body = arg.slice(dashes);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      throw new ConfigError('ERR_FLAG_UNDEFINED', `bad flag syntax: ${arg}`);
    }
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    let text: string | undefined = eq === -1 ? undefined : body.slice(eq + 1);
    if (HELP_NAMES.has(name)) {
      help = true;
      continue;
    }
    if (VERSION_NAMES.has(name)) {
      version = true;
      continue;
    }
    const spec = FLAGS_BY_NAME.get(name);
    if (!spec) throw new ConfigError('ERR_FLAG_UNDEFINED', `flag provided but not defined: -${name}`);
    if (spec.type === 'bool') text ??= 'true';
    else if (text === undefined) {
      if (i + 1 >= argv.length)
        throw new ConfigError('ERR_FLAG_NEEDS_ARGUMENT', `flag needs an argument: -${name}`);
      i++;
      text = argv[i]!;
    }
    values.set(name, cliValue(spec, text, `-${name}`));
    setOnCli.add(name);
  }
  const rest = argv.slice(i);
  const setInEnv = new Set<string>();
  for (const spec of FLAGS) {
    const envVar = envVarFor(spec.name);
    const text = env[envVar];
    if (text === undefined) continue;
    setInEnv.add(spec.name);
    if (setOnCli.has(spec.name)) continue;
    // urfave v2 applies an empty env value only to string flags; for the others the default stays.
    if (text === '' && spec.type !== 'string') continue;
    values.set(spec.name, envValue(spec, envVar, text));
  }
  return { values, setOnCli, setInEnv, help, version, rest };
}

export function isFlagSet(parsed: ParsedFlags, name: string): boolean {
  return parsed.setOnCli.has(name) || parsed.setInEnv.has(name);
}

export function flagValue(parsed: ParsedFlags, name: string): FlagValue {
  const spec = FLAGS_BY_NAME.get(name);
  if (!spec) throw new Error(`flagValue: unknown flag ${name}`);
  return parsed.values.get(name) ?? spec.default ?? zeroValue(spec);
}

/** Go's `flags.CheckRequired` wrapped by `NewConfig`: only the first missing flag is reported. */
export function checkRequiredFlags(parsed: ParsedFlags): void {
  for (const name of REQUIRED_FLAG_NAMES) {
    if (!isFlagSet(parsed, name)) {
      throw new ConfigError(
        'ERR_MISSING_REQUIRED_FLAG',
        `missing required flags: flag ${name} is required`,
        `flag ${name} is required`,
      );
    }
  }
}

/** op-service `ValidateEnvVars`: `KEY=value` of every `OP_CONDUCTOR*` variable that no flag owns. */
export function unknownEnvVars(env: Env): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || !key.startsWith(ENV_VAR_PREFIX)) continue;
    if (!KNOWN_ENV_VARS.has(key)) out.push(`${key}=${value}`);
  }
  return out.sort();
}

export function buildConfig(parsed: ParsedFlags): ConductorConfig {
  const str = (n: string) => flagValue(parsed, n) as string;
  const num = (n: string) => flagValue(parsed, n) as number;
  const bool = (n: string) => flagValue(parsed, n) as boolean;
  const executionRpc = str('execution.rpc');
  const overrides: Partial<Record<OverrideFork, number>> = {};
  for (const fork of OVERRIDE_FORKS) {
    if (isFlagSet(parsed, `override.${fork}`)) overrides[fork] = num(`override.${fork}`);
  }
  return {
    consensusAddr: str('consensus.addr'),
    consensusPort: num('consensus.port'),
    consensusAdvertised: str('consensus.advertised'),
    raftBootstrap: bool('raft.bootstrap'),
    raftServerId: str('raft.server.id'),
    raftStorageDir: str('raft.storage.dir'),
    raftSnapshotIntervalMs: num('raft.snapshot-interval'),
    raftSnapshotThreshold: num('raft.snapshot-threshold'),
    raftTrailingLogs: num('raft.trailing-logs'),
    raftHeartbeatTimeoutMs: num('raft.heartbeat-timeout'),
    raftLeaseTimeoutMs: num('raft.lease-timeout'),
    raftElectionTimeoutMs: num('raft.election-timeout'),
    raftStore: str('raft.store') as RaftStoreKind,
    nodeRpc: str('node.rpc'),
    executionRpc,
    supervisorRpc: str('supervisor.rpc'),
    rollupBoostEnabled: bool('rollup-boost.enabled'),
    rollupBoostHealthcheckTimeoutMs: num('rollup-boost.healthcheck-timeout'),
    rollupBoostNextEnabled: bool('rollup-boost.next-enabled'),
    rollupBoostNextHealthcheckUrl: str('rollup-boost.next-healthcheck-url'),
    rollupBoostWsUrl: str('rollupboost.ws-url'),
    websocketServerPort: num('websocket.server-port'),
    healthCheck: {
      intervalS: num('healthcheck.interval'),
      unsafeIntervalS: num('healthcheck.unsafe-interval'),
      safeEnabled: bool('healthcheck.safe-enabled'),
      safeIntervalS: num('healthcheck.safe-interval'),
      minPeerCount: num('healthcheck.min-peer-count'),
      executionP2pEnabled: bool('healthcheck.execution-p2p-enabled'),
      executionP2pMinPeerCount: num('healthcheck.execution-p2p-min-peer-count'),
      executionP2pRpcUrl: str('healthcheck.execution-p2p-rpc-url') || executionRpc,
      executionP2pCheckApi: (str('healthcheck.execution-p2p-check-api') || 'net') as ExecutionP2pCheckApi,
      rollupBoostPartialHealthinessToleranceLimit: num(
        'healthcheck.rollup-boost-partial-healthiness-tolerance-limit',
      ),
      rollupBoostPartialHealthinessToleranceIntervalS: num(
        'healthcheck.rollup-boost-partial-healthiness-tolerance-interval-seconds',
      ),
    },
    paused: bool('paused'),
    rpc: {
      addr: str('rpc.addr'),
      port: num('rpc.port'),
      enableAdmin: bool('rpc.enable-admin'),
      enableProxy: bool('rpc.enable-proxy'),
      adminJwtSecretPath: str('rpc.admin-jwt-secret'),
    },
    log: {
      level: str('log.level') as LogLevel,
      format: str('log.format') as LogFormat,
      color: isFlagSet(parsed, 'log.color') ? bool('log.color') : undefined,
      pid: bool('log.pid'),
    },
    metrics: { enabled: bool('metrics.enabled'), addr: str('metrics.addr'), port: num('metrics.port') },
    pprof: {
      enabled: bool('pprof.enabled'),
      addr: str('pprof.addr'),
      port: num('pprof.port'),
      path: str('pprof.path'),
      type: str('pprof.type'),
    },
    network: str('network'),
    rollupConfigPath: str('rollup.config'),
    overrides,
  };
}

/** Parse, check required flags and build the typed config (no semantic checks: see `checkConfig`). */
export function parseConfig(argv: readonly string[], env: Env): ConductorConfig {
  const parsed = parseFlags(argv, env);
  checkRequiredFlags(parsed);
  return buildConfig(parsed);
}
