// The op-service log formats, end to end through pino: logfmt lines are real logfmt with `t`, `lvl`,
// `msg` first and Go's quoting, json is one object per line with op-service's keys, crit maps to
// pino's fatal, log.pid adds the pid, levels filter, and errors render as their message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import {
  formatJsonTime,
  formatLogfmt,
  formatLogfmtTime,
  formatLogfmtValue,
  formatTerminal,
} from '../../src/logging/format.ts';

function capture(config: Partial<LogConfig>) {
  const lines: string[] = [];
  const full: LogConfig = { level: 'info', format: 'logfmt', color: false, pid: false, ...config };
  const logger = createLogger(full, { sink: { write: (l) => lines.push(l) }, isTty: false, pid: 4242 });
  return { logger, lines };
}

const T = Date.UTC(2026, 10, 22, 2, 34, 57, 123);

test('pure logfmt rendering matches the Go layout', () => {
  const line = formatLogfmt(
    { timeMs: T, level: 'info', msg: 'sequencer is healthy', fields: [['server', 'a']] },
    false,
    0,
  );
  assert.equal(line, 't=2026-11-22T02:34:57+0000 lvl=info msg="sequencer is healthy" server=a\n');
  assert.equal(formatLogfmtTime(T, true, 0), '2026-11-22T02:34:57.123+0000');
  assert.equal(formatLogfmtTime(T, false, 120), '2026-11-22T04:34:57+0200');
  assert.equal(formatJsonTime(T, false, 0), '2026-11-22T02:34:57.123Z');
  assert.equal(formatJsonTime(Date.UTC(2026, 0, 1), false, 0), '2026-01-01T00:00:00Z');
  assert.equal(formatJsonTime(Date.UTC(2026, 0, 1), true, -300), '2025-12-31T19:00:00.000-05:00');
});

test('logfmt values: Go quoting rules, numbers, nil', () => {
  assert.equal(formatLogfmtValue('plain'), 'plain');
  assert.equal(formatLogfmtValue('has space'), '"has space"');
  assert.equal(formatLogfmtValue('a=b'), '"a=b"');
  assert.equal(formatLogfmtValue('q"uote'), '"q\\"uote"');
  assert.equal(formatLogfmtValue(''), '""');
  assert.equal(formatLogfmtValue('0xabc'), '0xabc');
  assert.equal(formatLogfmtValue(42), '42');
  assert.equal(formatLogfmtValue(1.5), '1.500');
  assert.equal(formatLogfmtValue(true), 'true');
  assert.equal(formatLogfmtValue(null), '<nil>');
  assert.equal(formatLogfmtValue({ a: 1 }), '"{\\"a\\":1}"');
});

test('terminal rendering pads the message and shows the aligned level', () => {
  const line = formatTerminal({ timeMs: T, level: 'warn', msg: 'hi', fields: [['k', 'v']] }, false, 0);
  assert.equal(line, `WARN [11-22|02:34:57.123] hi${' '.repeat(38)} k=v\n`);
  const colored = formatTerminal({ timeMs: T, level: 'error', msg: 'x', fields: [] }, true, 0);
  assert.ok(colored.startsWith('\x1b[31mERROR\x1b[0m['));
});

test('logfmt through pino: bindings before call fields, t/lvl/msg first', () => {
  const { logger, lines } = capture({ format: 'logfmt' });
  logger.child({ server: 'a' }).info({ leader: true, healthy: false }, 'state changed');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^t=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} lvl=info msg="state changed" server=a leader=true healthy=false\n$/,
  );
});

test('json through pino: one object per line with t, lvl, msg and the fields', () => {
  const { logger, lines } = capture({ format: 'json' });
  logger.warn({ prefix: 'OP_CONDUCTOR', env_var: 'OP_CONDUCTOR_X=1' }, 'Unknown env var');
  logger.info('second');
  assert.equal(lines.length, 2);
  const obj = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(obj['lvl'], 'warn');
  assert.equal(obj['msg'], 'Unknown env var');
  assert.equal(obj['env_var'], 'OP_CONDUCTOR_X=1');
  assert.match(String(obj['t']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$/);
  assert.equal(Object.keys(obj).includes('hostname'), false);
  assert.ok(lines.every((l) => l.endsWith('\n') && l.indexOf('\n') === l.length - 1));
  const ms = capture({ format: 'jsonms' });
  ms.logger.info('x');
  assert.match(
    String((JSON.parse(ms.lines[0]!) as Record<string, unknown>)['t']),
    /\.\d{3}(Z|[+-]\d\d:\d\d)$/,
  );
});

test('levels: crit is fatal and printed as crit; lower levels are filtered', () => {
  const { logger, lines } = capture({ format: 'logfmt', level: 'warn' });
  logger.info('hidden');
  logger.debug('hidden');
  logger.warn('shown');
  logger.fatal('boom');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /lvl=warn msg=shown/);
  assert.match(lines[1]!, /lvl=crit msg=boom/);
  const crit = capture({ level: 'crit' });
  crit.logger.error('no');
  crit.logger.fatal('yes');
  assert.equal(crit.lines.length, 1);
});

test('log.pid adds pid; errors render as their message; text without colour is logfmt', () => {
  const { logger, lines } = capture({ format: 'text', pid: true });
  logger.error(
    { err: new Error('connection refused') },
    'failed to execute step, queueing another one to retry',
  );
  assert.match(
    lines[0]!,
    / lvl=error msg="failed to execute step, queueing another one to retry" pid=4242 err="connection refused"\n$/,
  );
  const term = capture({ format: 'text', color: true });
  term.logger.info('hello');
  assert.ok(term.lines[0]!.startsWith('\x1b[32mINFO \x1b[0m['), term.lines[0]);
  const logfmtms = capture({ format: 'logfmtms' });
  logfmtms.logger.info('x');
  assert.match(logfmtms.lines[0]!, /^t=\S+T\d\d:\d\d:\d\d\.\d{3}[+-]\d{4} /);
});
