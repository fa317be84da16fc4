/**
 * `miner_setMaxDASize(maxTxSize, maxBlockSize)` proxied to execution.rpc WITHOUT a leader check (batchers
 * throttle every sequencer's EL). Logs with Go's texts: backend JSON-RPC error → debug, transport failure →
 * warn, success → debug.
 */
import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import type { BackendClient } from './backend-client.ts';

export function minerSetMaxDaSize(_api: ConductorApi, execution: BackendClient): RpcMethod {
  return {
    name: 'miner_setMaxDASize',
    params: ['hexBig', 'hexBig'],
    handle: async ([maxTxSize, maxBlockSize], ctx) => {
      const fields = { maxTxSize, maxBlockSize, method: 'miner_setMaxDASize' };
      let result: boolean;
      try {
        result = await execution.call<boolean>('miner_setMaxDASize', [maxTxSize, maxBlockSize]);
      } catch (e) {
        const isRpcError = e instanceof Error && typeof (e as { code?: unknown }).code === 'number';
        const err = e instanceof Error ? e.message : String(e);
        if (isRpcError)
          ctx.log.debug({ ...fields, err }, 'proxy miner_setMaxDASize call returned an RPC error');
        else ctx.log.warn({ ...fields, err }, 'proxy miner_setMaxDASize call failed');
        throw e;
      }
      ctx.log.debug({ maxTxSize, maxBlockSize, result }, 'successfully proxied miner_setMaxDASize call');
      return result;
    },
  };
}
