/** `conductor_overrideLeader(override: bool)` → null. Required param: no params → -32602 as in Go (kona sends none). */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorOverrideLeader(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_overrideLeader',
    params: ['bool'],
    admin: true,
    handle: ([override]) => {
      api.overrideLeader(override as boolean);
    },
  };
}
