/**
 * Control-loop and conductor-service errors with the Go conductor's exact texts
 * (`conductor/service.go`). Operators and op-conductor-ops read them verbatim in logs and in JSON-RPC
 * error messages, so the text never changes; code branches on `code`, never on the text.
 *
 * Wrapping follows Go's `errors.Wrap(err, msg)`: the message is `<msg>: <cause message>` and the cause
 * is kept. Aggregated errors use hashicorp/go-multierror's list format, because Go's Stop() and the
 * case-6 stop-then-transfer both return a multierror and its text is what ends up in logs.
 */

export const ControlErrorCode = {
  UnsafeHeadMismatch: 'UNSAFE_HEAD_MISMATCH',
  NoUnsafeHead: 'NO_UNSAFE_HEAD',
  PauseTimeout: 'PAUSE_TIMEOUT',
  ResumeTimeout: 'RESUME_TIMEOUT',
  WaitingForRecovery: 'WAITING_FOR_RECOVERY',
  ConductorNotEnabled: 'CONDUCTOR_NOT_ENABLED',
  /** A Go `errors.Wrap` / `fmt.Errorf("...: %w")` around a backend error. */
  Wrapped: 'WRAPPED',
  /** A hashicorp/go-multierror aggregate. */
  Multiple: 'MULTIPLE',
} as const;
export type ControlErrorCode = (typeof ControlErrorCode)[keyof typeof ControlErrorCode];

export const CONTROL_ERROR_TEXT = {
  UNSAFE_HEAD_MISMATCH: 'unsafe head mismatch',
  NO_UNSAFE_HEAD: 'no unsafe head',
  PAUSE_TIMEOUT: 'timeout to pause conductor',
  RESUME_TIMEOUT: 'timeout to resume conductor',
  WAITING_FOR_RECOVERY: 'waiting for sequencing to become healthy by itself',
  CONDUCTOR_NOT_ENABLED: 'conductor is not enabled on sequencer, exiting...',
} as const satisfies Partial<Record<ControlErrorCode, string>>;

export class ControlError extends Error {
  readonly code: ControlErrorCode;
  /** For `Multiple`: the aggregated errors, in order. */
  readonly errors: readonly Error[];
  constructor(
    code: ControlErrorCode,
    message: string,
    options?: { cause?: unknown; errors?: readonly Error[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ControlError';
    this.code = code;
    this.errors = options?.errors ?? [];
  }
}

/** An error carrying one of the fixed Go texts. */
export function controlError(code: keyof typeof CONTROL_ERROR_TEXT): ControlError {
  return new ControlError(code, CONTROL_ERROR_TEXT[code]);
}

export function isControlError(e: unknown, code?: ControlErrorCode): e is ControlError {
  return e instanceof ControlError && (code === undefined || e.code === code);
}

/** Any thrown value as an Error (JSON-RPC clients may throw plain objects or strings). */
export function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : JSON.stringify(e));
}

/** The text a Go `%v` of the error would print. */
export function errorText(e: unknown): string {
  return toError(e).message;
}

/** Go `errors.Wrap(cause, message)`: `<message>: <cause>`, keeping the cause. */
export function wrapError(message: string, cause: unknown): ControlError {
  return new ControlError(ControlErrorCode.Wrapped, `${message}: ${errorText(cause)}`, { cause });
}

/** hashicorp/go-multierror's default ListFormatFunc text. */
export function formatMultiError(errors: readonly Error[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0]!.message}\n\n`;
  const points = errors.map((e) => `* ${e.message}`).join('\n\t');
  return `${errors.length} errors occurred:\n\t${points}\n\n`;
}

/** `multierror.Append(...).ErrorOrNil()`: undefined for no errors, else one aggregate. */
export function multiError(errors: readonly Error[]): ControlError | undefined {
  if (errors.length === 0) return undefined;
  return new ControlError(ControlErrorCode.Multiple, formatMultiError(errors), { errors });
}
