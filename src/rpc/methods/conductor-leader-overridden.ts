/** `conductor_leaderOverridden()` → bool: the in-memory override flag. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorLeaderOverridden(api: ConductorApi): RpcMethod {
  return { name: 'conductor_leaderOverridden', params: [], handle: () => api.leaderOverridden() };
}
