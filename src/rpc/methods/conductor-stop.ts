/** `conductor_stop()` → null. Full shutdown (also closes this server once in-flight requests finish). */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorStop(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_stop',
    params: [],
    admin: true,
    handle: async () => {
      await api.stop();
    },
  };
}
