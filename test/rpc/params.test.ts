// Positional parameter decoding must reproduce go-ethereum's -32602 texts (clients and operators read them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RpcError } from '../../src/rpc/json-rpc/errors.ts';
import { decodeParams, type ParamKind, tryDecodeHexUint64 } from '../../src/rpc/json-rpc/params.ts';

function fails(raw: unknown, kinds: ParamKind[], message: string) {
  assert.throws(
    () => decodeParams(raw, kinds),
    (e: unknown) => e instanceof RpcError && e.code === -32602 && e.message === message,
    message,
  );
}

test('absent and null params mean no arguments; non-array params are refused', () => {
  assert.deepEqual(decodeParams(undefined, []), []);
  assert.deepEqual(decodeParams(null, []), []);
  fails({ a: 1 }, [], 'non-array args');
  fails('x', ['string'], 'non-array args');
});

test('missing, extra and mistyped arguments use Go texts, first failure wins', () => {
  fails([], ['bool'], 'missing value for required argument 0');
  fails(['a', 'b'], ['string', 'string', 'uint64'], 'missing value for required argument 2');
  fails([true, 1], ['bool'], 'too many arguments, want at most 1');
});

test('type errors name the JSON kind and the Go type', () => {
  fails(['true'], ['bool'], 'invalid argument 0: json: cannot unmarshal string into Go value of type bool');
  fails([1], ['bool'], 'invalid argument 0: json: cannot unmarshal number into Go value of type bool');
  fails([{}], ['string'], 'invalid argument 0: json: cannot unmarshal object into Go value of type string');
  fails(
    ['a', 'b', '0'],
    ['string', 'string', 'uint64'],
    'invalid argument 2: json: cannot unmarshal string into Go value of type uint64',
  );
  fails(
    ['a', -1],
    ['string', 'uint64'],
    'invalid argument 1: json: cannot unmarshal number -1 into Go value of type uint64',
  );
  fails(
    ['a', 1.5],
    ['string', 'uint64'],
    'invalid argument 1: json: cannot unmarshal number 1.5 into Go value of type uint64',
  );
  fails(
    ['x'],
    ['envelope'],
    'invalid argument 0: json: cannot unmarshal string into Go value of type eth.ExecutionPayloadEnvelope',
  );
});

test('null decodes to the zero value and optional (pointer) kinds may be omitted', () => {
  assert.deepEqual(decodeParams([null, null, null], ['bool', 'string', 'uint64']), [false, '', 0]);
  assert.deepEqual(decodeParams([], ['envelope']), [undefined]);
  assert.deepEqual(decodeParams([{ a: 1 }], ['envelope']), [{ a: 1 }]);
});

test('block numbers: tags pass, hex is re-encoded, bad input gets hexutil texts', () => {
  assert.deepEqual(decodeParams(['latest', false], ['blockNumber', 'bool']), ['latest', false]);
  assert.deepEqual(decodeParams(['0x1F', true], ['blockNumber', 'bool']), ['0x1f', true]);
  fails(['12', false], ['blockNumber', 'bool'], 'invalid argument 0: hex string without 0x prefix');
  fails([12, false], ['blockNumber', 'bool'], 'invalid argument 0: hex string without 0x prefix');
  fails(['0x01', false], ['blockNumber', 'bool'], 'invalid argument 0: hex number with leading zero digits');
  fails(['0x', false], ['blockNumber', 'bool'], 'invalid argument 0: hex string "0x"');
  fails(['0xzz', false], ['blockNumber', 'bool'], 'invalid argument 0: invalid hex string');
  fails(['0x1ffffffffffffffff', false], ['blockNumber', 'bool'], 'invalid argument 0: hex number > 64 bits');
  fails(
    ['0x8000000000000000', false],
    ['blockNumber', 'bool'],
    'invalid argument 0: block number larger than int64',
  );
});

test('hexutil.Big parameters (miner_setMaxDASize)', () => {
  assert.deepEqual(decodeParams(['0x100', '0x0'], ['hexBig', 'hexBig']), ['0x100', '0x0']);
  fails(
    [256, '0x0'],
    ['hexBig', 'hexBig'],
    'invalid argument 0: json: cannot unmarshal non-string into Go value of type *hexutil.Big',
  );
  fails(
    ['0x1', '100'],
    ['hexBig', 'hexBig'],
    'invalid argument 1: json: cannot unmarshal hex string without 0x prefix into Go value of type *hexutil.Big',
  );
  fails(
    [`0x1${'0'.repeat(64)}`, '0x0'],
    ['hexBig', 'hexBig'],
    'invalid argument 0: json: cannot unmarshal hex number > 256 bits into Go value of type *hexutil.Big',
  );
});

test('tryDecodeHexUint64 reports hexutil errors without throwing', () => {
  assert.deepEqual(tryDecodeHexUint64('0x10'), { ok: true, value: 16n });
  assert.deepEqual(tryDecodeHexUint64('16'), { ok: false, message: 'hex string without 0x prefix' });
  assert.deepEqual(tryDecodeHexUint64(''), { ok: false, message: 'empty hex string' });
});
