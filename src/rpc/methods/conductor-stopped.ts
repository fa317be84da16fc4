/** `conductor_stopped()` → bool. */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorStopped(api: ConductorApi): RpcMethod {
  return { name: 'conductor_stopped', params: [], handle: () => api.stopped() };
}
