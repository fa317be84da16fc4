/**
 * Builds the daemon's pino logger from the `log.*` flags with op-service semantics: level names
 * trace/debug/info/warn/error/crit (crit is pino's fatal), formats text/terminal/logfmt/logfmtms/
 * json/jsonms (`text` = terminal when coloured, else logfmt), `log.color` only applied when set
 * (otherwise: stdout is a TTY), `log.pid` adds a `pid` field. Output goes to stdout like op-service's
 * AppOut.
 * Formatting is synchronous and in-process (no worker thread): pino renders JSON with op-service's
 * keys (`t`, `lvl`, `msg`); the json formats pass that line straight through, the others parse it once
 * and re-render it with the pure formatters of format.ts (see bench/log-format.bench.ts for the cost).
 */
import pino from 'pino';
import type { LogConfig, LogFormat, LogLevel } from '../config/config.ts';
import {
  formatJson,
  formatJsonTime,
  formatLogfmt,
  formatTerminal,
  type GoLevel,
  type LogRecord,
} from './format.ts';
import type { Logger } from './logger.ts';

export interface LogSink {
  write(line: string): void;
}

export interface CreateLoggerOptions {
  /** Where finished lines go; default: synchronous stdout. */
  readonly sink?: LogSink;
  /** Whether stdout is a terminal (decides colour when `log.color` is unset, and what `text` means). */
  readonly isTty?: boolean;
  readonly pid?: number;
}

const PINO_LEVEL: Readonly<Record<LogLevel, pino.Level>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  crit: 'fatal',
};

const GO_LEVEL_BY_PINO: Readonly<Record<string, GoLevel>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'crit',
};

const GO_LEVEL_NAMES: ReadonlySet<string> = new Set(Object.values(GO_LEVEL_BY_PINO));

type Renderer = (record: LogRecord) => string;

/** The renderer a format resolves to (op-service `FormatHandler`). */
export function rendererFor(format: LogFormat, color: boolean): Renderer {
  switch (format) {
    case 'json':
      return (r) => formatJson(r, false);
    case 'jsonms':
      return (r) => formatJson(r, true);
    case 'logfmt':
      return (r) => formatLogfmt(r, false);
    case 'logfmtms':
      return (r) => formatLogfmt(r, true);
    case 'terminal':
      return (r) => formatTerminal(r, color);
    case 'text':
      return color ? (r) => formatTerminal(r, true) : (r) => formatLogfmt(r, false);
  }
}

/** Go renders errors as their message; keep that for every format (no stack dumps in alerts). */
function errText(value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}

/** Turns pino's JSON line back into a record (bindings and call fields keep their order). */
export function recordFromPinoLine(line: string): LogRecord {
  const obj = JSON.parse(line) as Record<string, unknown>;
  const fields: [string, unknown][] = [];
  for (const key of Object.keys(obj)) {
    if (key !== 't' && key !== 'lvl' && key !== 'msg') fields.push([key, obj[key]]);
  }
  const lvl = obj['lvl'];
  return {
    timeMs: typeof obj['t'] === 'number' ? obj['t'] : Date.now(),
    level: typeof lvl === 'string' && GO_LEVEL_NAMES.has(lvl) ? (lvl as GoLevel) : 'info',
    msg: typeof obj['msg'] === 'string' ? obj['msg'] : '',
    fields,
  };
}

function defaultSink(): LogSink {
  return pino.destination({ dest: 1, sync: true });
}

export function createLogger(config: LogConfig, options: CreateLoggerOptions = {}): Logger {
  const isTty = options.isTty ?? process.stdout.isTTY === true;
  const color = config.color ?? isTty;
  const sink = options.sink ?? defaultSink();
  const passThroughJson = config.format === 'json' || config.format === 'jsonms';
  const fixedMs = config.format === 'jsonms';
  const render = rendererFor(config.format, color);
  const destination: LogSink = passThroughJson
    ? sink
    : { write: (line: string) => sink.write(render(recordFromPinoLine(line))) };
  return pino(
    {
      level: PINO_LEVEL[config.level],
      base: config.pid ? { pid: options.pid ?? process.pid } : null,
      messageKey: 'msg',
      formatters: { level: (label) => ({ lvl: GO_LEVEL_BY_PINO[label] ?? label }) },
      timestamp: passThroughJson
        ? () => `,"t":"${formatJsonTime(Date.now(), fixedMs)}"`
        : () => `,"t":${Date.now()}`,
      serializers: { err: errText, error: errText },
    },
    destination,
  );
}

/** One line in the configured format, without a logger: for the fatal startup message. */
export function renderLine(
  config: Pick<LogConfig, 'format' | 'color'>,
  record: LogRecord,
  isTty = false,
): string {
  return rendererFor(config.format, config.color ?? isTty)(record);
}
