/**
 * Text → typed value conversion for one flag, with Go's rules: `strconv.ParseInt/ParseUint(s, 0, 64)`
 * (decimal, 0x, 0o, 0b, leading-0 octal, `_` separators), `strconv.ParseBool`, `time.ParseDuration`,
 * and op-service's generic-flag validation for enums. Pure; errors are plain strings the caller wraps
 * in the urfave/Go flag error text for the source (CLI or env).
 */
import { NS_PER_MS, parseGoDurationNs } from './duration.ts';
import type { FlagSpec, FlagValue } from './schema.ts';

const BOOL_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const BOOL_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export type ConvertResult = { ok: true; value: FlagValue } | { ok: false; reason: string };

function parseGoInteger(text: string, signed: boolean): bigint | 'syntax' {
  let s = text;
  let neg = false;
  if (signed && (s.startsWith('-') || s.startsWith('+'))) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let digits = s;
  let radix = 10;
  const prefix = s.slice(0, 2).toLowerCase();
  if (prefix === '0x') [radix, digits] = [16, s.slice(2)];
  else if (prefix === '0o') [radix, digits] = [8, s.slice(2)];
  else if (prefix === '0b') [radix, digits] = [2, s.slice(2)];
  else if (s.length > 1 && s.startsWith('0')) [radix, digits] = [8, s.slice(1)];
  // Base-0 parsing allows `_` only between digits, or right after an explicit base prefix.
  if (digits.includes('_')) {
    const hasPrefix = radix !== 10 && !(radix === 8 && !s.toLowerCase().startsWith('0o'));
    const body = hasPrefix && digits.startsWith('_') ? digits.slice(1) : digits;
    if (body.startsWith('_') || body.endsWith('_') || body.includes('__')) return 'syntax';
    digits = digits.replace(/_/g, '');
  }
  const alphabet = '0123456789abcdef'.slice(0, radix);
  if (digits === '' || [...digits.toLowerCase()].some((c) => !alphabet.includes(c))) return 'syntax';
  let v = 0n;
  for (const c of digits.toLowerCase()) v = v * BigInt(radix) + BigInt(alphabet.indexOf(c));
  return neg ? -v : v;
}

function toSafeNumber(v: bigint, fn: string, text: string): ConvertResult {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    // Values past 2^53 are valid Go integers but meaningless for every flag here; refuse rather than round.
    return { ok: false, reason: `strconv.${fn}: parsing ${JSON.stringify(text)}: value out of range` };
  }
  return { ok: true, value: Number(v) };
}

export function convertFlagValue(spec: FlagSpec, text: string): ConvertResult {
  switch (spec.type) {
    case 'string':
      return { ok: true, value: text };
    case 'bool':
      if (BOOL_TRUE.has(text)) return { ok: true, value: true };
      if (BOOL_FALSE.has(text)) return { ok: true, value: false };
      return { ok: false, reason: `strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax` };
    case 'int': {
      const v = parseGoInteger(text, true);
      if (v === 'syntax')
        return { ok: false, reason: `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax` };
      if (v > INT64_MAX || v < -INT64_MAX - 1n)
        return { ok: false, reason: `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range` };
      return toSafeNumber(v, 'ParseInt', text);
    }
    case 'uint64':
    case 'uint64-seconds': {
      const v = parseGoInteger(text, false);
      if (v === 'syntax')
        return { ok: false, reason: `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax` };
      if (v > UINT64_MAX)
        return {
          ok: false,
          reason: `strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`,
        };
      return toSafeNumber(v, 'ParseUint', text);
    }
    case 'duration':
      try {
        return { ok: true, value: parseGoDurationNs(text) / NS_PER_MS };
      } catch (e) {
        return { ok: false, reason: (e as Error).message };
      }
    case 'enum':
      return convertEnum(spec, text);
  }
}

function convertEnum(spec: FlagSpec, text: string): ConvertResult {
  const values = spec.values ?? [];
  if (spec.name === 'log.level') {
    const lower = text.toLowerCase();
    const v = spec.aliases?.[lower] ?? lower;
    if (values.includes(v)) return { ok: true, value: v };
    return { ok: false, reason: `unknown level: ${lower}` };
  }
  if (values.includes(text)) return { ok: true, value: text };
  if (spec.name === 'log.format')
    return { ok: false, reason: `unrecognized log-format: ${JSON.stringify(text)}` };
  if (spec.name === 'pprof.type')
    return { ok: false, reason: `unknown profile type: ${JSON.stringify(text)}` };
  return {
    ok: false,
    reason: `unknown value ${JSON.stringify(text)} (one of: ${values.filter((v) => v !== '').join(', ')})`,
  };
}

/** urfave's zero value for a flag with no explicit default. */
export function zeroValue(spec: FlagSpec): FlagValue {
  switch (spec.type) {
    case 'bool':
      return false;
    case 'string':
    case 'enum':
      return '';
    default:
      return 0;
  }
}
