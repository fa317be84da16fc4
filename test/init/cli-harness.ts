/**
 * Test helpers for the op-conductor-init CLI: `runCli` calls main() in-process (same parsing, error
 * and exit-code path, real stores, silent logger, scripted confirmation) and `spawnCli` runs the real
 * process (`node --import tsx src/init/main.ts …`) with a bounded timeout.
 */
import { spawn } from 'node:child_process';
import { main } from '../../src/init/main.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { openNodeStores } from '../../src/raft/storage/open.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const SPAWN_TIMEOUT_MS = 60_000;

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; answer?: string; now?: Date } = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main({
    argv,
    env: opts.env ?? {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    confirm: async () => opts.answer,
    logger: silentLogger(),
    openStores: (dir, backend) => openNodeStores({ dir, backend }),
    now: () => opts.now ?? new Date(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export function spawnCli(
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/init/main.ts', ...argv], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`op-conductor-init ${argv.join(' ')} timed out`));
    }, SPAWN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out: out.trimEnd(), err: err.trimEnd() });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** A failing command must print exactly one line on stderr, prefixed with the tool's name. */
export function isOneLineError(r: CliResult): boolean {
  return r.code !== 0 && r.err.split('\n').length === 1 && r.err.startsWith('op-conductor-init: ');
}
