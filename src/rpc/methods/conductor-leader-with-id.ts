/**
 * `conductor_leaderWithID()` → `{id, addr, suffrage}` (suffrage a plain integer). When overridden the
 * conductor returns `{"id":"N/A (Leader overridden)","addr":"N/A","suffrage":0}`; clients key on that id.
 */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorLeaderWithId(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_leaderWithID',
    params: [],
    handle: () => {
      const s = api.leaderWithId();
      return { id: s.id, addr: s.addr, suffrage: s.suffrage };
    },
  };
}
