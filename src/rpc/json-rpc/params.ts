/**
 * Positional parameter decoding with go-ethereum's rules and texts (`rpc/json.go`
 * parsePositionalArguments, encoding/json, `common/hexutil`, `rpc.BlockNumber`). Pure: no I/O.
 *
 * Invariants (as in Go):
 * - `params` absent or `null` means no arguments; any non-array value → `non-array args`.
 * - Arguments are checked in order; the first bad one wins (`invalid argument N: <json error>`); an extra
 *   argument → `too many arguments, want at most N`; a missing non-optional one →
 *   `missing value for required argument N`.
 * - JSON `null` for a value type decodes to its zero value (Go's encoding/json leaves it untouched).
 * Known deviation: JSON numbers arrive through JSON.parse, so uint64 values above 2^53-1 are rejected as
 * out of range (raft indexes never get there) and the echoed literal uses JavaScript's number format.
 */
import { invalidParams } from './errors.ts';

export type ParamKind = 'bool' | 'string' | 'uint64' | 'blockNumber' | 'hexBig' | 'envelope';

/** Decoded JS type per kind. blockNumber and hexBig come back re-encoded for the backend call. */
export interface ParamTypes {
  bool: boolean;
  string: string;
  uint64: number;
  blockNumber: string;
  hexBig: `0x${string}`;
  /** The raw JSON object (or undefined when omitted/null): decoded later by the payload codec. */
  envelope: Record<string, unknown> | undefined;
}

const GO_TYPE: Readonly<Record<ParamKind, string>> = {
  bool: 'bool',
  string: 'string',
  uint64: 'uint64',
  blockNumber: 'string',
  hexBig: '*hexutil.Big',
  envelope: 'eth.ExecutionPayloadEnvelope',
};

/** Kinds that are Go pointer types and so may be omitted. */
const OPTIONAL: ReadonlySet<ParamKind> = new Set<ParamKind>(['envelope']);

const BLOCK_TAGS: ReadonlySet<string> = new Set(['earliest', 'latest', 'pending', 'finalized', 'safe']);
const HEX_BIG_DIGITS_MAX = 64;
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

class ArgError extends Error {}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

function numberLiteral(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function typeError(v: unknown, kind: ParamKind): ArgError {
  const shown = typeof v === 'number' && kind === 'uint64' ? `number ${numberLiteral(v)}` : jsonTypeName(v);
  return new ArgError(`json: cannot unmarshal ${shown} into Go value of type ${GO_TYPE[kind]}`);
}

/** hexutil.DecodeUint64 with its error texts. */
function decodeHexUint64(input: string): bigint {
  if (input.length === 0) throw new ArgError('empty hex string');
  if (!(input.startsWith('0x') || input.startsWith('0X'))) throw new ArgError('hex string without 0x prefix');
  const digits = input.slice(2);
  if (digits.length === 0) throw new ArgError('hex string "0x"');
  if (digits.length > 1 && digits[0] === '0') throw new ArgError('hex number with leading zero digits');
  if (!/^[0-9a-fA-F]+$/.test(digits)) throw new ArgError('invalid hex string');
  if (digits.length > 16) throw new ArgError('hex number > 64 bits');
  const value = BigInt(`0x${digits}`);
  if (value > UINT64_MAX) throw new ArgError('hex number > 64 bits');
  return value;
}

function decodeBlockNumber(v: unknown): string {
  // rpc.BlockNumber strips surrounding quotes from the raw JSON and then matches tags or hex.
  const input = typeof v === 'string' ? v : v === null ? 'null' : JSON.stringify(v);
  if (BLOCK_TAGS.has(input)) return input;
  const n = decodeHexUint64(input);
  if (n > INT64_MAX) throw new ArgError('block number larger than int64');
  return `0x${n.toString(16)}`;
}

function decodeHexBig(v: unknown): `0x${string}` {
  if (v === null) return '0x0';
  if (typeof v !== 'string') {
    throw new ArgError('json: cannot unmarshal non-string into Go value of type *hexutil.Big');
  }
  const wrap = (m: string) => new ArgError(`json: cannot unmarshal ${m} into Go value of type *hexutil.Big`);
  if (v.length === 0) return '0x0';
  if (!(v.startsWith('0x') || v.startsWith('0X'))) throw wrap('hex string without 0x prefix');
  const digits = v.slice(2);
  if (digits.length === 0) throw wrap('hex string "0x"');
  if (digits.length > 1 && digits[0] === '0') throw wrap('hex number with leading zero digits');
  if (digits.length > HEX_BIG_DIGITS_MAX) throw wrap('hex number > 256 bits');
  if (!/^[0-9a-fA-F]+$/.test(digits)) throw wrap('invalid hex string');
  return `0x${BigInt(`0x${digits}`).toString(16)}`;
}

function decodeOne(v: unknown, kind: ParamKind): unknown {
  switch (kind) {
    case 'bool':
      if (v === null) return false;
      if (typeof v !== 'boolean') throw typeError(v, kind);
      return v;
    case 'string':
      if (v === null) return '';
      if (typeof v !== 'string') throw typeError(v, kind);
      return v;
    case 'uint64':
      if (v === null) return 0;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || Object.is(v, -0))
        throw typeError(v, kind);
      return v;
    case 'blockNumber':
      return decodeBlockNumber(v);
    case 'hexBig':
      return decodeHexBig(v);
    case 'envelope':
      if (v === null) return undefined;
      if (typeof v !== 'object' || Array.isArray(v)) throw typeError(v, kind);
      return v;
  }
}

/** Decode `params` for a method taking `kinds`; throws an -32602 RpcError with Go's text. */
export function decodeParams(raw: unknown, kinds: readonly ParamKind[]): unknown[] {
  let given: readonly unknown[];
  if (raw === undefined || raw === null) given = [];
  else if (Array.isArray(raw)) given = raw;
  else throw invalidParams('non-array args');
  const out: unknown[] = [];
  for (let i = 0; i < given.length; i++) {
    const kind = kinds[i];
    if (kind === undefined) throw invalidParams(`too many arguments, want at most ${kinds.length}`);
    try {
      out.push(decodeOne(given[i], kind));
    } catch (e) {
      if (e instanceof ArgError) throw invalidParams(`invalid argument ${i}: ${e.message}`);
      throw e;
    }
  }
  for (let i = given.length; i < kinds.length; i++) {
    const kind = kinds[i] as ParamKind;
    if (!OPTIONAL.has(kind)) throw invalidParams(`missing value for required argument ${i}`);
    out.push(undefined);
  }
  return out;
}

/** For callers that decode a hex quantity outside parameter parsing (optimism_outputAtBlock). */
export function tryDecodeHexUint64(
  input: string,
): { ok: true; value: bigint } | { ok: false; message: string } {
  try {
    return { ok: true, value: decodeHexUint64(input) };
  } catch (e) {
    if (e instanceof ArgError) return { ok: false, message: e.message };
    throw e;
  }
}
