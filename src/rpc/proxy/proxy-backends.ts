/**
 * Production proxy backends: undici-pooled JSON-RPC clients for execution.rpc and node.rpc with Go's 10 s
 * call timeout. Dialing is lazy (HTTP), so unlike Go's init-time dial loop nothing blocks startup here.
 */
import { createJsonRpcClient } from '../../clients/json-rpc-client.ts';
import { nodeCallTimeoutMs, type ProxyBackends } from './backend-client.ts';

export function createProxyBackends(opts: { executionRpc: string; nodeRpc: string }): ProxyBackends & {
  close(): Promise<void>;
} {
  const execution = createJsonRpcClient({ url: opts.executionRpc, timeoutMs: nodeCallTimeoutMs });
  const node = createJsonRpcClient({ url: opts.nodeRpc, timeoutMs: nodeCallTimeoutMs });
  return {
    execution,
    node,
    close: async () => {
      await Promise.all([execution.close(), node.close()]);
    },
  };
}
