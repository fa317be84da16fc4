/**
 * Semantic validation of a parsed config, in the Go conductor's order and with its exact texts:
 * first `Config.Check()` (spec §2.3, including the op-service metrics/pprof/rpc checks), then what Go
 * only finds at startup (§2.4): hashicorp/raft `ValidateConfig` on the raft timings and the TCP
 * transport's "advertisable address" rule. Pure: no I/O, no DNS (names are resolved by the transport).
 * The first failure wins, as in Go.
 */
import type { ConductorConfig, HealthCheckConfig } from './config.ts';
import { formatGoDurationMs } from './duration.ts';
import { ConfigError } from './errors.ts';
import { EL_P2P_CHECK_APIS } from './schema.ts';

export const PORT_MAX = 65535;
/** hashicorp/raft's lower bound on heartbeat/election/lease timeouts and the snapshot interval. */
export const RAFT_TIMEOUT_MIN_MS = 5;

function fail(message: string): never {
  throw new ConfigError('ERR_CONFIG_CHECK', message);
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= PORT_MAX;
}

/** op-conductor `HealthCheckConfig.Check()`; the caller wraps with `invalid health check config: `. */
export function checkHealthConfig(hc: HealthCheckConfig): string | undefined {
  if (hc.intervalS === 0) return 'missing health check interval';
  if (hc.safeIntervalS === 0) return 'missing safe interval';
  if (hc.minPeerCount === 0) return 'missing minimum peer count';
  if (hc.executionP2pEnabled) {
    if (hc.executionP2pMinPeerCount === 0) return 'missing minimum el p2p peers';
    if (hc.executionP2pRpcUrl === '') return 'missing el p2p rpc';
    if (!(EL_P2P_CHECK_APIS as readonly string[]).includes(hc.executionP2pCheckApi))
      return 'invalid el p2p check api';
  }
  const limitSet = hc.rollupBoostPartialHealthinessToleranceLimit !== 0;
  const intervalSet = hc.rollupBoostPartialHealthinessToleranceIntervalS !== 0;
  if (limitSet !== intervalSet) {
    return 'only one of RollupBoostPartialHealthinessToleranceLimit or RollupBoostPartialHealthinessToleranceIntervalSeconds found to be defined. Either define both of them or none.';
  }
  return undefined;
}

/** Go `conductor.Config.Check()` (spec §2.3), in order. */
export function checkGoConfig(c: ConductorConfig): void {
  if (c.consensusAddr === '') fail('missing consensus address');
  // (sic) Go reports the consensus port with the RPC text.
  if (!validPort(c.consensusPort)) fail('invalid RPC port');
  if (c.raftServerId === '') fail('missing raft server ID');
  if (c.raftStorageDir === '') fail('missing raft storage directory');
  if (c.nodeRpc === '') fail('missing node RPC');
  if (c.executionRpc === '') fail('missing geth RPC');
  if (c.rollupBoostEnabled && c.rollupBoostNextEnabled) {
    fail('only one of rollup-boost or rollup-boost next healthchecks can be enabled');
  }
  if (c.rollupBoostNextEnabled && c.rollupBoostNextHealthcheckUrl === '') {
    fail('missing rollup-boost next healthcheck URL');
  }
  const hc = checkHealthConfig(c.healthCheck);
  if (hc !== undefined) fail(`invalid health check config: ${hc}`);
  // The rollup config check is skipped as in the Base fork (network/rollup.config are accepted, unused).
  if (c.metrics.enabled && !validPort(c.metrics.port)) fail('invalid metrics config: invalid metrics port');
  if (c.pprof.enabled && !validPort(c.pprof.port)) fail('invalid pprof config: invalid pprof port');
  if (!validPort(c.rpc.port)) fail('invalid rpc config: invalid RPC port');
}

/** hashicorp/raft `ValidateConfig` for the fields the flags control, in the library's order. */
export function checkRaftTimings(c: ConductorConfig): void {
  const raftFail = (message: string): never => {
    throw new ConfigError('ERR_RAFT_CONFIG', message);
  };
  const hb = c.raftHeartbeatTimeoutMs;
  const election = c.raftElectionTimeoutMs;
  const lease = c.raftLeaseTimeoutMs;
  if (hb < RAFT_TIMEOUT_MIN_MS) raftFail('HeartbeatTimeout is too low');
  if (election < RAFT_TIMEOUT_MIN_MS) raftFail('ElectionTimeout is too low');
  if (c.raftSnapshotIntervalMs < RAFT_TIMEOUT_MIN_MS) raftFail('SnapshotInterval is too low');
  if (lease < RAFT_TIMEOUT_MIN_MS) raftFail('LeaderLeaseTimeout is too low');
  if (lease > hb) {
    raftFail(
      `LeaderLeaseTimeout (${formatGoDurationMs(lease)}) cannot be larger than heartbeat timeout (${formatGoDurationMs(hb)})`,
    );
  }
  if (election < hb) {
    raftFail(
      `ElectionTimeout (${formatGoDurationMs(election)}) must be equal or greater than Heartbeat Timeout (${formatGoDurationMs(hb)})`,
    );
  }
}

/** Splits `host:port` like Go's `net.SplitHostPort` (IPv6 hosts in brackets). */
export function splitHostPort(address: string): { host: string; port: string } {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end === -1)
      throw new ConfigError('ERR_CONSENSUS_ADDRESS', `address ${address}: missing ']' in address`);
    if (address[end + 1] !== ':') {
      throw new ConfigError('ERR_CONSENSUS_ADDRESS', `address ${address}: missing port in address`);
    }
    return { host: address.slice(1, end), port: address.slice(end + 2) };
  }
  const colon = address.lastIndexOf(':');
  if (colon === -1)
    throw new ConfigError('ERR_CONSENSUS_ADDRESS', `address ${address}: missing port in address`);
  const host = address.slice(0, colon);
  if (host.includes(':'))
    throw new ConfigError('ERR_CONSENSUS_ADDRESS', `address ${address}: too many colons in address`);
  return { host, port: address.slice(colon + 1) };
}

const UNSPECIFIED_HOSTS: ReadonlySet<string> = new Set(['', '0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

function isUnspecifiedHost(host: string): boolean {
  return UNSPECIFIED_HOSTS.has(host);
}

/** hashicorp TCP transport: the address peers are told must not be the unspecified address. */
export function checkAdvertisedAddress(c: ConductorConfig): void {
  const advertised = c.consensusAdvertised;
  const host = advertised === '' ? c.consensusAddr : splitHostPort(advertised).host;
  if (isUnspecifiedHost(host)) {
    throw new ConfigError('ERR_CONSENSUS_ADDRESS', 'local bind address is not advertisable');
  }
}

/** What Go only finds while building the conductor (spec §2.4), first failure wins. */
export function checkStartup(c: ConductorConfig): void {
  if (c.websocketServerPort < 0 || c.websocketServerPort > PORT_MAX) fail('invalid websocket server port');
  checkRaftTimings(c);
  checkAdvertisedAddress(c);
}

/** Everything Go would reject before or during startup, first failure wins. */
export function checkConfig(c: ConductorConfig): void {
  checkGoConfig(c);
  checkStartup(c);
}
