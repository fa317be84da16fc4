/** `conductor_active()` → bool: `!stopped && !paused`. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorActive(api: ConductorApi): RpcMethod {
  return { name: 'conductor_active', params: [], handle: () => api.active() };
}
