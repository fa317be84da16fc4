/**
 * The confirmation gate of every action: print the plan, then either proceed (--yes), or ask
 * "Proceed? [y/N]" and read one line from stdin (TTY or pipe, like op-conductor-ops' typer prompt).
 *
 * Invariants: no stdin, EOF, anything but y/yes, or no answer within `confirmTimeoutMs` means no; the
 * prompt goes to stderr so stdout stays the plan and the outcome.
 */
import { readLine } from '../cli/read-line.ts';
import { CtlError, CtlErrorCode } from './errors.ts';

export const confirmTimeoutMs = 120_000;

export interface ConfirmIo {
  readonly yes: boolean;
  readonly stdin: NodeJS.ReadableStream | undefined;
  out(line: string): void;
  prompt(text: string): void;
}

export async function confirmPlan(io: ConfirmIo, plan: readonly string[]): Promise<void> {
  for (const line of plan) io.out(`plan: ${line}`);
  if (io.yes) return;
  if (!io.stdin) {
    throw new CtlError(CtlErrorCode.NotConfirmed, 'refusing to act without confirmation: pass --yes');
  }
  io.prompt('Proceed? [y/N] ');
  const answer = (await readLine(io.stdin, confirmTimeoutMs))?.trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes')
    throw new CtlError(CtlErrorCode.NotConfirmed, 'aborted: not confirmed');
}
