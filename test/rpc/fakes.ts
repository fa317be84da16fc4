// Test doubles for the RPC server: a scriptable ConductorApi, a payload codec and proxy backends, plus an
// inject()-based JSON-RPC call helper.
import type { FastifyInstance } from 'fastify';
import type { ClusterMembership, EncodedPayload, ServerInfo } from '../../src/consensus/consensus.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.ts';
import type { ConductorApi } from '../../src/rpc/conductor-api.ts';
import type { PayloadCodecPort } from '../../src/rpc/payload-codec-port.ts';
import type { BackendCallOptions, BackendClient } from '../../src/rpc/proxy/backend-client.ts';
import { buildRpcServer, type RpcServerDeps } from '../../src/rpc/server.ts';

export class FakeConductor implements ConductorApi {
  override = false;
  isPaused = false;
  isStopped = false;
  healthy = true;
  raftLeader = true;
  leaderInfo: ServerInfo = { id: 'seq-1', addr: '10.0.0.1:50050', suffrage: 0 };
  membership: ClusterMembership = {
    servers: [
      { id: 'seq-1', addr: '10.0.0.1:50050', suffrage: 0 },
      { id: 'seq-2', addr: '10.0.0.2:50050', suffrage: 1 },
    ],
    version: 7,
  };
  calls: { method: string; args: unknown[] }[] = [];
  /** Error to throw from the next membership/transfer/commit call, by method name. */
  failWith = new Map<string, Error>();
  /** When set, pause/resume/commit wait for this promise (to model a busy control loop / slow Raft). */
  gate: Promise<void> | undefined;
  committed: EncodedPayload[] = [];

  #record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
    const err = this.failWith.get(method);
    if (err) throw err;
  }
  overrideLeader(override: boolean): void {
    this.#record('overrideLeader', override);
    this.override = override;
  }
  leaderOverridden(): boolean {
    return this.override;
  }
  async pause(signal?: AbortSignal): Promise<void> {
    this.#record('pause', signal);
    if (this.gate) await this.gate;
    this.isPaused = true;
  }
  async resume(signal?: AbortSignal): Promise<void> {
    this.#record('resume', signal);
    if (this.gate) await this.gate;
    this.isPaused = false;
  }
  async stop(): Promise<void> {
    this.#record('stop');
    this.isStopped = true;
  }
  paused(): boolean {
    return this.isPaused;
  }
  stopped(): boolean {
    return this.isStopped;
  }
  sequencerHealthy(): boolean {
    return this.healthy;
  }
  leader(): boolean {
    return this.override || this.raftLeader;
  }
  leaderWithId(): ServerInfo {
    return this.override ? { id: 'N/A (Leader overridden)', addr: 'N/A', suffrage: 0 } : this.leaderInfo;
  }
  async addServerAsVoter(id: string, addr: string, version: number): Promise<void> {
    this.#record('addServerAsVoter', id, addr, version);
  }
  async addServerAsNonvoter(id: string, addr: string, version: number): Promise<void> {
    this.#record('addServerAsNonvoter', id, addr, version);
  }
  async removeServer(id: string, version: number): Promise<void> {
    this.#record('removeServer', id, version);
  }
  async transferLeader(): Promise<void> {
    this.#record('transferLeader');
  }
  async transferLeaderToServer(id: string, addr: string): Promise<void> {
    this.#record('transferLeaderToServer', id, addr);
  }
  async clusterMembership(): Promise<ClusterMembership> {
    this.#record('clusterMembership');
    return this.membership;
  }
  active(): boolean {
    return !this.isStopped && !this.isPaused;
  }
  async commitUnsafePayload(payload: EncodedPayload): Promise<void> {
    this.#record('commitUnsafePayload', payload);
    if (this.gate) await this.gate;
    this.committed.push(payload);
  }
}

/** A codec double: JSON envelopes need `parentBeaconBlockRoot` and `executionPayload.blockNumber`; SSZ must start with 0x01. */
export const fakeCodec: PayloadCodecPort = {
  encodeForCommit(json: unknown): EncodedPayload {
    const env = json as {
      parentBeaconBlockRoot?: string;
      executionPayload?: { blockNumber?: string };
    } | null;
    if (!env?.parentBeaconBlockRoot || !env.executionPayload) {
      throw new Error('execution payload envelope is missing data');
    }
    const n = BigInt(env.executionPayload.blockNumber ?? '0x0');
    return { ssz: new TextEncoder().encode(JSON.stringify(json)), blockNumber: n, blockHash: '0x00' };
  },
  validateSsz(bytes: Uint8Array): EncodedPayload {
    if (bytes[0] !== 1) throw new Error('incorrect size');
    return { ssz: bytes, blockNumber: 1n, blockHash: '0x00' };
  },
};

export class FakeBackend implements BackendClient {
  calls: { method: string; params: readonly unknown[]; opts: BackendCallOptions | undefined }[] = [];
  results = new Map<string, unknown>();
  errors = new Map<string, Error>();
  async call<T>(method: string, params: readonly unknown[], opts?: BackendCallOptions): Promise<T> {
    this.calls.push({ method, params, opts });
    const err = this.errors.get(method);
    if (err) throw err;
    return this.results.get(method) as T;
  }
}

/** A backend JSON-RPC error as the client module throws it (numeric code, optional data). */
export class BackendRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export interface Harness {
  app: FastifyInstance;
  api: FakeConductor;
  exec: FakeBackend;
  node: FakeBackend;
  metrics: Metrics;
}

export function harness(overrides: Partial<RpcServerDeps> = {}): Harness {
  const api = new FakeConductor();
  const exec = new FakeBackend();
  const node = new FakeBackend();
  const metrics = createMetrics();
  const app = buildRpcServer({
    api,
    codec: fakeCodec,
    log: silentLogger(),
    metrics,
    version: 'v0.0.0-test',
    proxyBackends: { execution: exec, node },
    ...overrides,
  });
  return { app, api, exec, node, metrics };
}

export interface RpcAnswer {
  jsonrpc: string;
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

let nextId = 1;

/** POST one JSON-RPC call the way op-conductor-ops does; asserts nothing, returns status + parsed body. */
export async function call(
  app: FastifyInstance,
  method: string,
  params: unknown[] = [],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: RpcAnswer }> {
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ id: nextId++, jsonrpc: '2.0', method, params }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as RpcAnswer };
}
