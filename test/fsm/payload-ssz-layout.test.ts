/**
 * The structural SSZ check (payload-ssz-layout.ts, envelopeHead) against the full decoder: over valid
 * payloads mutated where it matters (the three container offsets, the transaction offsets, truncation,
 * extension, extra withdrawals, random bytes) both accept exactly the same inputs, read the same head,
 * and refuse with the same error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopeHead,
  PayloadCodecError,
  payloadHead,
  validateSszForCommit,
} from '../../src/fsm/payload-codec.ts';
import {
  committableVersion,
  extraDataOffsetAt,
  headAt,
  rootBytes,
  transactionsOffsetAt,
  withdrawalsOffsetAt,
} from '../../src/fsm/payload-ssz-layout.ts';
import { BlockVersion, fixedPartBytes, withdrawalBytes } from '../../src/fsm/payload-ssz-types.ts';
import { committableArb } from './payload-arbitraries.ts';

type Mutation =
  | { kind: 'offset'; field: number; value: U32Choice }
  | { kind: 'tx-offset'; index: number; value: U32Choice }
  | { kind: 'truncate'; cut: number }
  | { kind: 'extend'; extra: Uint8Array }
  | { kind: 'withdrawals'; count: number }
  | { kind: 'byte'; at: number; value: number };

type U32Choice = { near: number } | { exact: number };

const interesting = [0, 1, 3, 4, ...Object.values(fixedPartBytes), 2 ** 32 - 1];

const u32Choice: fc.Arbitrary<U32Choice> = fc.oneof(
  fc.integer({ min: -48, max: 48 }).map((near) => ({ near })),
  fc.constantFrom(...interesting).map((exact) => ({ exact })),
  fc.nat({ max: 2 ** 32 - 1 }).map((exact) => ({ exact })),
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('offset' as const),
    field: fc.constantFrom(extraDataOffsetAt, transactionsOffsetAt, withdrawalsOffsetAt),
    value: u32Choice,
  }),
  fc.record({ kind: fc.constant('tx-offset' as const), index: fc.nat(16), value: u32Choice }),
  fc.record({ kind: fc.constant('truncate' as const), cut: fc.nat(200) }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ maxLength: 100 }) }),
  fc.record({ kind: fc.constant('withdrawals' as const), count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat(255) }),
);

function setU32(bytes: Uint8Array, at: number, choice: U32Choice): Uint8Array {
  if (at + 4 > bytes.length) return bytes;
  const out = Uint8Array.from(bytes);
  const dv = new DataView(out.buffer);
  const value = 'exact' in choice ? choice.exact : dv.getUint32(at, true) + choice.near;
  dv.setUint32(at, value >>> 0, true);
  return out;
}

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'offset':
      return setU32(bytes, rootBytes + m.field, m.value);
    case 'tx-offset': {
      if (bytes.length < rootBytes + transactionsOffsetAt + 4) return bytes;
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const txStart = rootBytes + dv.getUint32(rootBytes + transactionsOffsetAt, true);
      return setU32(bytes, txStart + 4 * m.index, m.value);
    }
    case 'truncate':
      return bytes.subarray(0, Math.max(0, bytes.length - m.cut));
    case 'extend': {
      const out = new Uint8Array(bytes.length + m.extra.length);
      out.set(bytes);
      out.set(m.extra, bytes.length);
      return out;
    }
    case 'withdrawals':
      return mutate(bytes, { kind: 'extend', extra: new Uint8Array(withdrawalBytes * m.count).fill(3) });
    case 'byte': {
      if (bytes.length === 0) return bytes;
      const out = Uint8Array.from(bytes);
      out[m.at % out.length] = m.value;
      return out;
    }
  }
}

/** The same bytes at a non-zero offset of a larger buffer (apply gets views of transport buffers). */
function atOffset(bytes: Uint8Array, pad: number): Uint8Array {
  const big = new Uint8Array(pad + bytes.length + 3).fill(0xee);
  big.set(bytes, pad);
  return big.subarray(pad, pad + bytes.length);
}

function fullDecode(bytes: Uint8Array) {
  try {
    return { ok: true as const, env: decodeEnvelope(bytes) };
  } catch (e) {
    assert.ok(e instanceof PayloadCodecError, String(e));
    return { ok: false as const, error: e };
  }
}

function assertAgrees(bytes: Uint8Array): void {
  const full = fullDecode(bytes);
  const version = committableVersion(bytes);
  if (full.ok) {
    assert.notEqual(version, undefined, 'the full decoder accepted bytes the layout check refused');
    assert.equal(version === BlockVersion.V4, full.env.executionPayload.withdrawalsRoot !== undefined);
    assert.deepEqual(headAt(bytes), payloadHead(full.env));
    assert.deepEqual(envelopeHead(bytes), payloadHead(full.env));
    assert.equal(validateSszForCommit(bytes).ssz, bytes);
    return;
  }
  assert.equal(version, undefined, `layout check accepted bytes the decoder refuses: ${full.error.message}`);
  assert.throws(
    () => envelopeHead(bytes),
    (e: unknown) =>
      e instanceof PayloadCodecError && e.message === full.error.message && e.code === full.error.code,
  );
}

describe('structural SSZ check ≡ full decode', () => {
  it('valid payloads: same version and head, at any byte offset', () => {
    fc.assert(
      fc.property(committableArb, fc.nat(7), (env, pad) => {
        const bytes = encodeEnvelope(env);
        assertAgrees(bytes);
        assertAgrees(atOffset(bytes, pad));
      }),
      { numRuns: 200 },
    );
  });

  it('mutated payloads: accepted and refused alike, with the decoder’s error', () => {
    fc.assert(
      fc.property(
        committableArb,
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.nat(7),
        (env, mutations, pad) => {
          const bytes = mutations.reduce(mutate, encodeEnvelope(env));
          assertAgrees(bytes);
          assertAgrees(atOffset(bytes, pad));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('short and empty inputs', () => {
    for (const n of [0, 1, 31, 32, 33, 32 + 527, 32 + 528, 32 + 559, 32 + 560]) {
      assertAgrees(new Uint8Array(n));
      assertAgrees(new Uint8Array(n).fill(0xff));
    }
  });
});
