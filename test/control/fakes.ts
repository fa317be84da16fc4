/**
 * Fakes for the control-loop tests, in the spirit of Go's mockery mocks: each scripted method answers
 * from a queue of expected responses (`expect(...)`) and records every call; a call with nothing queued
 * and no default is recorded in `unexpected` and throws, so a test can assert nothing surprising ran.
 */
import type { Hex } from 'viem';
import { numberToHex } from 'viem';
import type {
  ClusterMembership,
  Consensus,
  EncodedPayload,
  ServerInfo,
} from '../../src/consensus/consensus.ts';
import type { BlockRef, SequencerControl } from '../../src/control/sequencer-control.ts';
import type { ExecutionPayloadEnvelopeJson } from '../../src/fsm/envelope.ts';
import type { HealthError } from '../../src/health/errors.ts';

export type Response<T> = { readonly ok: T } | { readonly err: Error } | { readonly wait: Promise<T> };

/** Response queues per method, call counts, call arguments. */
export class Script<M extends string> {
  readonly calls = new Map<M, unknown[][]>();
  readonly unexpected: string[] = [];
  private readonly queues = new Map<M, Response<unknown>[]>();
  private readonly defaults = new Map<M, Response<unknown>>();

  expect(method: M, ...responses: Response<unknown>[]): void {
    const q = this.queues.get(method) ?? [];
    q.push(...responses);
    this.queues.set(method, q);
  }

  setDefault(method: M, response: Response<unknown>): void {
    this.defaults.set(method, response);
  }

  count(method: M): number {
    return this.calls.get(method)?.length ?? 0;
  }

  args(method: M): unknown[][] {
    return this.calls.get(method) ?? [];
  }

  async call<T>(method: M, args: unknown[]): Promise<T> {
    const list = this.calls.get(method) ?? [];
    list.push(args);
    this.calls.set(method, list);
    const r = this.queues.get(method)?.shift() ?? this.defaults.get(method);
    if (r === undefined) {
      this.unexpected.push(method);
      throw new Error(`unexpected call: ${method}`);
    }
    if ('err' in r) throw r.err;
    if ('wait' in r) return (await r.wait) as T;
    return r.ok as T;
  }
}

export const ok = <T>(v: T): Response<T> => ({ ok: v });
export const fail = (message: string): Response<never> => ({ err: new Error(message) });

/** A 32-byte hash from leading bytes, like Go's `[32]byte{4, 5, 6}`. */
export function hash(...bytes: number[]): Hex {
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `0x${hex.padEnd(64, '0')}`;
}

export function envelope(blockNumber: number, blockHash: Hex): ExecutionPayloadEnvelopeJson {
  const zero32 = hash();
  return {
    parentBeaconBlockRoot: zero32,
    executionPayload: {
      parentHash: zero32,
      feeRecipient: '0x0000000000000000000000000000000000000000',
      stateRoot: zero32,
      receiptsRoot: zero32,
      logsBloom: `0x${'00'.repeat(256)}`,
      prevRandao: zero32,
      blockNumber: numberToHex(blockNumber),
      gasLimit: '0x0',
      gasUsed: '0x0',
      timestamp: numberToHex(Math.floor(Date.now() / 1000)),
      extraData: '0x',
      baseFeePerGas: '0x0',
      blockHash,
      transactions: [],
    },
  };
}

export function block(number: number, blockHash: Hex): BlockRef {
  return { number: BigInt(number), hash: blockHash };
}

type ConsensusMethod =
  | 'transferLeader'
  | 'transferLeaderTo'
  | 'latestUnsafePayload'
  | 'commitUnsafePayload'
  | 'shutdown'
  | 'addVoter'
  | 'addNonVoter'
  | 'removeServer'
  | 'demoteVoter'
  | 'clusterMembership';

export class FakeConsensus implements Consensus {
  readonly script = new Script<ConsensusMethod>();
  isLeader = false;
  knownLeader: ServerInfo = { id: '', addr: '', suffrage: 0 };
  private readonly listeners = new Set<(isLeader: boolean) => void>();

  constructor() {
    this.script.setDefault('shutdown', ok(undefined));
  }

  /** Raft reports a leadership change (Go test: `leaderUpdateCh <- b`). */
  emitLeader(isLeader: boolean): void {
    this.isLeader = isLeader;
    for (const l of this.listeners) l(isLeader);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  leader(): boolean {
    return this.isLeader;
  }
  leaderWithId(): ServerInfo {
    return this.knownLeader;
  }
  onLeaderChange(listener: (isLeader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  serverId(): string {
    return 'SequencerA';
  }
  addr(): string {
    return '127.0.0.1:0';
  }
  addVoter(id: string, addr: string, version: number): Promise<void> {
    return this.script.call('addVoter', [id, addr, version]);
  }
  addNonVoter(id: string, addr: string, version: number): Promise<void> {
    return this.script.call('addNonVoter', [id, addr, version]);
  }
  demoteVoter(id: string, version: number): Promise<void> {
    return this.script.call('demoteVoter', [id, version]);
  }
  removeServer(id: string, version: number): Promise<void> {
    return this.script.call('removeServer', [id, version]);
  }
  transferLeader(): Promise<void> {
    return this.script.call('transferLeader', []);
  }
  transferLeaderTo(id: string, addr: string): Promise<void> {
    return this.script.call('transferLeaderTo', [id, addr]);
  }
  clusterMembership(): Promise<ClusterMembership> {
    return this.script.call('clusterMembership', []);
  }
  commitUnsafePayload(payload: EncodedPayload): Promise<void> {
    return this.script.call('commitUnsafePayload', [payload]);
  }
  latestUnsafePayload(): Promise<ExecutionPayloadEnvelopeJson | undefined> {
    return this.script.call('latestUnsafePayload', []);
  }
  shutdown(): Promise<void> {
    return this.script.call('shutdown', []);
  }
}

type SequencerMethod =
  | 'conductorEnabled'
  | 'sequencerActive'
  | 'startSequencer'
  | 'stopSequencer'
  | 'latestBlock'
  | 'postUnsafePayload';

export class FakeSequencer implements SequencerControl {
  readonly script = new Script<SequencerMethod>();

  constructor() {
    this.script.setDefault('conductorEnabled', ok(true));
    this.script.setDefault('sequencerActive', ok(false));
  }

  conductorEnabled(): Promise<boolean> {
    return this.script.call('conductorEnabled', []);
  }
  sequencerActive(): Promise<boolean> {
    return this.script.call('sequencerActive', []);
  }
  startSequencer(unsafeHead: Hex): Promise<void> {
    return this.script.call('startSequencer', [unsafeHead]);
  }
  stopSequencer(): Promise<Hex> {
    return this.script.call('stopSequencer', []);
  }
  latestBlock(): Promise<BlockRef> {
    return this.script.call('latestBlock', []);
  }
  postUnsafePayload(env: ExecutionPayloadEnvelopeJson): Promise<void> {
    return this.script.call('postUnsafePayload', [env]);
  }
}

export class FakeHealth {
  starts = 0;
  stops = 0;
  stopError: Error | undefined;
  private listener: ((err: HealthError | null) => void) | undefined;

  onHealth(cb: (err: HealthError | null) => void): () => void {
    this.listener = cb;
    return () => {
      this.listener = undefined;
    };
  }
  start(): void {
    this.starts++;
  }
  async stop(): Promise<void> {
    this.stops++;
    if (this.stopError) throw this.stopError;
  }
  /** The monitor reports a verdict (Go test: `healthUpdateCh <- err`). */
  emit(err: HealthError | null): void {
    if (!this.listener) throw new Error('no health subscriber');
    this.listener(err);
  }
}
