/**
 * Configuration errors. Each carries a stable `code` and the Go conductor's message text (spec §2.3,
 * §2.4, urfave/cli and Go `flag` parse errors), because operators and scripts match on those strings.
 * These are user errors: the CLI prints the message on one line and exits 1, never a stack trace.
 */

export type ConfigErrorCode =
  | 'ERR_FLAG_UNDEFINED'
  | 'ERR_FLAG_NEEDS_ARGUMENT'
  | 'ERR_FLAG_INVALID_VALUE'
  | 'ERR_ENV_INVALID_VALUE'
  | 'ERR_MISSING_REQUIRED_FLAG'
  | 'ERR_CONFIG_CHECK'
  | 'ERR_RAFT_CONFIG'
  | 'ERR_CONSENSUS_ADDRESS'
  | 'ERR_JWT_SECRET';

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  /** The message without wrapping prefixes (e.g. `flag consensus.addr is required`). */
  readonly shortMessage: string;

  constructor(
    code: ConfigErrorCode,
    message: string,
    shortMessage: string = message,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConfigError';
    this.code = code;
    this.shortMessage = shortMessage;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}
