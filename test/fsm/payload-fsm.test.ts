/** Mirrors Go's consensus/raft_fsm_test.go (TestUnsafeHeadTracker and its subtests) plus the FSM rules of spec §7.3/7.4. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeEnvelope,
  type ExecutionPayloadEnvelope,
  encodeEnvelope,
  PayloadCodecError,
} from '../../src/fsm/payload-codec.ts';
import { emptyLogDataText, PayloadFsm } from '../../src/fsm/payload-fsm.ts';
import { UnsafePayloadConflictError } from '../../src/fsm/unsafe-payload-conflict-error.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { type LogEntry, LogType } from '../../src/raft/core/types.ts';

/** Go's createPayloadEnvelope(blockNum): V3 with one withdrawal and blob gas 1. */
function createPayloadEnvelope(blockNum: bigint, hashByte = 0x88): ExecutionPayloadEnvelope {
  const z = (n: number) => new Uint8Array(n);
  const hash = z(32);
  hash[31] = hashByte;
  return {
    parentBeaconBlockRoot: Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 0x45 : 0)),
    executionPayload: {
      parentHash: z(32),
      feeRecipient: z(20),
      stateRoot: z(32),
      receiptsRoot: z(32),
      logsBloom: z(256),
      prevRandao: z(32),
      blockNumber: blockNum,
      gasLimit: 0n,
      gasUsed: 0n,
      timestamp: 0n,
      extraData: z(0),
      baseFeePerGas: 0n,
      blockHash: hash,
      transactions: [],
      withdrawals: [{ index: 1n, validatorIndex: 2n, address: z(20), amount: 3n }],
      blobGasUsed: 1n,
      excessBlobGas: 1n,
    },
  };
}

let nextIndex = 1;
function entry(data: Uint8Array, type: LogType = LogType.Command): LogEntry {
  return { index: nextIndex++, term: 1, type, data };
}

function newFsm() {
  const metrics = createMetrics();
  return { fsm: new PayloadFsm({ logger: silentLogger(), metrics }), metrics };
}

describe('TestUnsafeHeadTracker', () => {
  const { fsm, metrics } = newFsm();
  fsm.restore(encodeEnvelope(createPayloadEnvelope(222n)));

  it('Apply', async () => {
    assert.equal(fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(333n)))), undefined);
    assert.equal(fsm.latestHead()?.blockNumber, 333n);
    const m = await metrics.registry.getSingleMetricAsString('op_conductor_fsm_apply_duration_seconds');
    assert.match(m, /op_conductor_fsm_apply_duration_seconds_count 1/);
  });

  it('Snapshot', () => {
    assert.deepEqual(fsm.snapshot(), encodeEnvelope(createPayloadEnvelope(333n)));
  });

  it('Restore', () => {
    fsm.restore(encodeEnvelope(createPayloadEnvelope(333n)));
    assert.equal(fsm.latestHead()?.blockNumber, 333n);
  });

  it('EnsureSnapshotSafety', () => {
    const buf = encodeEnvelope(createPayloadEnvelope(444n));
    assert.equal(fsm.apply(entry(buf)), undefined);
    assert.equal(fsm.latestHead()?.blockNumber, 444n);
    const snap = fsm.snapshot();
    const buf2 = encodeEnvelope(createPayloadEnvelope(555n));
    assert.equal(fsm.apply(entry(buf2)), undefined);
    assert.equal(fsm.latestHead()?.blockNumber, 555n);
    // A snapshot taken before is not affected by later applies.
    assert.deepEqual(snap, buf);
    assert.notDeepEqual(snap, buf2);
    assert.deepEqual(fsm.snapshot(), buf2);
  });
});

describe('payload FSM rules', () => {
  it('empty data returns `log data is nil or empty` and keeps state', () => {
    const { fsm } = newFsm();
    const err = fsm.apply(entry(new Uint8Array(0)));
    assert.ok(err instanceof Error);
    assert.equal(err.message, emptyLogDataText);
    assert.equal(fsm.latest(), undefined);
    assert.equal(fsm.snapshot(), undefined);
  });

  it('undecodable data returns the decode error and keeps state', () => {
    const { fsm } = newFsm();
    fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(10n))));
    const err = fsm.apply(entry(new Uint8Array(100).fill(1)));
    assert.ok(err instanceof PayloadCodecError);
    assert.equal(fsm.latestHead()?.blockNumber, 10n);
  });

  it('refusals carry the full decoder’s exact error (apply returns it, restore throws it)', () => {
    const good = encodeEnvelope(createPayloadEnvelope(10n));
    const withU32 = (at: number, v: number) => {
      const b = Uint8Array.from(good);
      new DataView(b.buffer).setUint32(at, v, true);
      return b;
    };
    for (const bad of [
      new Uint8Array(5),
      new Uint8Array(100).fill(1),
      good.subarray(0, good.length - 3),
      withU32(32 + 504, 100),
      withU32(32 + 508, 1 << 20),
    ]) {
      const { fsm } = newFsm();
      let want: Error | undefined;
      try {
        decodeEnvelope(bad);
      } catch (e) {
        want = e as Error;
      }
      assert.ok(want instanceof PayloadCodecError);
      const err = fsm.apply(entry(bad));
      assert.ok(err instanceof PayloadCodecError);
      assert.equal(err.message, want.message);
      assert.equal(err.code, want.code);
      assert.throws(
        () => fsm.restore(bad),
        (e: unknown) => (e as Error).message === want.message,
      );
    }
  });

  it('latest() is the full decode of the stored bytes, decoded once per stored head', () => {
    const { fsm } = newFsm();
    const a = encodeEnvelope(createPayloadEnvelope(20n, 0x0a));
    fsm.apply(entry(a));
    const first = fsm.latest();
    assert.deepEqual(first, decodeEnvelope(a));
    assert.equal(fsm.latest(), first, 'cached');
    const b = encodeEnvelope(createPayloadEnvelope(21n, 0x0b));
    fsm.apply(entry(b));
    assert.deepEqual(fsm.latest(), decodeEnvelope(b));
    assert.equal(fsm.latestHead()?.blockHash, `0x${'00'.repeat(31)}0b`);
    assert.ok(
      fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(5n)))) instanceof UnsafePayloadConflictError,
    );
    assert.deepEqual(fsm.latest(), decodeEnvelope(b), 'a lower block changes nothing');
  });

  it('latest() refuses bytes that were overwritten after apply instead of serving another block', () => {
    const { fsm } = newFsm();
    const data = encodeEnvelope(createPayloadEnvelope(30n, 0x0c));
    fsm.apply(entry(data));
    data.set(encodeEnvelope(createPayloadEnvelope(30n, 0x0d)));
    assert.throws(() => fsm.latest(), /stored unsafe payload changed after apply/);
  });

  it('apply is monotonic: the same head again succeeds; any other block at or below it is refused', () => {
    const { fsm } = newFsm();
    const head10 = encodeEnvelope(createPayloadEnvelope(10n, 0x01));
    assert.equal(fsm.apply(entry(head10)), undefined);
    assert.equal(
      fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(10n, 0x01)))),
      undefined,
      'a retried commit',
    );
    const lower = fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(9n, 0x02))));
    assert.ok(lower instanceof UnsafePayloadConflictError);
    assert.equal(
      lower.message,
      `unsafe payload 9 0x${'00'.repeat(31)}02 conflicts with the committed unsafe head 10 0x${'00'.repeat(31)}01`,
    );
    const sibling = fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(10n, 0x03))));
    assert.ok(sibling instanceof UnsafePayloadConflictError, 'another block at the same height');
    assert.equal(sibling.committed.blockHash, `0x${'00'.repeat(31)}01`);
    assert.equal(sibling.offered.blockHash, `0x${'00'.repeat(31)}03`);
    assert.equal(fsm.latestHead()?.blockNumber, 10n);
    assert.equal(fsm.latestHead()?.blockHash, `0x${'00'.repeat(31)}01`);
    assert.equal(fsm.snapshot(), head10, 'refusals change nothing');
    assert.equal(fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(11n, 0x04)))), undefined);
    assert.equal(fsm.latestHead()?.blockHash, `0x${'00'.repeat(31)}04`);
  });

  it('non-command entries are ignored', () => {
    const { fsm } = newFsm();
    assert.equal(fsm.apply(entry(new Uint8Array(0), LogType.Noop)), undefined);
    assert.equal(fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(5n)), LogType.Barrier)), undefined);
    assert.equal(fsm.latest(), undefined);
  });

  it('restore replaces unconditionally (even with a lower block) and empty restore clears', () => {
    const { fsm } = newFsm();
    fsm.apply(entry(encodeEnvelope(createPayloadEnvelope(100n))));
    const low = encodeEnvelope(createPayloadEnvelope(50n));
    fsm.restore(low);
    assert.equal(fsm.latestHead()?.blockNumber, 50n);
    assert.equal(fsm.snapshot(), low, 'snapshot returns the restored bytes themselves');
    fsm.restore(new Uint8Array(0));
    assert.equal(fsm.latest(), undefined);
    assert.throws(() => fsm.restore(new Uint8Array(40)), PayloadCodecError);
  });

  it('snapshot → restore round-trip on a fresh FSM gives the same head and bytes', () => {
    const a = newFsm().fsm;
    a.apply(entry(encodeEnvelope(createPayloadEnvelope(77n))));
    const b = newFsm().fsm;
    b.restore(a.snapshot() as Uint8Array);
    assert.deepEqual(b.latestHead(), a.latestHead());
    assert.deepEqual(b.snapshot(), a.snapshot());
  });
});
