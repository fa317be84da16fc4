/** `conductor_addServerAsNonvoter(id: string, addr: string, version: uint64)` → null. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorAddServerAsNonvoter(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_addServerAsNonvoter',
    params: ['string', 'string', 'uint64'],
    admin: true,
    handle: async ([id, addr, version]) => {
      await api.addServerAsNonvoter(id as string, addr as string, version as number);
    },
  };
}
