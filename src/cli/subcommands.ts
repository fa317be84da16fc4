/**
 * Subcommands of the `op-conductor` binary besides the daemon itself (Go's binary has none; these are ours):
 * - `op-conductor ctl <command>`: cluster operations (same as the `op-conductor-ctl` bin);
 * - `op-conductor devnet [...]`: the local devnet. It lives in sim/ (never part of the daemon's build), so it
 *   runs from a source checkout with dev dependencies, through tsx.
 * The daemon's own flags never start with a bare word, so a first argument naming a subcommand is unambiguous.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SUBCOMMANDS = ['ctl', 'devnet'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export function subcommandOf(argv: readonly string[]): Subcommand | undefined {
  const first = argv[0];
  return SUBCOMMANDS.find((s) => s === first);
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function runDevnet(args: readonly string[]): Promise<number> {
  const entry = `${PACKAGE_ROOT}sim/devnet/main.ts`;
  if (!existsSync(entry)) {
    process.stderr.write(
      'op-conductor devnet: the devnet runs from a source checkout (sim/devnet is not installed)\n',
    );
    return 1;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: PACKAGE_ROOT,
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

export async function runSubcommand(sub: Subcommand, args: readonly string[]): Promise<number> {
  if (sub === 'devnet') return runDevnet(args);
  const { runCtl } = await import('../ctl/main.ts');
  return runCtl(args);
}
