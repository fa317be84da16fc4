// The decode worker's fast commit path (lifted transaction array + SSZ assembled from byte ranges) against the
// exact path (JSON.parse of the whole body + the codec): same answer for every body — valid commits in any
// formatting, other calls, duplicate keys, extra string arrays, and bodies broken byte by byte — and the fast
// path really is taken for ordinary commit bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bytesToHex } from 'viem';
import { envelopeJson } from '../../bench/payload-fixture.ts';
import { encodePayloadForCommit, envelopeToJson } from '../../src/fsm/payload-codec.ts';
import {
  decodeCommitFast,
  decodeJsonBody,
  decodeJsonBodyExact,
} from '../../src/rpc/offload/decode-json-body.ts';
import { liftedArrayBytesMin, liftStringArrays } from '../../src/rpc/offload/json-skeleton.ts';
import type { DecodeResponse } from '../../src/rpc/offload/protocol.ts';
import { committableArb } from '../fsm/payload-arbitraries.ts';

const COMMIT = 'conductor_commitUnsafePayload';

/** The answer with the SSZ as hex (Buffer vs Uint8Array must not matter). */
function comparable(r: DecodeResponse): unknown {
  if (r.kind !== 'commit') return r;
  const { encoded, ...rest } = r.message;
  return {
    ...r,
    message: {
      ...rest,
      ...(encoded && { encoded: { ...encoded, ssz: Buffer.from(encoded.ssz).toString('hex') } }),
    },
  };
}

/** Answers compared as JSON text: assert's diff of two large values takes minutes. */
function assertSameAnswer(body: Buffer): DecodeResponse {
  const exact = decodeJsonBodyExact(1, body);
  const want = JSON.stringify(comparable(exact), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const got = JSON.stringify(comparable(decodeJsonBody(1, body)), (_k, v) =>
    typeof v === 'bigint' ? `${v}n` : v,
  );
  if (got !== want) {
    assert.fail(`fast path answered ${got.slice(0, 300)}\nexact path answered ${want.slice(0, 300)}`);
  }
  return exact;
}

/** Transaction lists that are lifted (≥ liftedArrayBytesMin of hex) about half of the time. */
const bigTxs = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(fc.uint8Array({ maxLength: 1500, size: 'max' }), { maxLength: 6, size: 'max' }),
  },
  { weight: 1, arbitrary: fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 4 }) },
);
/** True one time in `n`. */
const oneIn = (n: number) => fc.nat(n - 1).map((k) => k === 0);

interface Shape {
  readonly indent: undefined | number | string;
  readonly upperTx: number;
  readonly prefix0X: boolean;
  readonly id: unknown;
  readonly method: string;
  readonly extraParam: boolean;
  readonly junkArray: boolean;
  readonly dupTransactions: 'none' | 'small' | 'big';
  /** A transaction string spoiled the ways parseBytes refuses (or one it accepts: `0X`). */
  readonly txDefect: { readonly index: number; readonly kind: TxDefect } | undefined;
}

const TX_DEFECTS = [
  'no-prefix',
  '1x',
  '0y',
  '00',
  'x-only',
  'odd',
  'non-hex',
  'space',
  'empty',
  'upper-X',
] as const;
type TxDefect = (typeof TX_DEFECTS)[number];

function spoil(tx: string, kind: TxDefect): string {
  switch (kind) {
    case 'no-prefix':
      return tx.slice(2);
    case '1x':
      return `1${tx.slice(1)}`;
    case '0y':
      return `0y${tx.slice(2)}`;
    case '00':
      return `00${tx.slice(2)}`;
    case 'x-only':
      return tx.slice(1);
    case 'odd':
      return `${tx}a`;
    case 'non-hex':
      return `${tx.slice(0, -1)}g`;
    case 'space':
      return `${tx} `;
    case 'empty':
      return '';
    case 'upper-X':
      return `0X${tx.slice(2)}`;
  }
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  indent: fc.constantFrom(undefined, 0, 2, '\t', '\n', ' \r\n'),
  upperTx: fc.nat(8),
  prefix0X: fc.boolean(),
  id: fc.oneof(
    fc.integer(),
    fc.string({ unit: fc.constantFrom('a', '7', '"', '\\', 'é') }),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant('x'.repeat(9000)),
  ),
  method: oneIn(10).map((other) => (other ? 'conductor_leader' : COMMIT)),
  extraParam: oneIn(10),
  junkArray: oneIn(8),
  dupTransactions: fc.constantFrom('none', 'none', 'none', 'none', 'small', 'big'),
  txDefect: fc.option(fc.record({ index: fc.nat(6), kind: fc.constantFrom(...TX_DEFECTS) }), {
    nil: undefined,
    freq: 2,
  }),
});

function bodyOf(env: ReturnType<typeof envelopeToJson>, shape: Shape): string {
  const txs = env.executionPayload.transactions.map((t, i) => {
    let s: string = i === shape.upperTx ? `0x${t.slice(2).toUpperCase()}` : t;
    if (shape.prefix0X && i === 0) s = `0X${s.slice(2)}`;
    return shape.txDefect?.index === i ? spoil(s, shape.txDefect.kind) : s;
  });
  const payload: Record<string, unknown> = {
    ...env,
    executionPayload: { ...env.executionPayload, transactions: txs },
  };
  if (shape.junkArray)
    payload.junk = Array.from({ length: 3 }, () => `0x${'ab'.repeat(liftedArrayBytesMin)}`);
  const msg: Record<string, unknown> = {
    jsonrpc: '2.0',
    method: shape.method,
    params: shape.extraParam ? [payload, 1] : [payload],
  };
  if (shape.id !== undefined) msg.id = shape.id;
  let text = JSON.stringify(msg, null, shape.indent);
  if (shape.dupTransactions !== 'none') {
    // An earlier duplicate key: JSON.parse keeps the last one.
    const dup = shape.dupTransactions === 'big' ? `["0x${'cd'.repeat(liftedArrayBytesMin)}"]` : '["0x00"]';
    text = text.replace(/"executionPayload":\s*\{/, (m) => `${m}"transactions":${dup},`);
  }
  return text;
}

const MUTATION_CHARS = [
  '\\',
  '"',
  ',',
  ' ',
  '\u0001',
  '\u000b',
  '\u000c',
  'é',
  ']',
  '[',
  '0',
  'g',
  'x',
  '}',
  '\n',
  ':',
];
const mutationArb = fc.record({
  /** `separator`: replace one of the `[`, `,`, `]` or quotes of the region (the lexing the fast path does). */
  kind: fc.constantFrom('insert', 'replace', 'delete', 'separator'),
  /** Half of the mutations land in the (last) transactions array, where the fast path does its own lexing. */
  inTransactions: fc.boolean(),
  at: fc.nat(),
  char: fc.constantFrom(...MUTATION_CHARS),
});

function mutate(
  text: string,
  m: { kind: string; inTransactions: boolean; at: number; char: string },
): string {
  const from = m.inTransactions ? Math.max(0, text.lastIndexOf('"transactions"')) : 0;
  const to = m.inTransactions ? text.indexOf(']', from) + 1 || text.length : text.length;
  if (m.kind === 'separator') {
    const marks = [...text.slice(from, to).matchAll(/[[\],"]/g)].map((x) => from + (x.index ?? 0));
    const at = marks[m.at % Math.max(1, marks.length)];
    return at === undefined ? text : text.slice(0, at) + m.char + text.slice(at + 1);
  }
  const at = from + (m.at % (to - from + 1));
  if (m.kind === 'insert') return text.slice(0, at) + m.char + text.slice(at);
  if (m.kind === 'replace') return text.slice(0, at) + m.char + text.slice(at + 1);
  return text.slice(0, at) + text.slice(at + 1);
}

const envWithBigTxs = fc
  .tuple(committableArb, bigTxs)
  .map(([env, transactions]) =>
    envelopeToJson({ ...env, executionPayload: { ...env.executionPayload, transactions } }),
  );

describe('decode worker: fast commit path ≡ exact path', () => {
  it('well-formed bodies of every shape', () => {
    fc.assert(
      fc.property(envWithBigTxs, shapeArb, (env, shape) => {
        assertSameAnswer(Buffer.from(bodyOf(env, shape)));
      }),
      { numRuns: 600, endOnFailure: true },
    );
  });

  it('bodies broken byte by byte (escapes, quotes, control and non-ASCII characters, structure)', () => {
    fc.assert(
      fc.property(
        envWithBigTxs,
        shapeArb,
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        (env, shape, ms) => {
          assertSameAnswer(Buffer.from(ms.reduce(mutate, bodyOf(env, shape))));
        },
      ),
      { numRuns: 1500, endOnFailure: true },
    );
  });

  it('bodies the lexing could misread: escapes, raw control characters in lifted strings', () => {
    const env = envelopeJson(20_000) as { executionPayload: { transactions: string[] } };
    const msg = (params: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: COMMIT, params: [params], ...extra });
    const big = `0x${'ab'.repeat(liftedArrayBytesMin)}`;
    const bodies = [
      // An id that is an escaped JSON array of long hex strings.
      msg(env, { id: JSON.stringify([big, big]) }),
      // Transactions written with \u escapes of hex digits (valid, equal to the plain text).
      msg(env).replace('"0x', '"0x\\u0061\\u0062'),
      // A raw control character inside a lifted array that is not the transactions: invalid JSON.
      msg({ ...env, junk: [big, `${big}\u0001`] }),
      msg({ ...env, junk: [big, big] }).replace(`${big}"]`, `${big}\u000b"]`),
      // Whitespace that JSON does not allow between the strings of the array.
      msg(env).replace('","', '",\u000b"'),
      msg(env).replace('","', '"\u000c,"'),
    ];
    for (const text of bodies) assertSameAnswer(Buffer.from(text));
  });

  it('codec errors keep their exact text (the fast path declines)', () => {
    const env = envelopeJson(50_000) as { executionPayload: Record<string, unknown> };
    const cases: [string, unknown][] = [
      ['blockNumber', '0x01'],
      ['withdrawals', undefined],
      ['blobGasUsed', null],
      ['parentHash', '0x12'],
    ];
    for (const [field, value] of cases) {
      const bad = { ...env, executionPayload: { ...env.executionPayload, [field]: value } };
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: COMMIT, params: [bad] }));
      const r = assertSameAnswer(body);
      assert.ok(r.kind === 'commit' && r.message.error, field);
    }
    const badTx = structuredClone(env) as { executionPayload: { transactions: string[] } };
    badTx.executionPayload.transactions[3] = `${badTx.executionPayload.transactions[3]}zz`;
    const r = assertSameAnswer(
      Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: COMMIT, params: [badTx] })),
    );
    assert.ok(r.kind === 'commit' && r.message.error?.message.includes('transactions[3]'));
  });
});

describe('decode worker: the fast path is taken for ordinary commit bodies', () => {
  it('the bench fixture and every formatting of a valid commit', () => {
    for (const [size, txBytes] of [
      [100_000, 1024],
      [600_000, 200],
      [2_000_000, 1024],
    ] as const) {
      const json = envelopeJson(size, txBytes);
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 9, method: COMMIT, params: [json] }));
      const fast = decodeCommitFast(1, body);
      assert.ok(fast?.kind === 'commit' && fast.message.encoded, `${size}/${txBytes}`);
      assert.equal(bytesToHex(fast.message.encoded.ssz), bytesToHex(encodePayloadForCommit(json).ssz));
      assert.equal(fast.message.id, 9);
    }
    fc.assert(
      fc.property(
        envWithBigTxs.filter(
          (e) => e.executionPayload.transactions.join('').length >= liftedArrayBytesMin + 8,
        ),
        shapeArb.map((s) => ({ ...s, method: COMMIT, extraParam: false, junkArray: false })),
        (env, shape) => {
          const body = Buffer.from(
            bodyOf(env, { ...shape, dupTransactions: 'none', id: 1, txDefect: undefined }),
          );
          assert.ok(liftStringArrays(body), 'the transactions are lifted');
          assert.notEqual(decodeCommitFast(1, body), undefined);
        },
      ),
      { numRuns: 100, endOnFailure: true },
    );
  });
});
