/**
 * One simulated op-node + op-geth pair: the JSON-RPC methods the conductor and its clients call, and
 * op-node's sequencing behaviour with a conductor (spec §11): while active it builds a block every block
 * time on its head, commits it through its conductor with op-node's client policy (1 s budget, 2 attempts
 * 50 ms apart), and only on success gossips it and inserts it. A non-leader op-node therefore can never
 * publish a block. Fault controls: kill/revive (RPC down, no sequencing, no gossip), stall the head, peer count,
 * lost commit answers.
 */
import type { Hex } from 'viem';
import type { ExecutionPayloadEnvelopeJson } from '../../src/fsm/envelope.ts';
import { blockFromEnvelope, buildBlock, type SimBlock, verifyEnvelopeHash } from './block.ts';
import {
  jsonRpcBody,
  postBody,
  type RpcHandler,
  type RpcHttpServer,
  rpcCall,
  rpcCallBody,
  startRpcServer,
} from './json-rpc-http.ts';

export const CONDUCTOR_RPC_TIMEOUT_MS = 1_000;
export const CONDUCTOR_ATTEMPTS = 2;
export const CONDUCTOR_RETRY_DELAY_MS = 50;

export type CommitMode = 'json' | 'binary';

export interface L2NodeEvents {
  /** The conductor acknowledged the commit of this block (it is in Raft). */
  committed(node: L2Node, block: SimBlock, latencyMs: number): void;
  /** This node gossiped the block (published it to the network). */
  published(node: L2Node, block: SimBlock): void;
  gossip(node: L2Node, block: SimBlock): void;
  log(node: L2Node, msg: string): void;
}

export interface L2NodeOptions {
  readonly id: string;
  readonly genesis: SimBlock;
  readonly blockTimeMs: number;
  readonly payloadBytes: number;
  readonly commitMode: CommitMode;
  readonly events: L2NodeEvents;
  readonly encodeSsz?: (env: ExecutionPayloadEnvelopeJson) => Uint8Array;
  /** A live peer whose chain holds block `hash` at `number` (for op-node's sync of a missing parent). */
  readonly findPeerWithBlock?: (hash: string, number: bigint) => L2Node | undefined;
}

export class L2Node {
  readonly id: string;
  conductorUrl = '';
  private readonly chain = new Map<bigint, SimBlock>();
  private headBlock: SimBlock;
  private active = false;
  private override = false;
  private stalled = false;
  private downFlag = false;
  peerCount = 3;
  /** Bench control: false stops the block timer from sequencing; blocks then come only from `sequenceNow`. */
  autoSequence = true;
  /** Fault: every commit reaches the conductor, but op-node never sees the answer (as if it timed out). */
  dropCommitAcks = false;
  /** Fault: stall the head right after the next block this node publishes. */
  stallAfterNextPublish = false;
  private building = false;
  private timer: NodeJS.Timeout | undefined;
  private server: RpcHttpServer | undefined;

  constructor(private readonly opts: L2NodeOptions) {
    this.id = opts.id;
    this.headBlock = opts.genesis;
    this.chain.set(opts.genesis.number, opts.genesis);
  }

  get url(): string {
    if (!this.server) throw new Error(`l2 node ${this.id} not started`);
    return this.server.url;
  }
  get head(): SimBlock {
    return this.headBlock;
  }
  get sequencerActive(): boolean {
    return this.active;
  }
  get down(): boolean {
    return this.downFlag;
  }
  blockAt(n: bigint): SimBlock | undefined {
    return this.chain.get(n);
  }

  async start(port = 0): Promise<void> {
    this.server = await startRpcServer(this.methods(), { port });
    this.timer = setInterval(() => void this.tickSequencer(), this.opts.blockTimeMs);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.server?.close();
  }

  /** Kill (true) or revive (false) this op-node: its RPC refuses connections and it neither sequences nor receives gossip. */
  setDown(down: boolean): void {
    this.downFlag = down;
    this.server?.setDown(down);
    if (down) this.active = false; // a restarted op-node in conductor mode comes back with the sequencer stopped
  }
  /** An existing sequencer that is already producing blocks when its conductor is first deployed (runbook). */
  setSequencerActiveForBootstrap(): void {
    this.active = true;
  }
  setStalled(stalled: boolean): void {
    this.stalled = stalled;
  }

  /** Gossip receipt: extend the head, or adopt the sender's chain when behind or forked (an unsafe reorg for this node). */
  receive(block: SimBlock, source: L2Node): void {
    if (this.downFlag || this.stalled) return;
    if (block.number <= this.headBlock.number && this.chain.get(block.number)?.hash === block.hash) return;
    if (block.parentHash === this.headBlock.hash) {
      this.insert(block);
      return;
    }
    this.syncFrom(source, block.number);
  }

  private syncFrom(source: L2Node, upTo: bigint): void {
    let n = upTo;
    while (n > 0n && source.blockAt(n - 1n)?.hash !== this.chain.get(n - 1n)?.hash) n--;
    for (let i = n; i <= upTo; i++) {
      const b = source.blockAt(i);
      if (!b) return;
      this.insert(b);
    }
  }

  private insert(block: SimBlock): void {
    for (let n = block.number + 1n; this.chain.has(n); n++) this.chain.delete(n);
    this.chain.set(block.number, block);
    this.headBlock = block;
  }

  private async tickSequencer(): Promise<void> {
    if (!this.autoSequence || !this.active || this.downFlag || this.stalled || this.building) return;
    // A failed commit is logged by produce; op-node simply builds again on the next tick.
    await this.produce(this.opts.payloadBytes, this.opts.commitMode).catch(() => undefined);
  }

  /**
   * Bench control: build one block carrying `transactions` (from fillerTransactions) on the head now and run
   * op-node's commit-then-publish path with `mode`; resolves with the commit's latency in ms (request out →
   * answer in, the body encoded beforehand). Rejects when this node is not sequencing, is already building,
   * or the commit failed.
   */
  sequenceNow(transactions: readonly Hex[], mode: CommitMode): Promise<number> {
    if (!this.active || this.downFlag || this.stalled) {
      return Promise.reject(new Error(`${this.id} is not sequencing`));
    }
    if (this.building) return Promise.reject(new Error(`${this.id} is already building a block`));
    if (mode === 'binary' && !this.opts.encodeSsz) {
      return Promise.reject(new Error(`${this.id} has no SSZ encoder for binary commits`));
    }
    return this.produce(transactions, mode);
  }

  /**
   * Build on the head (fresh filler of `fill` bytes, or the given transactions), commit through the conductor,
   * then publish and insert; the commit latency in ms.
   */
  private async produce(fill: number | readonly Hex[], mode: CommitMode): Promise<number> {
    this.building = true;
    try {
      const parent = this.headBlock;
      const ts = BigInt(Math.floor(Date.now() / 1000));
      const block = buildBlock({
        parentHash: parent.hash,
        number: parent.number + 1n,
        timestamp: ts > parent.timestamp ? ts : parent.timestamp,
        payloadBytes: typeof fill === 'number' ? fill : 0,
        salt: this.id,
        ...(typeof fill === 'number' ? {} : { transactions: fill }),
      });
      let latencyMs: number;
      try {
        latencyMs = await this.commit(block, mode);
      } catch (e) {
        this.opts.events.log(this, `commit of block ${block.number} failed: ${(e as Error).message}`);
        throw e;
      }
      // Raced with a stop/kill: op-node drops the block.
      if (this.headBlock !== parent || this.downFlag)
        throw new Error(`block ${block.number} dropped: head moved`);
      this.opts.events.committed(this, block, latencyMs);
      this.opts.events.published(this, block);
      this.opts.events.gossip(this, block);
      this.insert(block);
      if (this.stallAfterNextPublish) {
        this.stallAfterNextPublish = false;
        this.stalled = true;
      }
      return latencyMs;
    } finally {
      this.building = false;
    }
  }

  /**
   * op-node's conductor client: 1 s overall budget, 2 attempts 50 ms apart; overridden → no-op. The body is
   * encoded once, before the clock starts; returns the time from the first request to the accepted answer.
   */
  private async commit(block: SimBlock, mode: CommitMode): Promise<number> {
    if (this.override) return 0;
    const encodeSsz = mode === 'binary' ? this.opts.encodeSsz : undefined;
    const binary = encodeSsz !== undefined;
    const body = binary
      ? encodeSsz(block.envelope)
      : Buffer.from(jsonRpcBody('conductor_commitUnsafePayload', [block.envelope]));
    const t0 = performance.now();
    const deadline = t0 + CONDUCTOR_RPC_TIMEOUT_MS;
    let last: Error = new Error('no attempt');
    for (let attempt = 0; attempt < CONDUCTOR_ATTEMPTS; attempt++) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      try {
        if (binary) await this.commitBinary(body, left);
        else await rpcCallBody(this.conductorUrl, 'conductor_commitUnsafePayload', body, left);
        if (this.dropCommitAcks) throw new Error('commit answer lost (fault)');
        return performance.now() - t0;
      } catch (e) {
        last = e as Error;
        await new Promise((r) => setTimeout(r, CONDUCTOR_RETRY_DELAY_MS));
      }
    }
    throw last;
  }

  private async commitBinary(body: Uint8Array, timeoutMs: number): Promise<void> {
    const res = await postBody(
      `${this.conductorUrl}/commit-unsafe-payload`,
      body,
      'application/octet-stream',
      timeoutMs,
    );
    if (res.status !== 200) throw new Error(`binary commit: HTTP ${res.status}: ${res.text}`);
  }

  private async conductorLeader(): Promise<boolean> {
    if (this.override) return true;
    let last: Error = new Error('no attempt');
    for (let attempt = 0; attempt < CONDUCTOR_ATTEMPTS; attempt++) {
      try {
        return await rpcCall<boolean>(this.conductorUrl, 'conductor_leader', [], CONDUCTOR_RPC_TIMEOUT_MS);
      } catch (e) {
        last = e as Error;
        await new Promise((r) => setTimeout(r, CONDUCTOR_RETRY_DELAY_MS));
      }
    }
    throw last;
  }

  private blockJson(b: SimBlock): Record<string, unknown> {
    return {
      hash: b.hash,
      parentHash: b.parentHash,
      number: `0x${b.number.toString(16)}`,
      timestamp: `0x${b.timestamp.toString(16)}`,
      transactions: [],
    };
  }

  private l2Ref(b: SimBlock): Record<string, unknown> {
    return {
      hash: b.hash,
      number: Number(b.number),
      parentHash: b.parentHash,
      timestamp: Number(b.timestamp),
      l1origin: { hash: b.parentHash, number: 0 },
      sequenceNumber: 0,
    };
  }

  private methods(): Map<string, RpcHandler> {
    const m = new Map<string, RpcHandler>();
    m.set('admin_conductorEnabled', () => true);
    m.set('admin_sequencerActive', () => this.active);
    m.set('admin_startSequencer', async (params) => {
      const hash = params[0] as Hex;
      let leader: boolean;
      try {
        leader = await this.conductorLeader();
      } catch (e) {
        throw new Error(`sequencer leader check failed: ${(e as Error).message}`);
      }
      if (!leader) throw new Error('sequencer is not the leader, aborting');
      if (this.active) throw new Error('sequencer already running');
      if (hash !== this.headBlock.hash) {
        throw new Error(
          `block hash does not match: head ${this.headBlock.hash}:${this.headBlock.number}, received ${hash}`,
        );
      }
      this.active = true;
      this.opts.events.log(this, `sequencer started at ${this.headBlock.number}`);
      return null;
    });
    m.set('admin_stopSequencer', () => {
      if (!this.active) throw new Error('sequencer not running');
      this.active = false;
      this.opts.events.log(this, `sequencer stopped at ${this.headBlock.number}`);
      return this.headBlock.hash;
    });
    m.set('admin_postUnsafePayload', (params) => {
      const env = params[0] as ExecutionPayloadEnvelopeJson;
      if (!env?.executionPayload || !verifyEnvelopeHash(env)) {
        throw new Error(`payload has bad block hash: ${String(env?.executionPayload?.blockHash)}`);
      }
      const b = blockFromEnvelope(env);
      if (b.parentHash !== this.headBlock.hash) {
        // op-node queues a payload whose parent it lacks and fetches the missing range from its peers (p2p
        // req/resp sync); here: from any peer whose chain holds the parent.
        const source = this.opts.findPeerWithBlock?.(b.parentHash, b.number - 1n);
        if (source) this.syncFrom(source, b.number - 1n);
      }
      if (b.parentHash !== this.headBlock.hash)
        throw new Error(`payload ${b.number} does not extend head ${this.headBlock.number}`);
      this.insert(b);
      return null;
    });
    m.set('admin_overrideLeader', () => {
      this.override = true;
      return null;
    });
    m.set('optimism_syncStatus', () => {
      const h = this.l2Ref(this.headBlock);
      return {
        unsafe_l2: h,
        safe_l2: h,
        finalized_l2: this.l2Ref(this.opts.genesis),
        cross_unsafe_l2: h,
        local_safe_l2: h,
      };
    });
    m.set('opp2p_peerStats', () => ({ connected: this.peerCount, table: 0, blocksTopic: this.peerCount }));
    m.set('optimism_rollupConfig', () => ({ block_time: this.opts.blockTimeMs / 1000, l2_chain_id: 901 }));
    m.set('optimism_outputAtBlock', (params) => {
      const n = BigInt(params[0] as string);
      const b = this.chain.get(n);
      if (!b) throw new Error(`block ${n} not found`);
      return { version: `0x${'0'.repeat(64)}`, outputRoot: b.hash, blockRef: this.l2Ref(b) };
    });
    m.set('eth_getBlockByNumber', (params) => {
      const tag = params[0] as string;
      const b =
        tag === 'latest' || tag === 'safe' || tag === 'finalized' || tag === 'pending'
          ? this.headBlock
          : this.chain.get(BigInt(tag));
      return b ? this.blockJson(b) : null;
    });
    m.set('net_peerCount', () => `0x${this.peerCount.toString(16)}`);
    m.set('admin_peers', () => Array.from({ length: this.peerCount }, (_, i) => ({ id: `peer${i}` })));
    m.set('miner_setMaxDASize', () => true);
    return m;
  }
}
