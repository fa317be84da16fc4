/** `conductor_transferLeader()` → null. Not-leader is swallowed by the conductor (success), as in Go. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorTransferLeader(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_transferLeader',
    params: [],
    admin: true,
    handle: async () => {
      await api.transferLeader();
    },
  };
}
