/** `health_status()` → the version string (op-service's always-present health namespace). */
import type { RpcMethod } from '../method.ts';

export function healthStatus(version: string): RpcMethod {
  return { name: 'health_status', params: [], handle: () => version };
}
