/**
 * Execution-layer JSON-RPC: the latest block (control loop's unsafe-head comparison) and the p2p peer
 * count for the EL health check, via `net_peerCount` (hex quantity) or `admin_peers` (array length).
 */
import type { BlockRef } from '../control/sequencer-control.ts';
import type { ElP2pSource } from '../health/sources.ts';
import type { JsonRpcClient } from './json-rpc-client.ts';
import { asHash, asHexQuantity, asObject, invalidResult } from './validate.ts';

export type ElPeerCountMethod = 'net' | 'admin';

export interface ElClient {
  readonly rpc: JsonRpcClient;
  latestBlock(signal?: AbortSignal): Promise<BlockRef>;
}

export function createElClient(rpc: JsonRpcClient): ElClient {
  return {
    rpc,
    async latestBlock(signal) {
      const m = 'eth_getBlockByNumber';
      const r = await rpc.call<unknown>(m, ['latest', false], signal ? { signal } : undefined);
      if (r === null) throw invalidResult(m, 'no latest block');
      const b = asObject(r, m);
      return { hash: asHash(b.hash, m, 'hash'), number: asHexQuantity(b.number, m, 'number') };
    },
  };
}

export function createElP2pClient(rpc: JsonRpcClient, method: ElPeerCountMethod): ElP2pSource {
  return {
    async peerCount(signal) {
      const opts = signal ? { signal } : undefined;
      if (method === 'net') {
        const n = asHexQuantity(
          await rpc.call<unknown>('net_peerCount', [], opts),
          'net_peerCount',
          'result',
        );
        return Number(n);
      }
      const peers = await rpc.call<unknown>('admin_peers', [], opts);
      if (!Array.isArray(peers)) throw invalidResult('admin_peers', 'result is not an array');
      return peers.length;
    },
  };
}
