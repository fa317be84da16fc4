/**
 * The payload codec against Go's own bytes (go-ssz-vectors.json: op-service eth/ssz.go output) and
 * op-alloy's real gossip messages, plus fast-check round trips and Go's decode-error texts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import {
  decodeEnvelope,
  encodeEnvelope,
  encodePayloadForCommit,
  envelopeFromJson,
  envelopeToJson,
  PayloadCodecError,
  payloadHead,
  validateSszForCommit,
} from '../../src/fsm/payload-codec.ts';
import { ExecutionPayloadV1Ssz, ExecutionPayloadV2Ssz } from '../../src/fsm/payload-ssz-types.ts';
import { committableArb, EMPTY_TRIE } from './payload-arbitraries.ts';

const VECTORS_DIR = '/work/shared/testdata/ssz';

interface GoVector {
  readonly name: string;
  readonly envelope: Record<string, unknown>;
  readonly ssz?: Hex;
  readonly decoded_as?: 'V3' | 'V4';
  readonly roundtrip: boolean;
  readonly error?: string;
}

const goVectors = (
  JSON.parse(readFileSync(`${VECTORS_DIR}/go-ssz-vectors.json`, 'utf8')) as { vectors: GoVector[] }
).vectors;

/** Go's JSON output of a decoded envelope: what we expect from envelopeToJson after a V3 decode. */
function expectedJsonAfterDecode(v: GoVector): unknown {
  const env = structuredClone(v.envelope) as { executionPayload: Record<string, unknown> };
  if (v.decoded_as === 'V3') delete env.executionPayload.withdrawalsRoot;
  return lowercase(env);
}

function lowercase(x: unknown): unknown {
  if (typeof x === 'string') return x.toLowerCase();
  if (Array.isArray(x)) return x.map(lowercase);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, lowercase(v)]));
  }
  return x;
}

describe('go-ssz-vectors (op-service eth/ssz.go bytes)', () => {
  it('has the expected vector set', () => {
    assert.equal(goVectors.length, 36);
  });
  for (const v of goVectors) {
    it(v.name, () => {
      if (v.error !== undefined) {
        assert.throws(
          () => encodeEnvelope(envelopeFromJson(v.envelope)),
          (e: unknown) => e instanceof PayloadCodecError && e.message === v.error,
        );
        return;
      }
      const want = hexToBytes(v.ssz as Hex);
      const got = encodeEnvelope(envelopeFromJson(v.envelope));
      assert.equal(bytesToHex(got), v.ssz, 'JSON → SSZ must equal Go bytes');
      if (v.decoded_as === undefined) {
        // V1/V2 bytes: Go's V4-then-V3 decode rejects them, and so must we.
        assert.throws(() => decodeEnvelope(want), PayloadCodecError);
        assert.throws(() => encodePayloadForCommit(v.envelope), PayloadCodecError);
        return;
      }
      const decoded = decodeEnvelope(want);
      assert.equal(decoded.executionPayload.withdrawalsRoot !== undefined, v.decoded_as === 'V4');
      assert.equal(bytesToHex(encodeEnvelope(decoded)), v.ssz, 'SSZ → decode → SSZ must be identical');
      assert.deepEqual(envelopeToJson(decoded), expectedJsonAfterDecode(v));
      const committed = encodePayloadForCommit(v.envelope);
      assert.equal(bytesToHex(committed.ssz), v.ssz);
      assert.equal(committed.blockHash, (v.envelope.executionPayload as { blockHash: string }).blockHash);
      const validated = validateSszForCommit(want);
      assert.equal(validated.ssz, want, 'validateSszForCommit returns the same buffer');
      assert.equal(validated.blockNumber, committed.blockNumber);
      assert.equal(payloadHead(decoded).blockHash, committed.blockHash);
    });
  }
});

/** Snappy *block* format decoder (gossip payloads are block-compressed); test-only. */
function snappyUncompress(src: Uint8Array): Uint8Array {
  let pos = 0;
  let len = 0;
  for (let shift = 0; ; shift += 7) {
    const b = src[pos++] as number;
    len |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(len);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++] as number;
    if ((tag & 3) === 0) {
      let n = tag >> 2;
      if (n >= 60) {
        const extra = n - 59;
        n = 0;
        for (let i = 0; i < extra; i++) n |= (src[pos++] as number) << (8 * i);
      }
      n += 1;
      out.set(src.subarray(pos, pos + n), o);
      pos += n;
      o += n;
      continue;
    }
    let n: number;
    let off: number;
    if ((tag & 3) === 1) {
      n = 4 + ((tag >> 2) & 7);
      off = ((tag >> 5) << 8) | (src[pos++] as number);
    } else if ((tag & 3) === 2) {
      n = (tag >> 2) + 1;
      off = (src[pos] as number) | ((src[pos + 1] as number) << 8);
      pos += 2;
    } else {
      n = (tag >> 2) + 1;
      off = new DataView(src.buffer, src.byteOffset + pos, 4).getUint32(0, true);
      pos += 4;
    }
    for (let i = 0; i < n; i++, o++) out[o] = out[o - off] as number;
  }
  assert.equal(o, len, 'snappy output length');
  return out;
}

interface GossipVector {
  readonly name: string;
  readonly version: 1 | 2 | 3;
  readonly timestamp: number;
  readonly snappy: Hex;
}
const gossipVectors = (
  JSON.parse(readFileSync(`${VECTORS_DIR}/op-alloy-gossip-vectors.json`, 'utf8')) as {
    vectors: GossipVector[];
  }
).vectors;
const signatureBytes = 65;

describe('op-alloy gossip vectors (real OP Stack SSZ)', () => {
  it('has three vectors', () => assert.equal(gossipVectors.length, 3));
  for (const g of gossipVectors) {
    it(`gossip ${g.name}`, () => {
      const ssz = snappyUncompress(hexToBytes(g.snappy)).subarray(signatureBytes);
      if (g.version === 3) {
        const env = decodeEnvelope(ssz);
        assert.equal(env.executionPayload.timestamp, BigInt(g.timestamp));
        assert.deepEqual(encodeEnvelope(env), Uint8Array.from(ssz));
        assert.deepEqual(encodeEnvelope(envelopeFromJson(envelopeToJson(env))), Uint8Array.from(ssz));
        return;
      }
      // V1/V2 gossip carries the bare payload: our V1/V2 encoder must reproduce it behind a root.
      const type = g.version === 1 ? ExecutionPayloadV1Ssz : ExecutionPayloadV2Ssz;
      const payload = type.deserialize(ssz);
      assert.equal(payload.timestamp, BigInt(g.timestamp));
      const root = new Uint8Array(32).fill(7);
      const env = envelopeFromJson({
        parentBeaconBlockRoot: bytesToHex(root),
        executionPayload: envelopeToJson({ parentBeaconBlockRoot: root, executionPayload: payload })
          .executionPayload,
      });
      const bytes = encodeEnvelope(env);
      assert.deepEqual(bytes.subarray(32), Uint8Array.from(ssz));
      assert.throws(() => decodeEnvelope(bytes), PayloadCodecError, 'V1/V2 are not committable');
    });
  }
});

// ---- property tests -------------------------------------------------------------------------

describe('payload codec properties (fast-check)', () => {
  it('SSZ round-trips byte-identically and preserves every field', () => {
    fc.assert(
      fc.property(committableArb, (env) => {
        const bytes = encodeEnvelope(env);
        const back = decodeEnvelope(bytes);
        assert.deepEqual(encodeEnvelope(back), bytes);
        assert.deepEqual(envelopeToJson(back), envelopeToJson(env));
        assert.deepEqual(validateSszForCommit(bytes).blockNumber, env.executionPayload.blockNumber);
      }),
      { numRuns: 200 },
    );
  });

  it('JSON round-trips through envelopeFromJson/envelopeToJson', () => {
    fc.assert(
      fc.property(committableArb, (env) => {
        const json = envelopeToJson(env);
        const again = envelopeFromJson(JSON.parse(JSON.stringify(json)));
        assert.deepEqual(envelopeToJson(again), json);
        assert.deepEqual(encodePayloadForCommit(json).ssz, encodeEnvelope(env));
      }),
      { numRuns: 200 },
    );
  });

  it('a withdrawalsRoot equal to the empty-trie hash is dropped (encoded as V3, Go quirk)', () => {
    fc.assert(
      fc.property(committableArb, (env) => {
        const v4 = { ...env, executionPayload: { ...env.executionPayload, withdrawalsRoot: EMPTY_TRIE } };
        const { withdrawalsRoot: _dropped, ...v3payload } = v4.executionPayload;
        const bytes = encodeEnvelope(v4);
        assert.deepEqual(bytes, encodeEnvelope({ ...env, executionPayload: v3payload }));
        assert.equal(decodeEnvelope(bytes).executionPayload.withdrawalsRoot, undefined);
      }),
      { numRuns: 50 },
    );
  });

  it('truncated or corrupted bytes either throw PayloadCodecError or decode to exactly those bytes', () => {
    const decodesToItself = (bytes: Uint8Array) => {
      try {
        assert.deepEqual(encodeEnvelope(decodeEnvelope(bytes)), bytes);
      } catch (e) {
        assert.ok(e instanceof PayloadCodecError, String(e));
      }
    };
    fc.assert(
      fc.property(committableArb, fc.nat(), fc.nat(255), (env, at, value) => {
        const bytes = encodeEnvelope(env);
        // A cut on a withdrawal boundary is a valid shorter payload (Go accepts it too).
        decodesToItself(bytes.slice(0, at % bytes.length));
        const mutated = Uint8Array.from(bytes);
        mutated[at % bytes.length] = value;
        decodesToItself(mutated);
      }),
      { numRuns: 300 },
    );
  });
  it('cutting into the fixed part always fails', () => {
    fc.assert(
      fc.property(committableArb, fc.nat(32 + 527), (env, at) => {
        assert.throws(() => decodeEnvelope(encodeEnvelope(env).subarray(0, at)), PayloadCodecError);
      }),
      { numRuns: 100 },
    );
  });
});

// ---- Go error texts and JSON edge validation -------------------------------------------------

function sampleV3(): { ssz: Uint8Array; json: Record<string, unknown> } {
  const v = goVectors.find((x) => x.name === 'v3-typical-op-block') as GoVector;
  return { ssz: hexToBytes(v.ssz as Hex), json: v.envelope };
}

function withU32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  new DataView(out.buffer).setUint32(at, value, true);
  return out;
}

describe('decode errors carry Go texts', () => {
  const rootPlus = (n: number) => 32 + n;
  it('too short for the root', () => {
    assert.throws(() => decodeEnvelope(new Uint8Array(5)), /scope too small to decode execution payload: 5/);
  });
  it('V3 layout errors are reported (the V4 attempt fails first)', () => {
    const { ssz } = sampleV3();
    assert.throws(
      () => decodeEnvelope(withU32(ssz, rootPlus(436), 500)),
      /^Error: unexpected extra data offset: 500 <> 528$|unexpected extra data offset: 500 <> 528/,
    );
    assert.throws(
      () => decodeEnvelope(withU32(ssz, rootPlus(504), 100)),
      /transactions offset is smaller than extra data offset, aborting/,
    );
    assert.throws(() => decodeEnvelope(withU32(ssz, rootPlus(504), 528 + 33)), /extra-data is too large: 33/);
    assert.throws(
      () => decodeEnvelope(withU32(ssz, rootPlus(508), 528)),
      /withdrawals offset is smaller than transaction offset, aborting/,
    );
    assert.throws(
      () => decodeEnvelope(withU32(ssz, rootPlus(508), 1 << 20)),
      /withdrawals offset is too large: 1048576/,
    );
  });
  it('a too-small V3 buffer', () => {
    assert.throws(
      () => decodeEnvelope(new Uint8Array(32 + 100)),
      /scope too small to decode execution payload: 100, version is: 2/,
    );
  });
});

describe('JSON validation at the edge', () => {
  const { json } = sampleV3();
  const payload = json.executionPayload as Record<string, unknown>;
  const withField = (k: string, v: unknown) => ({ ...json, executionPayload: { ...payload, [k]: v } });
  it('missing parentBeaconBlockRoot or payload → missing data', () => {
    for (const bad of [
      { executionPayload: payload },
      { ...json, executionPayload: null },
      { ...json, parentBeaconBlockRoot: null },
    ]) {
      assert.throws(
        () => envelopeFromJson(bad),
        (e: unknown) =>
          e instanceof PayloadCodecError &&
          e.code === 'MISSING_DATA' &&
          e.message === 'execution payload envelope is missing data',
      );
    }
  });
  const cases: [string, unknown, RegExp][] = [
    ['blockNumber', '0x01', /executionPayload\.blockNumber: .*leading zeros/],
    ['blockNumber', '0x', /executionPayload\.blockNumber/],
    ['blockNumber', 12, /executionPayload\.blockNumber: expected a hex quantity string/],
    ['gasLimit', '0x10000000000000000', /executionPayload\.gasLimit: exceeds 64 bits/],
    ['baseFeePerGas', `0x1${'0'.repeat(64)}`, /executionPayload\.baseFeePerGas: exceeds 256 bits/],
    ['parentHash', '0x1234', /executionPayload\.parentHash: expected 32 bytes, got 2/],
    [
      'feeRecipient',
      '4200000000000000000000000000000000000011',
      /executionPayload\.feeRecipient: not a 0x-prefixed hex string/,
    ],
    ['extraData', `0x${'ab'.repeat(33)}`, /executionPayload\.extraData: 33 bytes exceeds 32/],
    ['transactions', ['0xabc'], /executionPayload\.transactions\[0\]: hex string of odd length/],
    ['transactions', undefined, /executionPayload\.transactions: expected an array/],
    [
      'withdrawals',
      [{ index: '0x0', validatorIndex: '0x0', address: '0x00', amount: '0x0' }],
      /withdrawals\[0\]\.address: expected 20 bytes/,
    ],
  ];
  for (const [field, value, re] of cases) {
    it(`rejects ${field}=${JSON.stringify(value)}`, () => {
      assert.throws(
        () => envelopeFromJson(withField(field, value)),
        (e: unknown) => e instanceof PayloadCodecError && e.code === 'INVALID_JSON' && re.test(e.message),
      );
    });
  }
  it('accepts upper-case hex and writes lower-case (as Go)', () => {
    const upper = withField('blockHash', (payload.blockHash as string).toUpperCase().replace('0X', '0x'));
    assert.equal(
      envelopeToJson(envelopeFromJson(upper)).executionPayload.blockHash,
      (payload.blockHash as string).toLowerCase(),
    );
  });
});

describe('performance sanity', () => {
  it('a 2 MB payload encodes and decodes byte-identically', () => {
    const { json } = sampleV3();
    const txs = Array.from({ length: 1000 }, (_, i) => bytesToHex(new Uint8Array(2000).fill(i & 0xff)));
    const big = { ...json, executionPayload: { ...(json.executionPayload as object), transactions: txs } };
    const bytes = encodePayloadForCommit(big).ssz;
    assert.ok(bytes.length > 2_000_000);
    assert.deepEqual(encodeEnvelope(decodeEnvelope(bytes)), bytes);
  });
});
