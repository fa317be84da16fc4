/**
 * The daemon's services, built in Go's init order (spec §1: sequencer control, consensus, health monitor,
 * RPC server, flashblocks relay) and started in Go's Start order (RPC, flashblocks, metrics, then the
 * conductor's handshake, health monitor and control loop). Stop order is the reverse; the conductor's own
 * stop runs Go's ordered Stop (loop → flashblocks → RPC → health → raft → metrics), so `conductor_stop`
 * over RPC and a signal end in the same state. Every stop is idempotent.
 *
 * Raft is started during the build (Go's New() creates raft and bootstraps there), so whether this boot
 * bootstrapped a fresh cluster — which forces the conductor to start paused — is known before the
 * conductor is constructed. A failure part-way releases what was already opened.
 */
import { join } from 'node:path';
import { dialCheck, dialPolicySingle } from '../clients/dial.ts';
import { createElClient, createElP2pClient, type ElPeerCountMethod } from '../clients/el-client.ts';
import { createJsonRpcClient, type JsonRpcClient } from '../clients/json-rpc-client.ts';
import { createNodeClient, createSupervisorClient } from '../clients/node-client.ts';
import { createRollupBoostClient, createRollupBoostNextClient } from '../clients/rollup-boost.ts';
import { createSequencerControl } from '../clients/sequencer-client.ts';
import type { ConductorConfig } from '../config/config.ts';
import { readJwtSecret } from '../config/jwt-secret.ts';
import { RaftConsensus } from '../consensus/raft-consensus.ts';
import { ConductorService } from '../control/conductor-service.ts';
import { PayloadFsm } from '../fsm/payload-fsm.ts';
import { HealthMonitor } from '../health/monitor.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { createMetricsServer } from '../metrics/server.ts';
import { isRaftError, RaftErrorCode } from '../raft/core/errors.ts';
import { Suffrage } from '../raft/core/types.ts';
import { RaftHost } from '../raft/host/raft-host.ts';
import { openNodeStores } from '../raft/storage/open.ts';
import type { NodeStores } from '../raft/storage/storage.ts';
import { TcpTransport } from '../raft/transport/tcp-transport.ts';
import { defaultPayloadCodec } from '../rpc/payload-codec-port.ts';
import { buildRpcServer, closeRpcServer, listenRpcServer } from '../rpc/server.ts';
import { FlashblocksRelay } from '../rpc/ws/flashblocks-relay.ts';
import type { Service } from './lifecycle.ts';
import { appVersion } from './version.ts';

export interface ServiceDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Raft host tick: every timeout is a whole number of ticks (hashicorp's timers have ms resolution). */
export const RAFT_TICK_MS = 10;
/** hashicorp DefaultConfig CommitTimeout and MaxAppendEntries (not configurable in Go either). */
export const RAFT_COMMIT_TIMEOUT_MS = 50;
export const RAFT_MAX_APPEND_ENTRIES = 64;
/** How often the Raft state gauges are refreshed. */
export const RAFT_STATS_SAMPLE_MS = 1_000;
/** Flashblocks downstream server binds all interfaces, as Go's does. */
const FLASHBLOCKS_BIND_HOST = '0.0.0.0';

/** A stop that runs once; later calls wait for the first. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => {
    p ??= fn();
    return p;
  };
}

interface RaftParts {
  readonly stores: NodeStores;
  readonly transport: TcpTransport;
  readonly host: RaftHost;
  readonly fsm: PayloadFsm;
  readonly bootstrapped: boolean;
}

async function startRaft(config: ConductorConfig, deps: ServiceDeps): Promise<RaftParts> {
  const { logger, metrics } = deps;
  const stores = await openNodeStores({
    dir: join(config.raftStorageDir, config.raftServerId),
    backend: config.raftStore,
    logger: logger.child({ module: 'store' }),
    metrics,
  });
  const transport = new TcpTransport({
    localId: config.raftServerId,
    bindHost: config.consensusAddr,
    bindPort: config.consensusPort,
    ...(config.consensusAdvertised ? { advertised: config.consensusAdvertised } : {}),
    logger: logger.child({ module: 'raft-net' }),
  });
  try {
    await transport.start();
    const fsm = new PayloadFsm({ logger: logger.child({ module: 'fsm' }), metrics });
    const host = new RaftHost({
      id: config.raftServerId,
      addr: transport.localAddr(),
      stores,
      transport,
      fsm,
      logger,
      metrics,
      timing: {
        tickMs: RAFT_TICK_MS,
        heartbeatTimeoutMs: config.raftHeartbeatTimeoutMs,
        electionTimeoutMs: config.raftElectionTimeoutMs,
        leaseTimeoutMs: config.raftLeaseTimeoutMs,
        commitTimeoutMs: RAFT_COMMIT_TIMEOUT_MS,
        snapshotIntervalMs: config.raftSnapshotIntervalMs,
        snapshotThreshold: config.raftSnapshotThreshold,
        trailingLogs: config.raftTrailingLogs,
        maxAppendEntries: RAFT_MAX_APPEND_ENTRIES,
      },
    });
    await host.start();
    let bootstrapped = false;
    if (config.raftBootstrap) {
      try {
        await host.bootstrap([
          { suffrage: Suffrage.Voter, id: config.raftServerId, address: transport.localAddr() },
        ]);
        bootstrapped = true;
      } catch (e) {
        if (!isRaftError(e, RaftErrorCode.CantBootstrap)) throw e;
        logger.warn('Raft cluster already exists, skipping bootstrap');
      }
    }
    return { stores, transport, host, fsm, bootstrapped };
  } catch (e) {
    await transport.close().catch(() => {});
    await stores.close().catch(() => {});
    throw e;
  }
}

function sampleRaftStats(host: RaftHost, metrics: Metrics): NodeJS.Timeout {
  const t = setInterval(() => {
    const s = host.stats();
    metrics.raftTerm.set(s.term);
    metrics.raftCommitIndex.set(s.commitIndex);
    metrics.raftAppliedIndex.set(s.appliedIndex);
    metrics.raftLastLogIndex.set(s.lastLogIndex);
    metrics.raftLeader.set(s.role === 'leader' ? 1 : 0);
  }, RAFT_STATS_SAMPLE_MS);
  t.unref();
  return t;
}

function buildHealthMonitor(
  config: ConductorConfig,
  deps: ServiceDeps,
  nodeRpc: JsonRpcClient,
): HealthMonitor {
  const hc = config.healthCheck;
  const rbOpts = { timeoutMs: config.rollupBoostHealthcheckTimeoutMs };
  const rollupBoost = config.rollupBoostEnabled
    ? createRollupBoostClient(config.executionRpc, rbOpts)
    : config.rollupBoostNextEnabled
      ? createRollupBoostNextClient(config.rollupBoostNextHealthcheckUrl, rbOpts)
      : undefined;
  const el = hc.executionP2pEnabled
    ? createElP2pClient(
        createJsonRpcClient({ url: hc.executionP2pRpcUrl || config.executionRpc }),
        (hc.executionP2pCheckApi || 'net') as ElPeerCountMethod,
      )
    : undefined;
  const supervisor = config.supervisorRpc
    ? createSupervisorClient(createJsonRpcClient({ url: config.supervisorRpc }))
    : undefined;
  return new HealthMonitor({
    logger: deps.logger.child({ module: 'health' }),
    metrics: deps.metrics,
    intervalSec: hc.intervalS,
    node: createNodeClient(nodeRpc),
    ...(el ? { el } : {}),
    ...(supervisor ? { supervisor } : {}),
    ...(rollupBoost ? { rollupBoost } : {}),
    thresholds: {
      unsafeIntervalSec: hc.unsafeIntervalS,
      safeEnabled: hc.safeEnabled,
      safeIntervalSec: hc.safeIntervalS,
      minPeerCount: hc.minPeerCount,
      elMinPeerCount: hc.executionP2pMinPeerCount,
      rollupBoostPartialToleranceLimit: hc.rollupBoostPartialHealthinessToleranceLimit,
      rollupBoostPartialToleranceIntervalSec: hc.rollupBoostPartialHealthinessToleranceIntervalS,
    },
  });
}

export async function buildServices(config: ConductorConfig, deps: ServiceDeps): Promise<Service[]> {
  const { logger, metrics } = deps;
  const version = appVersion(process.env);

  // 1. Sequencer control: op-node and the EL must be reachable now (Go dials once, 10 s, no retry).
  await dialCheck(config.nodeRpc, dialPolicySingle);
  await dialCheck(config.executionRpc, dialPolicySingle);
  const nodeRpc = createJsonRpcClient({ url: config.nodeRpc });
  const execRpc = createJsonRpcClient({ url: config.executionRpc });
  const sequencer = createSequencerControl(createNodeClient(nodeRpc), createElClient(execRpc));

  // 2. Consensus.
  const raft = await startRaft(config, deps);
  const consensus = new RaftConsensus({
    host: raft.host,
    fsm: raft.fsm,
    serverId: config.raftServerId,
    addr: raft.transport.localAddr(),
    logger: logger.child({ module: 'consensus' }),
    metrics,
  });
  const statsTimer = sampleRaftStats(raft.host, metrics);
  const stopRaft = once(async () => {
    clearInterval(statsTimer);
    await consensus.shutdown().catch((err: unknown) => logger.error({ err }, 'failed to shutdown raft'));
    await raft.transport.close();
    await raft.stores.close();
  });

  try {
    // 3. Health monitor, 4. the conductor (control loop) itself.
    const health = buildHealthMonitor(config, deps, nodeRpc);
    const conductor = new ConductorService({
      logger,
      metrics,
      consensus,
      sequencer,
      health,
      serverId: config.raftServerId,
      paused: config.paused,
      pausedAfterBootstrap: raft.bootstrapped,
      rollupBoostEnabled: config.rollupBoostEnabled || config.rollupBoostNextEnabled,
      version,
    });

    // 5. RPC server. Go dials the proxy backends again (30 × 2 s); both were reached moments ago in step 1, so the
    // same keep-alive clients serve the proxies without a second connection test.
    const adminJwtSecret = config.rpc.adminJwtSecretPath
      ? await readJwtSecret(config.rpc.adminJwtSecretPath)
      : undefined;
    const app = buildRpcServer({
      api: conductor,
      codec: defaultPayloadCodec,
      log: logger.child({ module: 'rpc' }),
      metrics,
      version,
      enableProxy: config.rpc.enableProxy,
      proxyBackends: { node: nodeRpc, execution: execRpc },
      ...(adminJwtSecret ? { adminJwtSecret } : {}),
    });
    // closeRpcServer bounds the graceful close, so conductor_stop (served by this server) does not wait on itself.
    const stopRpc = once(() => closeRpcServer(app));

    // 6. Flashblocks relay (only with rollupboost.ws-url).
    const relay = config.rollupBoostWsUrl
      ? new FlashblocksRelay({
          upstreamUrl: config.rollupBoostWsUrl,
          host: FLASHBLOCKS_BIND_HOST,
          port: config.websocketServerPort,
          leader: () => conductor.leader(),
          log: logger.child({ module: 'flashblocks' }),
          metrics,
        })
      : undefined;
    const stopRelay = once(async () => relay?.stop());

    const metricsServer = config.metrics.enabled
      ? createMetricsServer({
          registry: metrics.registry,
          host: config.metrics.addr,
          port: config.metrics.port,
          logger: logger.child({ service: 'metrics' }),
        })
      : undefined;
    const stopMetrics = once(async () => metricsServer?.stop());

    conductor.attachStoppables({
      rpcServer: { stop: stopRpc },
      ...(relay ? { flashblocks: { stop: stopRelay } } : {}),
      ...(metricsServer ? { metricsServer: { stop: stopMetrics } } : {}),
    });
    const stopConductor = once(() => conductor.stop());

    const services: Service[] = [
      { name: 'raft', start: async () => {}, stop: stopRaft },
      {
        name: 'rpc',
        start: async () => {
          const a = await listenRpcServer(app, { host: config.rpc.addr, port: config.rpc.port });
          logger.info({ addr: `${a.host}:${a.port}` }, 'RPC server started');
        },
        stop: stopRpc,
      },
    ];
    if (relay)
      services.push({ name: 'flashblocks', start: async () => void (await relay.start()), stop: stopRelay });
    if (metricsServer)
      services.push({ name: 'metrics', start: () => metricsServer.start(), stop: stopMetrics });
    services.push({ name: 'conductor', start: () => conductor.start(), stop: stopConductor });
    return services;
  } catch (e) {
    await stopRaft();
    throw e;
  }
}
