/** Runs runCtl in-process with captured stdout/stderr and an empty environment. */
import { PassThrough, Readable } from 'node:stream';
import { runCtl } from '../../src/ctl/main.ts';

export interface CtlRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function ctl(
  argv: readonly string[],
  opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CtlRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const code = await runCtl(argv, {
    stdout,
    stderr,
    env: opts.env ?? {},
    ...(opts.stdin !== undefined ? { stdin: Readable.from([opts.stdin]) } : {}),
  });
  return { code, out, err };
}

/** Fast polling bounds for tests (the fake's transfer takes ~300 ms). */
export const fast = ['--timeout', '5s', '--rpc-timeout', '1s'];
