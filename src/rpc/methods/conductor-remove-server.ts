/** `conductor_removeServer(id: string, version: uint64)` → null. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorRemoveServer(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_removeServer',
    params: ['string', 'uint64'],
    admin: true,
    handle: async ([id, version]) => {
      await api.removeServer(id as string, version as number);
    },
  };
}
