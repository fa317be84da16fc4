/**
 * Builds simulated L2 blocks as real ExecutionPayloadEnvelopes (op-service JSON shape, Ecotone/V3 fields)
 * whose blockHash is the keccak256 of the RLP-encoded header, so the simulated op-node can verify a posted
 * payload's hash the way op-node does (`payload has bad block hash`).
 *
 * Simplification (documented in docs/devnet.md): transactionsRoot is keccak256(rlp(transactions)) rather
 * than the Merkle-Patricia trie root; the hash still binds every transaction byte, which is all the
 * devnet's reorg and loss accounting needs.
 */
import { bytesToHex, concatHex, type Hex, keccak256, numberToHex, padHex, toRlp } from 'viem';
import type { ExecutionPayloadEnvelopeJson, ExecutionPayloadJson } from '../../src/fsm/envelope.ts';

const ZERO_HASH = padHex('0x', { size: 32 });
const EMPTY_OMMERS_HASH: Hex = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
const EMPTY_TRIE_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
const EMPTY_BLOOM = padHex('0x', { size: 256 });
const GAS_LIMIT = 30_000_000n;
const BASE_FEE = 1_000_000_000n;
const FEE_RECIPIENT: Hex = '0x4200000000000000000000000000000000000011';

export interface SimBlock {
  readonly number: bigint;
  readonly hash: Hex;
  readonly parentHash: Hex;
  readonly timestamp: bigint;
  readonly envelope: ExecutionPayloadEnvelopeJson;
}

/** Minimal quantity encoding as Ethereum RLP wants it: zero is the empty byte string. */
function q(n: bigint): Hex {
  return n === 0n ? '0x' : numberToHex(n);
}

/** Transaction roots of lists reused across blocks (fillerTransactions), so only the header is hashed again. */
const reusedTxRoots = new WeakMap<readonly Hex[], Hex>();

function transactionsRoot(txs: readonly Hex[]): Hex {
  if (txs.length === 0) return EMPTY_TRIE_ROOT;
  return reusedTxRoots.get(txs) ?? keccak256(toRlp([...txs]));
}

export function headerHash(p: ExecutionPayloadJson, parentBeaconBlockRoot: Hex): Hex {
  const txRoot = transactionsRoot(p.transactions);
  const header: Hex[] = [
    p.parentHash,
    EMPTY_OMMERS_HASH,
    p.feeRecipient,
    p.stateRoot,
    txRoot,
    p.receiptsRoot,
    p.logsBloom,
    '0x', // difficulty 0 after the merge
    q(BigInt(p.blockNumber)),
    q(BigInt(p.gasLimit)),
    q(BigInt(p.gasUsed)),
    q(BigInt(p.timestamp)),
    p.extraData,
    p.prevRandao,
    '0x0000000000000000', // nonce
    q(BigInt(p.baseFeePerGas)),
    EMPTY_TRIE_ROOT, // withdrawalsRoot (no withdrawals on L2)
    q(BigInt(p.blobGasUsed ?? '0x0')),
    q(BigInt(p.excessBlobGas ?? '0x0')),
    parentBeaconBlockRoot,
  ];
  return keccak256(toRlp(header));
}

/** The genesis block every simulated node starts from (identical on all nodes). */
export function genesisBlock(timestamp: bigint): SimBlock {
  return buildBlock({ parentHash: ZERO_HASH, number: 0n, timestamp, payloadBytes: 0, salt: 'genesis' });
}

export interface BuildBlockParams {
  readonly parentHash: Hex;
  readonly number: bigint;
  readonly timestamp: bigint;
  /** Bytes of opaque transaction data to carry, to exercise large commits (split in 32 KiB "transactions"). */
  readonly payloadBytes: number;
  /** Distinguishes blocks built by different sequencers at the same height (so a reorg would be visible). */
  readonly salt: string;
  /**
   * A list from `fillerTransactions` to carry instead of `payloadBytes` of fresh filler: its root is hashed
   * once, not per block (JS keccak costs about 0.4 ms per KB, too slow for 1 MB blocks every 250 ms).
   */
  readonly transactions?: readonly Hex[];
}

const TX_CHUNK_BYTES = 32 * 1024;

/** Opaque transactions totalling `bytes`, for reuse across many blocks (benchmarks); the root is cached. */
export function fillerTransactions(bytes: number, salt: string): readonly Hex[] {
  const txs = Object.freeze(
    fillTransactions(keccak256(new TextEncoder().encode(`filler/${salt}/${bytes}`)), bytes),
  );
  reusedTxRoots.set(txs, transactionsRoot(txs));
  return txs;
}

function fillTransactions(seed: Hex, bytes: number): Hex[] {
  const transactions: Hex[] = [];
  for (let left = bytes, i = 0; left > 0; i++) {
    const n = Math.min(left, TX_CHUNK_BYTES);
    const tx = new Uint8Array(n);
    // Deterministic filler from a xorshift32 seeded by the block seed: cheap, and different for each block.
    let x = (Number.parseInt(seed.slice(2, 10), 16) ^ (i * 0x9e3779b9)) >>> 0 || 1;
    for (let j = 0; j < n; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      tx[j] = x & 0xff;
    }
    transactions.push(bytesToHex(tx));
    left -= n;
  }
  return transactions;
}

export function buildBlock(params: BuildBlockParams): SimBlock {
  const seed = keccak256(new TextEncoder().encode(`${params.salt}/${params.number}/${params.parentHash}`));
  const transactions = params.transactions ?? fillTransactions(seed, params.payloadBytes);
  const base = {
    parentHash: params.parentHash,
    feeRecipient: FEE_RECIPIENT,
    stateRoot: keccak256(concatHex([seed, '0x01'])),
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: EMPTY_BLOOM,
    prevRandao: keccak256(concatHex([seed, '0x02'])),
    blockNumber: numberToHex(params.number),
    gasLimit: numberToHex(GAS_LIMIT),
    gasUsed: numberToHex(21_000n * BigInt(transactions.length)),
    timestamp: numberToHex(params.timestamp),
    extraData: '0x' as Hex,
    baseFeePerGas: numberToHex(BASE_FEE),
    transactions,
    withdrawals: [],
    blobGasUsed: '0x0' as Hex,
    excessBlobGas: '0x0' as Hex,
  };
  const parentBeaconBlockRoot = keccak256(concatHex([seed, '0x03']));
  const hash = headerHash({ ...base, blockHash: ZERO_HASH }, parentBeaconBlockRoot);
  const executionPayload: ExecutionPayloadJson = { ...base, blockHash: hash };
  return {
    number: params.number,
    hash,
    parentHash: params.parentHash,
    timestamp: params.timestamp,
    envelope: { parentBeaconBlockRoot, executionPayload },
  };
}

/** Recomputes the hash of a posted envelope; op-node rejects a mismatch with `payload has bad block hash`. */
export function verifyEnvelopeHash(env: ExecutionPayloadEnvelopeJson): boolean {
  if (!env.parentBeaconBlockRoot) return false;
  return headerHash(env.executionPayload, env.parentBeaconBlockRoot) === env.executionPayload.blockHash;
}

export function blockFromEnvelope(env: ExecutionPayloadEnvelopeJson): SimBlock {
  const p = env.executionPayload;
  return {
    number: BigInt(p.blockNumber),
    hash: p.blockHash,
    parentHash: p.parentHash,
    timestamp: BigInt(p.timestamp),
    envelope: env,
  };
}
