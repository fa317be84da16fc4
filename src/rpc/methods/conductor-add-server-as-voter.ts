/** `conductor_addServerAsVoter(id: string, addr: string, version: uint64)` → null. Re-adding a member succeeds. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorAddServerAsVoter(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_addServerAsVoter',
    params: ['string', 'string', 'uint64'],
    admin: true,
    handle: async ([id, addr, version]) => {
      await api.addServerAsVoter(id as string, addr as string, version as number);
    },
  };
}
