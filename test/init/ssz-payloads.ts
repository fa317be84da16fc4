/**
 * Test data: real SSZ ExecutionPayloadEnvelopes (op-service encoding) with chosen block numbers, built
 * from the shared Go vector `v3-empty-block`; `bigTxBytes` adds one transaction of that size so the
 * raft entry spans several bbolt pages.
 */
import { readFileSync } from 'node:fs';
import { encodePayloadForCommit } from '../../src/fsm/payload-codec.ts';

const VECTORS = '/work/shared/testdata/ssz/go-ssz-vectors.json';

export function envelopeJson(block: number, bigTxBytes = 0): Record<string, unknown> {
  const v = (
    JSON.parse(readFileSync(VECTORS, 'utf8')) as {
      vectors: Array<{ name: string; envelope: Record<string, unknown> }>;
    }
  ).vectors;
  const base = v.find((x) => x.name === 'v3-empty-block')!.envelope;
  const ep = base['executionPayload'] as Record<string, unknown>;
  const hash = `0x${block.toString(16).padStart(64, '0')}`;
  const transactions = bigTxBytes > 0 ? [`0x02${'ab'.repeat(bigTxBytes - 1)}`] : [];
  return {
    ...base,
    executionPayload: { ...ep, blockNumber: `0x${block.toString(16)}`, blockHash: hash, transactions },
  };
}

export function sszPayload(block: number, bigTxBytes = 0): Uint8Array {
  return encodePayloadForCommit(envelopeJson(block, bigTxBytes)).ssz;
}
