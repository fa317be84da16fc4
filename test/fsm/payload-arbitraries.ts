/** fast-check generators of committable envelopes, shared by the codec, layout and FSM tests. */
import fc from 'fast-check';
import { hexToBytes } from 'viem';
import type { ExecutionPayloadEnvelope } from '../../src/fsm/payload-codec.ts';

export const bytesN = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const withdrawalArb = fc.record({ index: u64, validatorIndex: u64, address: bytesN(20), amount: u64 });
export const EMPTY_TRIE = hexToBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');

/** Envelopes that Go can commit: V3 (blob fields, withdrawals) or V4 (plus a non-empty-trie root). */
export const committableArb: fc.Arbitrary<ExecutionPayloadEnvelope> = fc
  .record({
    root: bytesN(32),
    parentHash: bytesN(32),
    feeRecipient: bytesN(20),
    stateRoot: bytesN(32),
    receiptsRoot: bytesN(32),
    logsBloom: bytesN(256),
    prevRandao: bytesN(32),
    blockNumber: u64,
    gasLimit: u64,
    gasUsed: u64,
    timestamp: u64,
    extraData: fc.uint8Array({ maxLength: 32 }),
    baseFeePerGas: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
    blockHash: bytesN(32),
    transactions: fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
    withdrawals: fc.array(withdrawalArb, { maxLength: 16 }),
    blobGasUsed: u64,
    excessBlobGas: u64,
    withdrawalsRoot: fc.option(bytesN(32), { nil: undefined }),
  })
  .map(({ root, withdrawalsRoot, ...p }) => ({
    parentBeaconBlockRoot: root,
    executionPayload: withdrawalsRoot === undefined ? p : { ...p, withdrawalsRoot },
  }));
