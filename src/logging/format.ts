/**
 * Pure renderers for op-service's log formats, so a line written by this daemon reads like one from the
 * Go conductor (operators alert on the text):
 *   logfmt    `t=2026-11-22T02:34:57+0000 lvl=info msg="sequencer is healthy" server=a`
 *   logfmtms  the same with milliseconds in `t`
 *   terminal  `INFO [11-22|02:34:57.123] sequencer is healthy                     server=a`
 *   json/jsonms  one object per line with keys `t`, `lvl`, `msg`, then the fields.
 * Values follow go-ethereum's logfmt rules: a string is quoted (Go `strconv.Quote` style) when it holds
 * a space, a control character, `"`, `=`, or anything outside printable ASCII; floats get 3 decimals;
 * null is `<nil>`. Time zone offsets are passed in (minutes east of UTC) so tests are TZ-independent.
 */

export type GoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'crit';

export interface LogRecord {
  readonly timeMs: number;
  readonly level: GoLevel;
  readonly msg: string;
  /** Context fields in order: logger bindings first, then the call's fields. */
  readonly fields: readonly (readonly [string, unknown])[];
}

/** Message column width of the terminal format before the fields start (geth `termMsgJust`). */
export const TERMINAL_MSG_WIDTH = 40;

const TERMINAL_LEVEL: Readonly<Record<GoLevel, string>> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  crit: 'CRIT ',
};

const TERMINAL_COLOR: Readonly<Record<GoLevel, number>> = {
  trace: 34,
  debug: 36,
  info: 32,
  warn: 33,
  error: 31,
  crit: 35,
};

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

export function localOffsetMin(timeMs: number): number {
  return -new Date(timeMs).getTimezoneOffset();
}

/** Calendar fields of `timeMs` shifted into the zone `offsetMin` minutes east of UTC. */
function fieldsAt(timeMs: number, offsetMin: number) {
  const d = new Date(timeMs + offsetMin * 60_000);
  return {
    y: d.getUTCFullYear(),
    mo: pad2(d.getUTCMonth() + 1),
    d: pad2(d.getUTCDate()),
    h: pad2(d.getUTCHours()),
    mi: pad2(d.getUTCMinutes()),
    s: pad2(d.getUTCSeconds()),
    ms: pad3(d.getUTCMilliseconds()),
  };
}

function offsetText(offsetMin: number, withColon: boolean): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${sign}${pad2(Math.floor(abs / 60))}${withColon ? ':' : ''}${pad2(abs % 60)}`;
}

/** Go layout `2006-01-02T15:04:05-0700` (or `.000` with milliseconds). */
export function formatLogfmtTime(
  timeMs: number,
  withMs: boolean,
  offsetMin = localOffsetMin(timeMs),
): string {
  const f = fieldsAt(timeMs, offsetMin);
  return `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}${withMs ? `.${f.ms}` : ''}${offsetText(offsetMin, false)}`;
}

/** Go RFC3339Nano (`json`: trailing zeros trimmed) or fixed milliseconds (`jsonms`); `Z` for UTC. */
export function formatJsonTime(timeMs: number, fixedMs: boolean, offsetMin = localOffsetMin(timeMs)): string {
  const f = fieldsAt(timeMs, offsetMin);
  const frac = fixedMs ? `.${f.ms}` : f.ms === '000' ? '' : `.${f.ms.replace(/0+$/, '')}`;
  const zone = offsetMin === 0 ? 'Z' : offsetText(offsetMin, true);
  return `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}${frac}${zone}`;
}

function needsQuoting(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x22 || c > 0x7e || c === 0x3d) return true;
  }
  return s === '';
}

export function escapeLogfmtString(s: string): string {
  return needsQuoting(s) ? JSON.stringify(s) : s;
}

export function formatLogfmtValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return escapeLogfmtString(value);
    case 'number':
      return Number.isInteger(value) ? String(value) : value.toFixed(3);
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'undefined':
      return '<nil>';
    default:
      if (value === null) return '<nil>';
      return escapeLogfmtString(JSON.stringify(value) ?? String(value));
  }
}

function appendFields(out: string, fields: LogRecord['fields'], color: number): string {
  let s = out;
  for (const [k, v] of fields) {
    const key = color > 0 ? `\x1b[${color}m${k}\x1b[0m` : k;
    s += ` ${key}=${formatLogfmtValue(v)}`;
  }
  return s;
}

export function formatLogfmt(r: LogRecord, withMs: boolean, offsetMin?: number): string {
  const head = `t=${formatLogfmtTime(r.timeMs, withMs, offsetMin)} lvl=${r.level} msg=${escapeLogfmtString(r.msg)}`;
  return `${appendFields(head, r.fields, 0)}\n`;
}

export function formatTerminal(r: LogRecord, color: boolean, offsetMin = localOffsetMin(r.timeMs)): string {
  const f = fieldsAt(r.timeMs, offsetMin);
  const c = color ? TERMINAL_COLOR[r.level] : 0;
  const lvl = c > 0 ? `\x1b[${c}m${TERMINAL_LEVEL[r.level]}\x1b[0m` : TERMINAL_LEVEL[r.level];
  let line = `${lvl}[${f.mo}-${f.d}|${f.h}:${f.mi}:${f.s}.${f.ms}] ${r.msg}`;
  if (r.fields.length > 0 && r.msg.length < TERMINAL_MSG_WIDTH) {
    line += ' '.repeat(TERMINAL_MSG_WIDTH - r.msg.length);
  }
  return `${appendFields(line, r.fields, c)}\n`;
}

export function formatJson(r: LogRecord, fixedMs: boolean, offsetMin?: number): string {
  const obj: Record<string, unknown> = {
    t: formatJsonTime(r.timeMs, fixedMs, offsetMin),
    lvl: r.level,
    msg: r.msg,
  };
  for (const [k, v] of r.fields) obj[k] = typeof v === 'bigint' ? v.toString() : v;
  return `${JSON.stringify(obj)}\n`;
}
