/**
 * Errors of `op-conductor ctl`. Every failure the operator can cause or meet (bad flags, bad config,
 * unknown id, unreachable node, refused validation, outcome not seen in time) is a CtlError with a code
 * and a one-line message; main prints `op-conductor ctl: <message>` and exits with the code's status.
 *
 * Invariant: messages are single lines (newlines are folded) so scripts can grep them.
 */

export const CtlErrorCode = {
  /** Bad command line. Exit 2. */
  Usage: 'ERR_USAGE',
  /** Unreadable or malformed config file / inline cluster list. */
  Config: 'ERR_CONFIG',
  /** A sequencer id that is not configured (or not a cluster member). */
  UnknownId: 'ERR_UNKNOWN_ID',
  /** An RPC call failed (transport or JSON-RPC error) where the command needs its answer. */
  Rpc: 'ERR_RPC',
  /** A pre-flight check refused the action (use --force where offered). */
  Refused: 'ERR_REFUSED',
  /** The operator declined, or could not be asked. */
  NotConfirmed: 'ERR_NOT_CONFIRMED',
  /** The action was sent but its outcome did not become visible within the poll bound. */
  Timeout: 'ERR_TIMEOUT',
} as const;
export type CtlErrorCode = (typeof CtlErrorCode)[keyof typeof CtlErrorCode];

export class CtlError extends Error {
  readonly code: CtlErrorCode;
  constructor(code: CtlErrorCode, message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
    this.name = 'CtlError';
    this.code = code;
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Process exit status for a failure. Usage errors follow the getopt convention (2). */
export function exitCodeOf(code: CtlErrorCode): number {
  return code === CtlErrorCode.Usage ? 2 : 1;
}
