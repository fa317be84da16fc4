/** `conductor_sequencerHealthy()` → bool: the last health verdict (true until the first failure). */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorSequencerHealthy(api: ConductorApi): RpcMethod {
  return { name: 'conductor_sequencerHealthy', params: [], handle: () => api.sequencerHealthy() };
}
