/** `optimism_rollupConfig()` proxied to node.rpc (10 s), leader-gated. */
import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import { type BackendClient, nodeCallTimeoutMs } from './backend-client.ts';
import { callThenCheckLeader } from './leader-gated.ts';

export function optimismRollupConfig(api: ConductorApi, node: BackendClient): RpcMethod {
  return {
    name: 'optimism_rollupConfig',
    params: [],
    handle: (_args, ctx) =>
      callThenCheckLeader(
        api,
        node.call<unknown>('optimism_rollupConfig', [], { signal: ctx.signal, timeoutMs: nodeCallTimeoutMs }),
      ),
  };
}
