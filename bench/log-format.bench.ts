// How much the in-process log formatting costs per line: pino's own JSON (the json format passes it
// through) versus pino → parse → logfmt/terminal re-render, all into a discarding sink.
// Run: node --import tsx bench/log-format.bench.ts   (prints ns/line; no assertions)
import type { LogConfig } from '../src/config/config.ts';
import { createLogger } from '../src/logging/create-logger.ts';

const LINES = 200_000;
const WARMUP_LINES = 20_000;

function measure(format: LogConfig['format']): number {
  let bytes = 0;
  const logger = createLogger(
    { level: 'info', format, color: false, pid: false },
    {
      sink: {
        write: (l) => {
          bytes += l.length;
        },
      },
      isTty: false,
    },
  ).child({ server: 'sequencer-0' });
  const fields = {
    leader: true,
    healthy: true,
    active: true,
    consensus_num: 123456,
    err: 'connection refused',
  };
  for (let i = 0; i < WARMUP_LINES; i++) logger.info(fields, 'state changed');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) logger.info(fields, 'state changed');
  const ns = Number(process.hrtime.bigint() - t0) / LINES;
  if (bytes === 0) throw new Error('nothing written');
  return ns;
}

for (const format of ['json', 'logfmt', 'terminal'] as const) {
  console.log(`${format.padEnd(9)} ${measure(format).toFixed(0)} ns/line`);
}
