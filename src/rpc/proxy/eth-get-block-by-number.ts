/**
 * `eth_getBlockByNumber(number, fullTx)` proxied to execution.rpc, leader-gated. The block number is
 * parsed as go-ethereum's rpc.BlockNumber (tags or hex) and re-encoded; the block is passed through opaque.
 */
import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import type { BackendClient } from './backend-client.ts';
import { callThenCheckLeader } from './leader-gated.ts';

export function ethGetBlockByNumber(api: ConductorApi, execution: BackendClient): RpcMethod {
  return {
    name: 'eth_getBlockByNumber',
    params: ['blockNumber', 'bool'],
    handle: ([number, fullTx]) =>
      callThenCheckLeader(api, execution.call<unknown>('eth_getBlockByNumber', [number, fullTx])),
  };
}
