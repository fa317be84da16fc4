/** `conductor_transferLeaderToServer(id: string, addr: string)` → null; `node is not the leader` is returned here. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorTransferLeaderToServer(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_transferLeaderToServer',
    params: ['string', 'string'],
    admin: true,
    handle: async ([id, addr]) => {
      await api.transferLeaderToServer(id as string, addr as string);
    },
  };
}
