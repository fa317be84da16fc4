/**
 * The JSON-RPC client the proxies call (src/clients/json-rpc-client.ts satisfies it). Backend JSON-RPC
 * errors must be thrown as errors with a numeric `code` (and optional `data`) so they pass through to the
 * caller unchanged, as go-ethereum forwards `rpc.Error`s; transport failures are plain errors (-32000).
 */
export interface BackendCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface BackendClient {
  call<T>(method: string, params: readonly unknown[], opts?: BackendCallOptions): Promise<T>;
}

export interface ProxyBackends {
  /** execution.rpc (op-geth / op-reth): eth_getBlockByNumber, miner_setMaxDASize. */
  readonly execution: BackendClient;
  /** node.rpc (op-node): optimism_*, admin_sequencerActive. */
  readonly node: BackendClient;
}

/** Go's RollupClient calls run under a 10 s context; the execution proxies have no deadline. */
export const nodeCallTimeoutMs = 10_000;

export const ERR_NOT_LEADER_TEXT = 'refusing to proxy request to non-leader sequencer';
