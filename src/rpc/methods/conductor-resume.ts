/** `conductor_resume()` → null. Waits for the control loop, bounded by the request (`timeout to resume conductor`). */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import { untilAborted } from './abortable.ts';

export function conductorResume(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_resume',
    params: [],
    admin: true,
    handle: async (_args, ctx) => {
      await untilAborted(ctx.signal, 'timeout to resume conductor', api.resume(ctx.signal));
    },
  };
}
