// The flag schema against a table written from spec §2.1/§2.2 (op-conductor.md): every Go flag must
// exist with its env var, type and default, so a flag dropped from the schema fails here; the only
// extra flags allowed are the ones documented as ours, and the required list keeps Go's order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envVarFor, FLAGS, FLAGS_BY_NAME, REQUIRED_FLAG_NAMES } from '../../src/config/schema.ts';

type Row = readonly [name: string, env: string, type: string, def: string | number | boolean | undefined];

// Durations in ms. Where our default deliberately differs from Go, the row holds ours (issue 2).
const SPEC_TABLE: readonly Row[] = [
  ['consensus.addr', 'OP_CONDUCTOR_CONSENSUS_ADDR', 'string', '127.0.0.1'],
  ['consensus.port', 'OP_CONDUCTOR_CONSENSUS_PORT', 'int', 50050],
  ['consensus.advertised', 'OP_CONDUCTOR_CONSENSUS_ADVERTISED', 'string', ''],
  ['raft.bootstrap', 'OP_CONDUCTOR_RAFT_BOOTSTRAP', 'bool', false],
  ['raft.server.id', 'OP_CONDUCTOR_RAFT_SERVER_ID', 'string', undefined],
  ['raft.storage.dir', 'OP_CONDUCTOR_RAFT_STORAGE_DIR', 'string', undefined],
  ['raft.snapshot-interval', 'OP_CONDUCTOR_RAFT_SNAPSHOT_INTERVAL', 'duration', 1000],
  ['raft.snapshot-threshold', 'OP_CONDUCTOR_RAFT_SNAPSHOT_THRESHOLD', 'uint64', 48],
  ['raft.trailing-logs', 'OP_CONDUCTOR_RAFT_TRAILING_LOGS', 'uint64', 32],
  ['raft.heartbeat-timeout', 'OP_CONDUCTOR_RAFT_HEARTBEAT_TIMEOUT', 'duration', 1000],
  ['raft.lease-timeout', 'OP_CONDUCTOR_RAFT_LEASE_TIMEOUT', 'duration', 500],
  ['node.rpc', 'OP_CONDUCTOR_NODE_RPC', 'string', undefined],
  ['execution.rpc', 'OP_CONDUCTOR_EXECUTION_RPC', 'string', undefined],
  ['supervisor.rpc', 'OP_CONDUCTOR_SUPERVISOR_RPC', 'string', ''],
  ['rollup-boost.enabled', 'OP_CONDUCTOR_ROLLUP_BOOST_ENABLED', 'bool', false],
  ['rollup-boost.healthcheck-timeout', 'OP_CONDUCTOR_ROLLUP_BOOST_HEALTHCHECK_TIMEOUT', 'duration', 5000],
  ['rollup-boost.next-enabled', 'OP_CONDUCTOR_ROLLUP_BOOST_NEXT_ENABLED', 'bool', false],
  [
    'rollup-boost.next-healthcheck-url',
    'OP_CONDUCTOR_ROLLUP_BOOST_NEXT_HEALTHCHECK_URL',
    'string',
    undefined,
  ],
  ['healthcheck.interval', 'OP_CONDUCTOR_HEALTHCHECK_INTERVAL', 'uint64-seconds', undefined],
  ['healthcheck.unsafe-interval', 'OP_CONDUCTOR_HEALTHCHECK_UNSAFE_INTERVAL', 'uint64-seconds', undefined],
  ['healthcheck.safe-enabled', 'OP_CONDUCTOR_HEALTHCHECK_SAFE_ENABLED', 'bool', false],
  ['healthcheck.safe-interval', 'OP_CONDUCTOR_HEALTHCHECK_SAFE_INTERVAL', 'uint64-seconds', 1200],
  ['healthcheck.min-peer-count', 'OP_CONDUCTOR_HEALTHCHECK_MIN_PEER_COUNT', 'uint64', undefined],
  ['healthcheck.execution-p2p-enabled', 'OP_CONDUCTOR_HEALTHCHECK_EXECUTION_P2P_ENABLED', 'bool', false],
  [
    'healthcheck.execution-p2p-min-peer-count',
    'OP_CONDUCTOR_HEALTHCHECK_EXECUTION_P2P_MIN_PEER_COUNT',
    'uint64',
    0,
  ],
  ['healthcheck.execution-p2p-rpc-url', 'OP_CONDUCTOR_HEALTHCHECK_EXECUTION_P2P_RPC_URL', 'string', ''],
  [
    'healthcheck.execution-p2p-check-api',
    'OP_CONDUCTOR_HEALTHCHECK_EXECUTION_P2P_CHECK_API',
    'string',
    'net',
  ],
  [
    'healthcheck.rollup-boost-partial-healthiness-tolerance-limit',
    'OP_CONDUCTOR_HEALTHCHECK_ROLLUP_BOOST_PARTIAL_HEALTHINESS_TOLERANCE_LIMIT',
    'uint64',
    0,
  ],
  [
    'healthcheck.rollup-boost-partial-healthiness-tolerance-interval-seconds',
    'OP_CONDUCTOR_HEALTHCHECK_ROLLUP_BOOST_PARTIAL_HEALTHINESS_TOLERANCE_INTERVAL_SECONDS',
    'uint64',
    0,
  ],
  ['paused', 'OP_CONDUCTOR_PAUSED', 'bool', false],
  ['rpc.enable-proxy', 'OP_CONDUCTOR_RPC_ENABLE_PROXY', 'bool', true],
  ['rollupboost.ws-url', 'OP_CONDUCTOR_ROLLUPBOOST_WS_URL', 'string', ''],
  ['websocket.server-port', 'OP_CONDUCTOR_WEBSOCKET_SERVER_PORT', 'int', 8546],
  // §2.2 op-service groups
  ['rpc.addr', 'OP_CONDUCTOR_RPC_ADDR', 'string', '0.0.0.0'],
  ['rpc.port', 'OP_CONDUCTOR_RPC_PORT', 'int', 8545],
  ['rpc.enable-admin', 'OP_CONDUCTOR_RPC_ENABLE_ADMIN', 'bool', false],
  ['log.level', 'OP_CONDUCTOR_LOG_LEVEL', 'enum', 'info'],
  ['log.format', 'OP_CONDUCTOR_LOG_FORMAT', 'enum', 'text'],
  ['log.color', 'OP_CONDUCTOR_LOG_COLOR', 'bool', false],
  ['log.pid', 'OP_CONDUCTOR_LOG_PID', 'bool', false],
  ['metrics.enabled', 'OP_CONDUCTOR_METRICS_ENABLED', 'bool', false],
  ['metrics.addr', 'OP_CONDUCTOR_METRICS_ADDR', 'string', '0.0.0.0'],
  ['metrics.port', 'OP_CONDUCTOR_METRICS_PORT', 'int', 7300],
  ['pprof.enabled', 'OP_CONDUCTOR_PPROF_ENABLED', 'bool', false],
  ['pprof.addr', 'OP_CONDUCTOR_PPROF_ADDR', 'string', '0.0.0.0'],
  ['pprof.port', 'OP_CONDUCTOR_PPROF_PORT', 'int', 6060],
  ['pprof.path', 'OP_CONDUCTOR_PPROF_PATH', 'string', undefined],
  ['pprof.type', 'OP_CONDUCTOR_PPROF_TYPE', 'enum', ''],
  ['network', 'OP_CONDUCTOR_NETWORK', 'string', undefined],
  ['rollup.config', 'OP_CONDUCTOR_ROLLUP_CONFIG', 'string', undefined],
  ...[
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
  ].map((f): Row => [`override.${f}`, `OP_CONDUCTOR_OVERRIDE_${f.toUpperCase()}`, 'uint64', undefined]),
];

const OURS: readonly Row[] = [
  ['raft.store', 'OP_CONDUCTOR_RAFT_STORE', 'enum', 'lmdb'],
  ['raft.election-timeout', 'OP_CONDUCTOR_RAFT_ELECTION_TIMEOUT', 'duration', 1000],
  ['rpc.admin-jwt-secret', 'OP_CONDUCTOR_RPC_ADMIN_JWT_SECRET', 'string', ''],
];

test('every flag of spec §2.1/§2.2 is in the schema with its env var, type and default', () => {
  for (const [name, env, type, def] of SPEC_TABLE) {
    const spec = FLAGS_BY_NAME.get(name);
    assert.ok(spec, `missing flag ${name}`);
    assert.equal(envVarFor(name), env, name);
    assert.equal(spec.type, type, name);
    assert.equal(spec.default, def, name);
    assert.equal(spec.origin, 'go', name);
  }
});

test('the only flags beyond the spec are ours, and they are marked as such', () => {
  for (const [name, env, type, def] of OURS) {
    const spec = FLAGS_BY_NAME.get(name);
    assert.ok(spec, `missing flag ${name}`);
    assert.equal(envVarFor(name), env);
    assert.equal(spec.type, type);
    assert.equal(spec.default, def);
    assert.equal(spec.origin, 'ours');
  }
  const known = new Set([...SPEC_TABLE, ...OURS].map(([n]) => n));
  assert.deepEqual(
    FLAGS.map((f) => f.name).filter((n) => !known.has(n)),
    [],
  );
  assert.equal(FLAGS.length, known.size, 'duplicate flag names');
});

test('required-by-presence flags are the Go CheckRequired list in Go order', () => {
  assert.deepEqual(REQUIRED_FLAG_NAMES, [
    'consensus.addr',
    'consensus.port',
    'raft.server.id',
    'raft.storage.dir',
    'node.rpc',
    'execution.rpc',
    'healthcheck.interval',
    'healthcheck.unsafe-interval',
    'healthcheck.min-peer-count',
  ]);
});

test('env var rule: upper-case, . and - become _, OP_CONDUCTOR_ prefix', () => {
  assert.equal(envVarFor('a.b-c'), 'OP_CONDUCTOR_A_B_C');
  for (const f of FLAGS) assert.match(envVarFor(f.name), /^OP_CONDUCTOR_[A-Z0-9_]+$/);
});
