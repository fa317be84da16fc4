/**
 * Payload codec throughput: JSON → SSZ (encodePayloadForCommit), SSZ → decoded (decodeEnvelope),
 * SSZ validation (validateSszForCommit) and the head read the FSM applies with (envelopeHead) for ~2 MB
 * and ~100 KB payloads. Prints median milliseconds; no assertions.
 * Run: node --import tsx bench/payload-codec.ts
 */
import { bytesToHex } from 'viem';
import {
  decodeEnvelope,
  encodePayloadForCommit,
  envelopeHead,
  validateSszForCommit,
} from '../src/fsm/payload-codec.ts';

const iterations = 30;

function envelopeJson(txCount: number, txBytes: number) {
  const h = (b: string) => `0x${b.repeat(64)}`;
  return {
    parentBeaconBlockRoot: h('1'),
    executionPayload: {
      parentHash: h('2'),
      feeRecipient: `0x${'42'.repeat(20)}`,
      stateRoot: h('3'),
      receiptsRoot: h('4'),
      logsBloom: `0x${'00'.repeat(256)}`,
      prevRandao: h('5'),
      blockNumber: '0x1234',
      gasLimit: '0x1c9c380',
      gasUsed: '0x10386a4',
      timestamp: '0x66db1d96',
      extraData: '0x',
      baseFeePerGas: '0x5190ac223e',
      blockHash: h('6'),
      transactions: Array.from({ length: txCount }, (_, i) =>
        bytesToHex(new Uint8Array(txBytes).fill(i & 0xff)),
      ),
      withdrawals: [],
      blobGasUsed: '0x0',
      excessBlobGas: '0x0',
      withdrawalsRoot: h('7'),
    },
  };
}

function median(fn: () => void): number {
  const xs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    fn();
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] as number;
}

for (const [label, txCount, txBytes] of [
  ['2 MB (1000 x 2000 B txs)', 1000, 2000],
  ['100 KB (100 x 1000 B txs)', 100, 1000],
] as const) {
  const json = envelopeJson(txCount, txBytes);
  const ssz = encodePayloadForCommit(json).ssz;
  const enc = median(() => encodePayloadForCommit(json));
  const dec = median(() => decodeEnvelope(ssz));
  const val = median(() => validateSszForCommit(ssz));
  const head = median(() => envelopeHead(ssz));
  console.log(
    `${label}: ssz ${ssz.length} B | JSON→SSZ ${enc.toFixed(2)} ms | decode ${dec.toFixed(2)} ms | validate ${val.toFixed(3)} ms | head ${head.toFixed(3)} ms (median of ${iterations})`,
  );
}
