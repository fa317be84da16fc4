/** `admin_sequencerActive()` proxied to node.rpc (10 s), leader-gated: batchers rotate off non-leaders. */
import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import { type BackendClient, nodeCallTimeoutMs } from './backend-client.ts';
import { callThenCheckLeader } from './leader-gated.ts';

export function adminSequencerActive(api: ConductorApi, node: BackendClient): RpcMethod {
  return {
    name: 'admin_sequencerActive',
    params: [],
    handle: (_args, ctx) =>
      callThenCheckLeader(
        api,
        node.call<boolean>('admin_sequencerActive', [], { signal: ctx.signal, timeoutMs: nodeCallTimeoutMs }),
      ),
  };
}
