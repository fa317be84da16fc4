/** `conductor_pause()` → null. Waits for the control loop, bounded by the request (`timeout to pause conductor`). */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';
import { untilAborted } from './abortable.ts';

export function conductorPause(api: ConductorApi): RpcMethod {
  return {
    name: 'conductor_pause',
    params: [],
    admin: true,
    handle: async (_args, ctx) => {
      await untilAborted(ctx.signal, 'timeout to pause conductor', api.pause(ctx.signal));
    },
  };
}
