/** `rpc_modules()` → `{namespace: "1.0"}` for every mounted namespace, as go-ethereum's metadata service. */
import type { RpcMethod } from '../method.ts';

export function rpcModules(namespaces: () => readonly string[]): RpcMethod {
  return {
    name: 'rpc_modules',
    params: [],
    handle: () => Object.fromEntries([...new Set(namespaces())].sort().map((ns) => [ns, '1.0'])),
  };
}
