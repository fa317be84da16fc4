/**
 * The simulated L2 network: N op-node/op-geth pairs sharing a genesis, a gossip layer that can be
 * partitioned, and a ledger that proves the guarantees:
 * - reorgs: heights at which two different blocks were ever published (gossiped) — must stay 0;
 * - lost: blocks whose commit a conductor acknowledged but which are missing from the final chain — must stay 0;
 * - gaps: the longest interval without a newly published block (uptime / failover time).
 */
import type { ExecutionPayloadEnvelopeJson } from '../../src/fsm/envelope.ts';
import { genesisBlock, type SimBlock } from './block.ts';
import { type CommitMode, L2Node } from './l2-node.ts';

export interface SimL2Options {
  readonly nodeIds: readonly string[];
  readonly blockTimeMs: number;
  readonly payloadBytes: number;
  readonly commitMode?: CommitMode;
  readonly encodeSsz?: (env: ExecutionPayloadEnvelopeJson) => Uint8Array;
  readonly log?: (line: string) => void;
}

export interface LedgerSummary {
  readonly blocks: number;
  readonly reorgs: number;
  readonly lost: number;
  readonly maxGapMs: number;
  readonly commitLatenciesMs: readonly number[];
}

export class SimL2 {
  readonly nodes: L2Node[];
  private readonly published = new Map<bigint, Set<string>>();
  private readonly acked = new Map<string, bigint>();
  private readonly isolated = new Set<string>();
  private readonly latencies: number[] = [];
  private lastPublishAt = 0;
  private maxGapMs = 0;
  private blocks = 0;
  /** The node that published the most recent block. */
  lastPublisherId: string | undefined;

  constructor(opts: SimL2Options) {
    const genesis = genesisBlock(BigInt(Math.floor(Date.now() / 1000)));
    const events = {
      committed: (_n: L2Node, b: SimBlock, ms: number) => {
        this.acked.set(b.hash, b.number);
        this.latencies.push(ms);
      },
      published: (n: L2Node, b: SimBlock) => {
        this.lastPublisherId = n.id;
        this.onPublished(b);
      },
      gossip: (n: L2Node, b: SimBlock) => this.gossip(n, b),
      log: (n: L2Node, msg: string) => opts.log?.(`l2 ${n.id}: ${msg}`),
    };
    this.nodes = opts.nodeIds.map(
      (id) =>
        new L2Node({
          id,
          genesis,
          blockTimeMs: opts.blockTimeMs,
          payloadBytes: opts.payloadBytes,
          commitMode: opts.commitMode ?? 'json',
          events,
          findPeerWithBlock: (hash: string, number: bigint) =>
            this.nodes.find(
              (n) => n.id !== id && !n.down && !this.isolated.has(n.id) && n.blockAt(number)?.hash === hash,
            ),
          ...(opts.encodeSsz ? { encodeSsz: opts.encodeSsz } : {}),
        }),
    );
  }

  async start(): Promise<void> {
    for (const n of this.nodes) await n.start();
  }
  async close(): Promise<void> {
    for (const n of this.nodes) await n.close();
  }
  node(id: string): L2Node {
    const n = this.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no l2 node ${id}`);
    return n;
  }

  /** Cut gossip to and from a node (its conductor-level partition is separate). */
  setGossipIsolated(id: string, isolated: boolean): void {
    if (isolated) this.isolated.add(id);
    else this.isolated.delete(id);
  }

  private gossip(from: L2Node, b: SimBlock): void {
    if (this.isolated.has(from.id)) return;
    for (const n of this.nodes) if (n !== from && !this.isolated.has(n.id)) n.receive(b, from);
  }

  private onPublished(b: SimBlock): void {
    const now = performance.now();
    if (this.lastPublishAt > 0) this.maxGapMs = Math.max(this.maxGapMs, now - this.lastPublishAt);
    this.lastPublishAt = now;
    this.blocks++;
    const set = this.published.get(b.number) ?? new Set<string>();
    set.add(b.hash);
    this.published.set(b.number, set);
  }

  /** Bench control: turn every node's block timer on or off (off: blocks come only from `sequenceNow`). */
  setAutoSequence(on: boolean): void {
    for (const n of this.nodes) n.autoSequence = on;
  }

  /** Reset the gap tracker (e.g. after the warm-up before the cluster first sequences). */
  resetGap(): void {
    this.lastPublishAt = 0;
    this.maxGapMs = 0;
  }

  /** The chain of the live node with the highest head: the final chain for loss accounting. */
  bestNode(): L2Node {
    let best = this.nodes[0]!;
    for (const n of this.nodes) if (!n.down && n.head.number > best.head.number) best = n;
    return best;
  }

  summary(): LedgerSummary {
    let reorgs = 0;
    for (const s of this.published.values()) if (s.size > 1) reorgs++;
    const final = this.bestNode();
    let lost = 0;
    for (const [hash, num] of this.acked) {
      // A block acknowledged at a height above the final head may still be in flight; it is lost only if the
      // final chain holds a different block at its height.
      const b = final.blockAt(num);
      if (num <= final.head.number && b?.hash !== hash) lost++;
    }
    return {
      blocks: this.blocks,
      reorgs,
      lost,
      maxGapMs: Math.round(this.maxGapMs),
      commitLatenciesMs: this.latencies,
    };
  }
}
