/**
 * Assembles the method table the server mounts: always `conductor_*`, `health_status` and `rpc_modules`;
 * with the proxy enabled also the six proxied methods of spec §4 (namespaces eth, miner, optimism, admin).
 */
import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import type { PayloadCodecPort } from '../payload-codec-port.ts';
import { adminSequencerActive } from '../proxy/admin-sequencer-active.ts';
import type { ProxyBackends } from '../proxy/backend-client.ts';
import { ethGetBlockByNumber } from '../proxy/eth-get-block-by-number.ts';
import { minerSetMaxDaSize } from '../proxy/miner-set-max-da-size.ts';
import { optimismOutputAtBlock } from '../proxy/optimism-output-at-block.ts';
import { optimismRollupConfig } from '../proxy/optimism-rollup-config.ts';
import { optimismSyncStatus } from '../proxy/optimism-sync-status.ts';
import { conductorActive } from './conductor-active.ts';
import { conductorAddServerAsNonvoter } from './conductor-add-server-as-nonvoter.ts';
import { conductorAddServerAsVoter } from './conductor-add-server-as-voter.ts';
import { conductorClusterMembership } from './conductor-cluster-membership.ts';
import { conductorCommitUnsafePayload } from './conductor-commit-unsafe-payload.ts';
import { conductorLeader } from './conductor-leader.ts';
import { conductorLeaderOverridden } from './conductor-leader-overridden.ts';
import { conductorLeaderWithId } from './conductor-leader-with-id.ts';
import { conductorOverrideLeader } from './conductor-override-leader.ts';
import { conductorPause } from './conductor-pause.ts';
import { conductorPaused } from './conductor-paused.ts';
import { conductorRemoveServer } from './conductor-remove-server.ts';
import { conductorResume } from './conductor-resume.ts';
import { conductorSequencerHealthy } from './conductor-sequencer-healthy.ts';
import { conductorStop } from './conductor-stop.ts';
import { conductorStopped } from './conductor-stopped.ts';
import { conductorTransferLeader } from './conductor-transfer-leader.ts';
import { conductorTransferLeaderToServer } from './conductor-transfer-leader-to-server.ts';
import { healthStatus } from './health-status.ts';
import { rpcModules } from './rpc-modules.ts';

export interface MethodTableDeps {
  readonly api: ConductorApi;
  readonly codec: PayloadCodecPort;
  readonly version: string;
  /** Present when the proxy is enabled. */
  readonly proxy?: ProxyBackends;
}

export function conductorMethods(api: ConductorApi, codec: PayloadCodecPort): RpcMethod[] {
  return [
    conductorOverrideLeader(api),
    conductorLeaderOverridden(api),
    conductorPause(api),
    conductorResume(api),
    conductorStop(api),
    conductorPaused(api),
    conductorStopped(api),
    conductorSequencerHealthy(api),
    conductorLeader(api),
    conductorLeaderWithId(api),
    conductorAddServerAsVoter(api),
    conductorAddServerAsNonvoter(api),
    conductorRemoveServer(api),
    conductorTransferLeader(api),
    conductorTransferLeaderToServer(api),
    conductorClusterMembership(api),
    conductorActive(api),
    conductorCommitUnsafePayload(api, codec),
  ];
}

export function proxyMethods(api: ConductorApi, proxy: ProxyBackends): RpcMethod[] {
  return [
    ethGetBlockByNumber(api, proxy.execution),
    minerSetMaxDaSize(api, proxy.execution),
    optimismSyncStatus(api, proxy.node),
    optimismOutputAtBlock(api, proxy.node),
    optimismRollupConfig(api, proxy.node),
    adminSequencerActive(api, proxy.node),
  ];
}

export function buildMethodTable(deps: MethodTableDeps): RpcMethod[] {
  const methods = [...conductorMethods(deps.api, deps.codec), healthStatus(deps.version)];
  if (deps.proxy) methods.push(...proxyMethods(deps.api, deps.proxy));
  const namespaces = [...methods.map((m) => m.name.split('_')[0] as string), 'rpc'];
  methods.push(rpcModules(() => namespaces));
  return methods;
}
