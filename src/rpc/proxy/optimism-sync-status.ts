/** `optimism_syncStatus()` proxied to node.rpc (10 s), leader-gated. */
import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import { type BackendClient, nodeCallTimeoutMs } from './backend-client.ts';
import { callThenCheckLeader } from './leader-gated.ts';

export function optimismSyncStatus(api: ConductorApi, node: BackendClient): RpcMethod {
  return {
    name: 'optimism_syncStatus',
    params: [],
    handle: (_args, ctx) =>
      callThenCheckLeader(
        api,
        node.call<unknown>('optimism_syncStatus', [], { signal: ctx.signal, timeoutMs: nodeCallTimeoutMs }),
      ),
  };
}
