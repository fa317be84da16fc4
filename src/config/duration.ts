/**
 * Go `time.Duration` text: parsing (`time.ParseDuration`) and printing (`Duration.String`), so flags,
 * `--help` defaults and hashicorp error texts read exactly as the Go conductor prints them.
 * Invariants: values are held as integer nanoseconds in a `number` (exact up to 2^53 ns ≈ 104 days,
 * far above any timeout this daemon takes); parse rejects anything Go rejects with Go's error text.
 */

const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

export const NS_PER_MS = 1e6;

export class DurationSyntaxError extends Error {
  readonly code = 'ERR_DURATION_SYNTAX';
}

function invalid(text: string): DurationSyntaxError {
  return new DurationSyntaxError(`time: invalid duration ${JSON.stringify(text)}`);
}

/** `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or a bare `0`. Returns nanoseconds. */
export function parseGoDurationNs(text: string): number {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid(text);
  let total = 0;
  // One iteration per `<number><unit>` term; the string shrinks every time, so this is bounded.
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]+)/.exec(s);
    if (!m) throw invalid(text);
    const whole = m[1] ?? '';
    const frac = m[2];
    const unitText = m[3] ?? '';
    if (whole === '' && (frac === undefined || frac === '')) throw invalid(text);
    const unitMatch = /^(ns|us|µs|μs|ms|s|m|h)/.exec(unitText);
    if (!unitMatch || unitMatch[1] !== unitText) {
      if (unitText === '')
        throw new DurationSyntaxError(`time: missing unit in duration ${JSON.stringify(text)}`);
      throw new DurationSyntaxError(
        `time: unknown unit ${JSON.stringify(unitText)} in duration ${JSON.stringify(text)}`,
      );
    }
    const unit = NS_PER_UNIT[unitText]!;
    const value = Number(whole === '' ? '0' : whole) + (frac ? Number(`0.${frac}`) : 0);
    total += value * unit;
    s = s.slice(m[0].length);
  }
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) throw invalid(text);
  return sign * Math.round(total);
}

function trimFraction(digits: string): string {
  return digits.replace(/0+$/, '');
}

/** Go `Duration.String()`: `0s`, `1.5ms`, `300µs`, `1s`, `2m0s`, `1h0m0s`. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.round(Math.abs(ns));
  let out: string;
  if (u < 1e9) {
    let unit: string;
    let scale: number;
    if (u < 1e3) {
      unit = 'ns';
      scale = 1;
    } else if (u < 1e6) {
      unit = 'µs';
      scale = 1e3;
    } else {
      unit = 'ms';
      scale = 1e6;
    }
    const whole = Math.floor(u / scale);
    const frac = trimFraction(String(u % scale).padStart(String(scale).length - 1, '0'));
    out = `${whole}${frac && scale > 1 ? `.${frac}` : ''}${unit}`;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const sec = Math.floor(u / 1e9);
    const frac = trimFraction(String(u % 1e9).padStart(9, '0'));
    out = `${sec}${frac ? `.${frac}` : ''}s`;
    if (h > 0) out = `${h}h${m}m${out}`;
    else if (m > 0) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

export function formatGoDurationMs(ms: number): string {
  return formatGoDuration(Math.round(ms * NS_PER_MS));
}
