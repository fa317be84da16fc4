/** `conductor_paused()` → bool. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorPaused(api: ConductorApi): RpcMethod {
  return { name: 'conductor_paused', params: [], handle: () => api.paused() };
}
