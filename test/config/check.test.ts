// Every validation of spec §2.3 (Go `Config.Check`, in order, exact texts) and §2.4 (hashicorp/raft
// ValidateConfig texts, the advertisable-address rule), each reproduced from flags through
// parseConfig + checkConfig, so the whole path from argv to the error text is covered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfig } from '../../src/config/check.ts';
import { isConfigError } from '../../src/config/errors.ts';
import { decodeJwtSecret } from '../../src/config/jwt-secret.ts';
import { parseConfig } from '../../src/config/parse.ts';

const BASE = [
  '--consensus.addr=127.0.0.1',
  '--consensus.port=50050',
  '--raft.server.id=seq-0',
  '--raft.storage.dir=/data/raft',
  '--node.rpc=http://op-node:8545',
  '--execution.rpc=http://op-geth:8545',
  '--healthcheck.interval=1',
  '--healthcheck.unsafe-interval=5',
  '--healthcheck.min-peer-count=2',
];

/** BASE with some flags replaced/added (later occurrences win, as in Go). */
function checkError(...extra: string[]): string | undefined {
  const config = parseConfig([...BASE, ...extra], {});
  try {
    checkConfig(config);
    return undefined;
  } catch (e) {
    assert.ok(isConfigError(e));
    return e.message;
  }
}

test('a complete, sane configuration passes', () => {
  assert.equal(checkError(), undefined);
});

const PARTIAL =
  'only one of RollupBoostPartialHealthinessToleranceLimit or RollupBoostPartialHealthinessToleranceIntervalSeconds found to be defined. Either define both of them or none.';

const CASES: readonly (readonly [string, readonly string[], string])[] = [
  ['§2.3.1 consensus address', ['--consensus.addr='], 'missing consensus address'],
  ['§2.3.2 consensus port (Go says RPC)', ['--consensus.port=65536'], 'invalid RPC port'],
  ['§2.3.2 negative consensus port', ['--consensus.port=-1'], 'invalid RPC port'],
  ['§2.3.3 raft server id', ['--raft.server.id='], 'missing raft server ID'],
  ['§2.3.3 raft storage dir', ['--raft.storage.dir='], 'missing raft storage directory'],
  ['§2.3.3 node rpc', ['--node.rpc='], 'missing node RPC'],
  ['§2.3.3 execution rpc', ['--execution.rpc='], 'missing geth RPC'],
  [
    '§2.3.4 both rollup-boost checks',
    [
      '--rollup-boost.enabled',
      '--rollup-boost.next-enabled',
      '--rollup-boost.next-healthcheck-url=http://x/h',
    ],
    'only one of rollup-boost or rollup-boost next healthchecks can be enabled',
  ],
  ['§2.3.5 next without URL', ['--rollup-boost.next-enabled'], 'missing rollup-boost next healthcheck URL'],
  [
    '§2.3.6 interval',
    ['--healthcheck.interval=0'],
    'invalid health check config: missing health check interval',
  ],
  [
    '§2.3.6 safe interval',
    ['--healthcheck.safe-interval=0'],
    'invalid health check config: missing safe interval',
  ],
  [
    '§2.3.6 min peers',
    ['--healthcheck.min-peer-count=0'],
    'invalid health check config: missing minimum peer count',
  ],
  [
    '§2.3.6 el p2p min peers',
    ['--healthcheck.execution-p2p-enabled'],
    'invalid health check config: missing minimum el p2p peers',
  ],
  [
    '§2.3.6 el p2p api',
    [
      '--healthcheck.execution-p2p-enabled',
      '--healthcheck.execution-p2p-min-peer-count=1',
      '--healthcheck.execution-p2p-check-api=eth',
    ],
    'invalid health check config: invalid el p2p check api',
  ],
  [
    '§2.3.6 partial limit without interval',
    ['--healthcheck.rollup-boost-partial-healthiness-tolerance-limit=3'],
    `invalid health check config: ${PARTIAL}`,
  ],
  [
    '§2.3.6 partial interval without limit',
    ['--healthcheck.rollup-boost-partial-healthiness-tolerance-interval-seconds=60'],
    `invalid health check config: ${PARTIAL}`,
  ],
  [
    '§2.3.7 metrics port',
    ['--metrics.enabled', '--metrics.port=70000'],
    'invalid metrics config: invalid metrics port',
  ],
  ['§2.3.7 pprof port', ['--pprof.enabled', '--pprof.port=-2'], 'invalid pprof config: invalid pprof port'],
  ['§2.3.7 rpc port', ['--rpc.port=65536'], 'invalid rpc config: invalid RPC port'],
  [
    '§2.4 heartbeat floor',
    ['--raft.heartbeat-timeout=4ms', '--raft.lease-timeout=4ms'],
    'HeartbeatTimeout is too low',
  ],
  ['§2.4 election floor', ['--raft.election-timeout=1ms'], 'ElectionTimeout is too low'],
  ['§2.4 snapshot interval floor', ['--raft.snapshot-interval=1ms'], 'SnapshotInterval is too low'],
  ['§2.4 lease floor', ['--raft.lease-timeout=1ms'], 'LeaderLeaseTimeout is too low'],
  [
    '§2.4 lease above heartbeat',
    ['--raft.heartbeat-timeout=500ms', '--raft.lease-timeout=750ms'],
    'LeaderLeaseTimeout (750ms) cannot be larger than heartbeat timeout (500ms)',
  ],
  [
    '§2.4 heartbeat above the (Go-fixed) election timeout',
    ['--raft.heartbeat-timeout=2s'],
    'ElectionTimeout (1s) must be equal or greater than Heartbeat Timeout (2s)',
  ],
  ['§2.4 unspecified bind address', ['--consensus.addr=0.0.0.0'], 'local bind address is not advertisable'],
  [
    '§2.4 unspecified advertised address',
    ['--consensus.advertised=0.0.0.0:50050'],
    'local bind address is not advertisable',
  ],
  [
    '§2.4 advertised without port',
    ['--consensus.advertised=seq-0.internal'],
    'address seq-0.internal: missing port in address',
  ],
  ['§2.4 websocket port', ['--websocket.server-port=-1'], 'invalid websocket server port'],
];

for (const [name, extra, message] of CASES) {
  test(name, () => {
    assert.equal(checkError(...extra), message);
  });
}

test('Go order: the first failing check wins', () => {
  // Both the node RPC and the health interval are bad: §2.3.3 comes first.
  assert.equal(checkError('--node.rpc=', '--healthcheck.interval=0'), 'missing node RPC');
  // A raft timing problem only shows once Check() passes.
  assert.equal(
    checkError('--rpc.port=99999', '--raft.heartbeat-timeout=2s'),
    'invalid rpc config: invalid RPC port',
  );
});

test('accepted corner cases: unsafe-interval 0, empty check api means net, 0.0.0.0 with an advertised address', () => {
  assert.equal(checkError('--healthcheck.unsafe-interval=0'), undefined);
  assert.equal(
    checkError(
      '--healthcheck.execution-p2p-enabled',
      '--healthcheck.execution-p2p-min-peer-count=1',
      '--healthcheck.execution-p2p-check-api=',
    ),
    undefined,
  );
  assert.equal(checkError('--consensus.addr=0.0.0.0', '--consensus.advertised=10.0.0.5:50050'), undefined);
  assert.equal(
    checkError('--raft.heartbeat-timeout=2s', '--raft.election-timeout=2s', '--raft.lease-timeout=1s'),
    undefined,
  );
});

test('admin JWT secret: 32 bytes of hex, 0x prefix and whitespace tolerated', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(decodeJwtSecret(`0x${hex}\n`, 'f').length, 32);
  assert.throws(() => decodeJwtSecret('abcd', 'f'), /expected 32 bytes of hex/);
  assert.throws(() => decodeJwtSecret('zz'.repeat(32), 'f'), /expected 32 bytes of hex/);
});
