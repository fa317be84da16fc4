/** `conductor_clusterMembership()` → `{servers: [{id, addr, suffrage}], version}`; works on any node. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorClusterMembership(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_clusterMembership',
    params: [],
    handle: async () => {
      const m = await api.clusterMembership();
      return {
        servers: m.servers.map((s) => ({ id: s.id, addr: s.addr, suffrage: s.suffrage })),
        version: m.version,
      };
    },
  };
}
