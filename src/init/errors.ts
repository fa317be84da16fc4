/**
 * Typed errors of op-conductor-init. Every failure the tool reports is an InitError whose message is
 * one line (the CLI prints `op-conductor-init: <message>` and exits non-zero); the code lets tests and
 * callers branch without matching text. bbolt corruption keeps bbolt's own error texts
 * ("invalid database", "version mismatch", "checksum error") at the start of the message so operators
 * can search for them.
 */

export type InitErrorCode =
  | 'ERR_USAGE'
  | 'ERR_INVALID_INPUT'
  | 'ERR_EXISTS'
  | 'ERR_NOT_FOUND'
  | 'ERR_IO'
  | 'ERR_BBOLT_CORRUPT'
  | 'ERR_MSGPACK'
  | 'ERR_SNAPSHOT'
  | 'ERR_VERIFY'
  | 'ERR_REFUSED'
  | 'ERR_LOCKED';

export class InitError extends Error {
  readonly code: InitErrorCode;
  constructor(code: InitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'InitError';
    this.code = code;
  }
}

/** One line for the CLI, whatever was thrown (unexpected errors keep their own message). */
export function errorLine(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, ' ');
  return String(err);
}

/**
 * Runs one of the shared Raft decoders (they throw their own error types) and reports a failure as
 * ERR_MSGPACK, so a malformed Go value always reaches the CLI as one InitError line.
 */
export function asMsgpackError<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof InitError) throw err;
    throw new InitError('ERR_MSGPACK', `${what}: ${errorLine(err)}`, { cause: err });
  }
}
