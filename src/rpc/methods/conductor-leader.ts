/**
 * `conductor_leader()` → bool, override-aware. Answers from current state only: op-node calls it while
 * the control loop is inside `admin_startSequencer`, so it must never wait on the loop.
 */

import type { ConductorApi } from '../conductor-api.ts';
import type { RpcMethod } from '../method.ts';

export function conductorLeader(api: ConductorApi): RpcMethod {
  return { name: 'conductor_leader', params: [], handle: () => api.leader() };
}
