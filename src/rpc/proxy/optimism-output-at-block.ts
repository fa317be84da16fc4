/**
 * `optimism_outputAtBlock(blockNum: string)` proxied to node.rpc (10 s), leader-gated. The number arrives
 * as a hex string, is parsed (`failed to decode block number: <hexutil error>`) and re-sent as hex uint64.
 */
import type { ConductorApi } from '../conductor-api.ts';
import { tryDecodeHexUint64 } from '../json-rpc/params.ts';
import type { RpcMethod } from '../method.ts';
import { type BackendClient, nodeCallTimeoutMs } from './backend-client.ts';
import { callThenCheckLeader } from './leader-gated.ts';

export function optimismOutputAtBlock(api: ConductorApi, node: BackendClient): RpcMethod {
  return {
    name: 'optimism_outputAtBlock',
    params: ['string'],
    handle: (args, ctx) => {
      const decoded = tryDecodeHexUint64(args[0] as string);
      if (!decoded.ok) throw new Error(`failed to decode block number: ${decoded.message}`);
      const hex = `0x${decoded.value.toString(16)}`;
      return callThenCheckLeader(
        api,
        node.call<unknown>('optimism_outputAtBlock', [hex], {
          signal: ctx.signal,
          timeoutMs: nodeCallTimeoutMs,
        }),
      );
    },
  };
}
