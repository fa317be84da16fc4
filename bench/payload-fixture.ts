// Synthetic but valid V3 ExecutionPayloadEnvelope JSON of roughly `bytes` SSZ size (transactions of
// `txBytes` each), for the commit benchmarks.
import { randomBytes } from 'node:crypto';

const hex = (n: number) => `0x${randomBytes(n).toString('hex')}`;

export function envelopeJson(bytes: number, txBytes = 1024): Record<string, unknown> {
  const txCount = Math.max(1, Math.floor(bytes / txBytes));
  return {
    parentBeaconBlockRoot: hex(32),
    executionPayload: {
      parentHash: hex(32),
      feeRecipient: hex(20),
      stateRoot: hex(32),
      receiptsRoot: hex(32),
      logsBloom: hex(256),
      prevRandao: hex(32),
      blockNumber: '0x10',
      gasLimit: '0x1c9c380',
      gasUsed: '0x5208',
      timestamp: '0x6553f100',
      extraData: '0x',
      baseFeePerGas: '0x7',
      blockHash: hex(32),
      transactions: Array.from({ length: txCount }, () => hex(txBytes)),
      withdrawals: [],
      blobGasUsed: '0x0',
      excessBlobGas: '0x0',
    },
  };
}
