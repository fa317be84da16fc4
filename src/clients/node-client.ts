/**
 * op-node JSON-RPC (rollup node): `optimism_syncStatus`, `opp2p_peerStats` (health), the `admin_*`
 * sequencer controls (control loop), and `supervisor_syncStatus` on the supervisor endpoint.
 * Results are validated at this edge into typed values; errors are the JSON-RPC client's
 * (JsonRpcError carries op-node's text, e.g. `sequencer not running`).
 */
import type { Hex } from 'viem';
import type { ExecutionPayloadEnvelopeJson } from '../fsm/envelope.ts';
import type {
  L2BlockRefLite,
  NodeHealthSource,
  PeerStats,
  SupervisorHealthSource,
  SyncStatus,
} from '../health/sources.ts';
import type { JsonRpcClient } from './json-rpc-client.ts';
import { asBool, asHash, asObject, asUint } from './validate.ts';

function blockRef(v: unknown, method: string, field: string): L2BlockRefLite {
  const o = asObject(v, method, field);
  return {
    hash: asHash(o.hash, method, `${field}.hash`),
    number: asUint(o.number, method, `${field}.number`),
    timestamp: asUint(o.timestamp, method, `${field}.timestamp`),
  };
}

export interface NodeClient extends NodeHealthSource {
  readonly rpc: JsonRpcClient;
  conductorEnabled(signal?: AbortSignal): Promise<boolean>;
  sequencerActive(signal?: AbortSignal): Promise<boolean>;
  startSequencer(unsafeHead: Hex, signal?: AbortSignal): Promise<void>;
  stopSequencer(signal?: AbortSignal): Promise<Hex>;
  postUnsafePayload(envelope: ExecutionPayloadEnvelopeJson, signal?: AbortSignal): Promise<void>;
}

export function createNodeClient(rpc: JsonRpcClient): NodeClient {
  const opt = (signal?: AbortSignal) => (signal ? { signal } : undefined);
  return {
    rpc,
    async syncStatus(signal) {
      const m = 'optimism_syncStatus';
      const r = asObject(await rpc.call<unknown>(m, [], opt(signal)), m);
      const status: SyncStatus = {
        unsafe_l2: blockRef(r.unsafe_l2, m, 'unsafe_l2'),
        safe_l2: blockRef(r.safe_l2, m, 'safe_l2'),
      };
      return status;
    },
    async peerStats(signal): Promise<PeerStats> {
      const m = 'opp2p_peerStats';
      const r = asObject(await rpc.call<unknown>(m, [], opt(signal)), m);
      return { connected: asUint(r.connected, m, 'connected') };
    },
    async conductorEnabled(signal) {
      return asBool(
        await rpc.call<unknown>('admin_conductorEnabled', [], opt(signal)),
        'admin_conductorEnabled',
      );
    },
    async sequencerActive(signal) {
      return asBool(
        await rpc.call<unknown>('admin_sequencerActive', [], opt(signal)),
        'admin_sequencerActive',
      );
    },
    async startSequencer(unsafeHead, signal) {
      await rpc.call<unknown>('admin_startSequencer', [unsafeHead], opt(signal));
    },
    async stopSequencer(signal) {
      return asHash(
        await rpc.call<unknown>('admin_stopSequencer', [], opt(signal)),
        'admin_stopSequencer',
        'result',
      );
    },
    async postUnsafePayload(envelope, signal) {
      await rpc.call<unknown>('admin_postUnsafePayload', [envelope], opt(signal));
    },
  };
}

/** `supervisor_syncStatus` on the op-supervisor endpoint (only success matters to the health check). */
export function createSupervisorClient(
  rpc: JsonRpcClient,
): SupervisorHealthSource & { readonly rpc: JsonRpcClient } {
  return {
    rpc,
    async syncStatus(signal) {
      const m = 'supervisor_syncStatus';
      return asObject(await rpc.call<unknown>(m, [], signal ? { signal } : undefined), m);
    },
  };
}
