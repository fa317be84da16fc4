/**
 * The single declarative table of every command-line flag the daemon accepts: the Go conductor's own
 * flags (spec §2.1), the inherited op-service groups (§2.2: rpc, log, metrics, pprof, rollup config,
 * `override.<fork>`) and the few flags that are new here (`origin: 'ours'`). Parsing, `--help`,
 * the unknown-env-var warning and docs/configuration.md are all derived from this table, so a flag
 * exists everywhere or nowhere.
 * Invariants: names are unique; every flag has exactly one env var, derived by `envVarFor` (upper-case,
 * `.`/`-` → `_`, prefix `OP_CONDUCTOR_`); `required` flags are the Go CheckRequired list, in Go's order.
 */

export const ENV_VAR_PREFIX = 'OP_CONDUCTOR';

export type FlagType = 'string' | 'int' | 'uint64' | 'bool' | 'duration' | 'uint64-seconds' | 'enum';

/** Durations are held as milliseconds; every other type as its natural JS value. */
export type FlagValue = string | number | boolean;

export type FlagGroup = 'conductor' | 'rpc' | 'log' | 'metrics' | 'pprof' | 'rollup' | 'override';

export interface FlagSpec {
  readonly name: string;
  readonly type: FlagType;
  /** Undefined = urfave's zero value for the type, and no `(default: …)` shown for strings. */
  readonly default?: FlagValue;
  readonly usage: string;
  /** Must be present (CLI or env) even if it has a default: Go's CheckRequired, checked by presence. */
  readonly required?: boolean;
  /** Allowed values for `enum` flags (validated at parse time, like op-service's generic flags). */
  readonly values?: readonly string[];
  /** Accepted spellings folded onto `values` (log.level's `trce`, `dbug`, `eror`, any case). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Shown in `--help` in place of the typed default (op-service's generic flags print their own text). */
  readonly defaultText?: string;
  readonly group: FlagGroup;
  /** `go` = same name, meaning and env var as the Go conductor; `ours` = new in this implementation. */
  readonly origin: 'go' | 'ours';
  /** What differs from Go, for flags whose name Go also has (shown in docs/configuration.md). */
  readonly note?: string;
}

export function envVarFor(flagName: string): string {
  return `${ENV_VAR_PREFIX}_${flagName.toUpperCase().replace(/[.-]/g, '_')}`;
}

/** Forks with an `override.<fork>` flag (op-service `opflags.CLIFlags`, generated from op-core/forks). */
export const OVERRIDE_FORKS = [
  'canyon',
  'delta',
  'ecotone',
  'fjord',
  'granite',
  'holocene',
  'isthmus',
  'jovian',
  'karst',
  'interop',
  'pectrablobschedule',
] as const;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'crit'] as const;
export const LOG_FORMATS = ['text', 'terminal', 'logfmt', 'logfmtms', 'json', 'jsonms'] as const;
export const PPROF_TYPES = ['cpu', 'heap', 'goroutine', 'threadcreate', 'block', 'mutex', 'allocs'] as const;
export const RAFT_STORES = ['lmdb', 'file'] as const;
export const EL_P2P_CHECK_APIS = ['net', 'admin'] as const;

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const CONDUCTOR_FLAGS: readonly FlagSpec[] = [
  {
    name: 'consensus.addr',
    type: 'string',
    default: '127.0.0.1',
    required: true,
    usage: 'Host (no port) the raft consensus server binds to.',
  },
  {
    name: 'consensus.port',
    type: 'int',
    default: 50050,
    required: true,
    usage: 'Port the raft consensus server listens on; 0 lets the OS choose one.',
  },
  {
    name: 'consensus.advertised',
    type: 'string',
    default: '',
    usage: 'host:port other peers use to reach this consensus server; empty advertises the bound address.',
  },
  {
    name: 'raft.bootstrap',
    type: 'bool',
    default: false,
    usage: 'Bootstrap a new single-voter raft cluster.',
  },
  {
    name: 'raft.server.id',
    type: 'string',
    required: true,
    usage: 'Unique raft server ID of this node (also the name of its storage subdirectory).',
  },
  { name: 'raft.storage.dir', type: 'string', required: true, usage: 'Base directory for raft data.' },
  {
    name: 'raft.snapshot-interval',
    type: 'duration',
    default: 1000,
    usage: 'How often raft checks whether a snapshot should be taken.',
    note: 'Default 1s (Go: 120s): the FSM only needs the latest payload, so frequent tiny snapshots are cheap.',
  },
  {
    name: 'raft.snapshot-threshold',
    type: 'uint64',
    default: 48,
    usage: 'Number of log entries since the last snapshot that triggers a new snapshot.',
    note: 'Default 48 (Go: 8192).',
  },
  {
    name: 'raft.trailing-logs',
    type: 'uint64',
    default: 32,
    usage: 'Number of log entries kept after a snapshot, so lagging followers can catch up from the log.',
    note: 'Default 32 (Go: 10240).',
  },
  {
    name: 'raft.heartbeat-timeout',
    type: 'duration',
    default: 1000,
    usage: 'Time without contact from the leader before a follower starts an election.',
  },
  {
    name: 'raft.lease-timeout',
    type: 'duration',
    default: 500,
    usage: 'Leader lease timeout: a leader that cannot reach a quorum for this long steps down.',
  },
  { name: 'node.rpc', type: 'string', required: true, usage: 'HTTP RPC URL of the op-node.' },
  {
    name: 'execution.rpc',
    type: 'string',
    required: true,
    usage: 'HTTP RPC URL of the execution client (op-geth, op-reth or rollup-boost).',
  },
  {
    name: 'supervisor.rpc',
    type: 'string',
    default: '',
    usage: 'HTTP RPC URL of the op-supervisor; when set the health check also asks it for its sync status.',
  },
  {
    name: 'rollup-boost.enabled',
    type: 'bool',
    default: false,
    usage: 'Health-check rollup-boost through the status code of <execution.rpc>/healthz.',
  },
  {
    name: 'rollup-boost.healthcheck-timeout',
    type: 'duration',
    default: 5000,
    usage: 'HTTP timeout of the rollup-boost health checks.',
  },
  {
    name: 'rollup-boost.next-enabled',
    type: 'bool',
    default: false,
    usage: 'Health-check rollup-boost through its JSON health endpoint (excludes rollup-boost.enabled).',
  },
  {
    name: 'rollup-boost.next-healthcheck-url',
    type: 'string',
    usage: 'Full URL of the rollup-boost JSON health endpoint; required with rollup-boost.next-enabled.',
  },
  {
    name: 'healthcheck.interval',
    type: 'uint64-seconds',
    required: true,
    usage: 'Seconds between health checks (an integer, not a duration).',
  },
  {
    name: 'healthcheck.unsafe-interval',
    type: 'uint64-seconds',
    required: true,
    usage: 'Maximum age in seconds of the unsafe head before the sequencer counts as unhealthy.',
  },
  {
    name: 'healthcheck.safe-enabled',
    type: 'bool',
    default: false,
    usage: 'Also require the safe head to keep advancing.',
  },
  {
    name: 'healthcheck.safe-interval',
    type: 'uint64-seconds',
    default: 1200,
    usage: 'Maximum age in seconds of the safe head (with healthcheck.safe-enabled).',
  },
  {
    name: 'healthcheck.min-peer-count',
    type: 'uint64',
    required: true,
    usage: 'Minimum number of op-node p2p peers for the sequencer to count as healthy.',
  },
  {
    name: 'healthcheck.execution-p2p-enabled',
    type: 'bool',
    default: false,
    usage: 'Also check the peer count of the execution client.',
  },
  {
    name: 'healthcheck.execution-p2p-min-peer-count',
    type: 'uint64',
    default: 0,
    usage: 'Minimum number of execution-client peers (with healthcheck.execution-p2p-enabled).',
  },
  {
    name: 'healthcheck.execution-p2p-rpc-url',
    type: 'string',
    default: '',
    usage: 'RPC URL used for the execution-client peer count; empty uses execution.rpc.',
  },
  {
    name: 'healthcheck.execution-p2p-check-api',
    type: 'string',
    default: 'net',
    usage: "How to count execution-client peers: 'net' (net_peerCount) or 'admin' (admin_peers).",
  },
  {
    name: 'healthcheck.rollup-boost-partial-healthiness-tolerance-limit',
    type: 'uint64',
    default: 0,
    usage:
      "Number of rollup-boost 'partial' health results tolerated within the tolerance interval; 0 makes every partial result unhealthy.",
  },
  {
    name: 'healthcheck.rollup-boost-partial-healthiness-tolerance-interval-seconds',
    type: 'uint64',
    default: 0,
    usage: 'Length in seconds of the window over which partial rollup-boost results are counted.',
  },
  { name: 'paused', type: 'bool', default: false, usage: 'Start with the control loop paused.' },
  {
    name: 'rpc.enable-proxy',
    type: 'bool',
    default: true,
    usage: 'Serve the eth/miner/optimism/admin proxy namespaces to the underlying sequencer services.',
  },
  {
    name: 'rollupboost.ws-url',
    type: 'string',
    default: '',
    usage: 'Upstream rollup-boost flashblocks WebSocket URL; empty disables the flashblocks relay.',
  },
  {
    name: 'websocket.server-port',
    type: 'int',
    default: 8546,
    usage: 'Port of the flashblocks WebSocket relay server (listens on all interfaces).',
  },
].map((f) => ({ ...f, group: 'conductor', origin: 'go' }) as FlagSpec);

const OUR_FLAGS: readonly FlagSpec[] = [
  {
    name: 'raft.store',
    type: 'enum',
    default: 'lmdb',
    values: RAFT_STORES,
    usage: "Raft log/stable store engine: 'lmdb' or 'file' (segmented write-ahead log).",
    group: 'conductor',
    origin: 'ours',
  },
  {
    name: 'raft.election-timeout',
    type: 'duration',
    default: 1000,
    usage:
      'Time a candidate waits for votes before starting a new election; must be >= raft.heartbeat-timeout.',
    group: 'conductor',
    origin: 'ours',
    note: 'Go fixes this at the hashicorp/raft default (1000ms); the same validation against the heartbeat timeout applies.',
  },
  {
    name: 'rpc.admin-jwt-secret',
    type: 'string',
    default: '',
    usage:
      'Path to a file holding a 32-byte hex secret; when set, cluster-changing RPC methods require a JWT signed with it.',
    group: 'rpc',
    origin: 'ours',
  },
];

const RPC_FLAGS: readonly FlagSpec[] = [
  { name: 'rpc.addr', type: 'string', default: '0.0.0.0', usage: 'rpc listening address' },
  { name: 'rpc.port', type: 'int', default: 8545, usage: 'rpc listening port' },
  {
    name: 'rpc.enable-admin',
    type: 'bool',
    default: false,
    usage: 'Enable the admin API (experimental)',
    note: 'Accepted for compatibility; like in Go it gates nothing (use rpc.admin-jwt-secret to protect cluster changes).',
  },
].map((f) => ({ ...f, group: 'rpc', origin: 'go' }) as FlagSpec);

const LOG_FLAGS: readonly FlagSpec[] = [
  {
    name: 'log.level',
    type: 'enum',
    default: 'info',
    defaultText: 'INFO',
    values: LOG_LEVELS,
    aliases: { trce: 'trace', dbug: 'debug', eror: 'error' },
    usage: 'The lowest log level that will be output',
  },
  {
    name: 'log.format',
    type: 'enum',
    default: 'text',
    values: LOG_FORMATS,
    usage: `Format the log output. Supported formats: ${LOG_FORMATS.join(', ')}`,
  },
  { name: 'log.color', type: 'bool', default: false, usage: 'Color the log output if in terminal mode' },
  { name: 'log.pid', type: 'bool', default: false, usage: 'Show pid in the log' },
].map((f) => ({ ...f, group: 'log', origin: 'go' }) as FlagSpec);

const METRICS_FLAGS: readonly FlagSpec[] = [
  { name: 'metrics.enabled', type: 'bool', default: false, usage: 'Enable the metrics server' },
  { name: 'metrics.addr', type: 'string', default: '0.0.0.0', usage: 'Metrics listening address' },
  { name: 'metrics.port', type: 'int', default: 7300, usage: 'Metrics listening port' },
].map((f) => ({ ...f, group: 'metrics', origin: 'go' }) as FlagSpec);

const PPROF_NOTE = 'Parsed and validated like Go; no profiling server is started (Go starts none either).';
const PPROF_FLAGS: readonly FlagSpec[] = [
  { name: 'pprof.enabled', type: 'bool', default: false, usage: 'Enable the pprof server', note: PPROF_NOTE },
  {
    name: 'pprof.addr',
    type: 'string',
    default: '0.0.0.0',
    usage: 'pprof listening address',
    note: PPROF_NOTE,
  },
  { name: 'pprof.port', type: 'int', default: 6060, usage: 'pprof listening port', note: PPROF_NOTE },
  {
    name: 'pprof.path',
    type: 'string',
    usage: 'pprof file path. If it is a directory, the path is {dir}/{profileType}.prof',
    note: PPROF_NOTE,
  },
  {
    name: 'pprof.type',
    type: 'enum',
    default: '',
    values: ['', ...PPROF_TYPES],
    usage: `pprof profile type. One of ${PPROF_TYPES.join(', ')}`,
    note: PPROF_NOTE,
  },
].map((f) => ({ ...f, group: 'pprof', origin: 'go' }) as FlagSpec);

const ROLLUP_NOTE =
  'Accepted for compatibility and ignored (as in the Base fork): the rollup config has no behavioural effect.';
const ROLLUP_FLAGS: readonly FlagSpec[] = [
  {
    name: 'network',
    type: 'string',
    usage: 'Predefined network selection from the superchain registry.',
    note: ROLLUP_NOTE,
  },
  {
    name: 'rollup.config',
    type: 'string',
    usage: 'Rollup chain parameters (JSON file path).',
    note: ROLLUP_NOTE,
  },
].map((f) => ({ ...f, group: 'rollup', origin: 'go' }) as FlagSpec);

const OVERRIDE_FLAGS: readonly FlagSpec[] = OVERRIDE_FORKS.map(
  (fork): FlagSpec => ({
    name: `override.${fork}`,
    type: 'uint64',
    usage: `Manually specify the ${capitalise(fork)} fork timestamp, overriding the bundled setting`,
    group: 'override',
    origin: 'go',
    note: ROLLUP_NOTE,
  }),
);

/** Every flag, in `--help` order: the Go conductor's flags, ours, then the op-service groups. */
export const FLAGS: readonly FlagSpec[] = [
  ...CONDUCTOR_FLAGS,
  ...OUR_FLAGS,
  ...RPC_FLAGS,
  ...LOG_FLAGS,
  ...METRICS_FLAGS,
  ...PPROF_FLAGS,
  ...ROLLUP_FLAGS,
  ...OVERRIDE_FLAGS,
];

export const FLAGS_BY_NAME: ReadonlyMap<string, FlagSpec> = new Map(FLAGS.map((f) => [f.name, f]));

/** Go's CheckRequired order (the flags/flags.go `requiredFlags` list). */
export const REQUIRED_FLAG_NAMES: readonly string[] = FLAGS.filter((f) => f.required).map((f) => f.name);

export const KNOWN_ENV_VARS: ReadonlySet<string> = new Set(FLAGS.map((f) => envVarFor(f.name)));
