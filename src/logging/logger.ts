/**
 * Logger type used across the daemon. The factory with op-service's formats (logfmt/json/terminal)
 * lives in this folder; modules only depend on this type and receive a logger (never a global).
 */
import pino from 'pino';

export type Logger = pino.Logger;

/** A logger that writes nothing: for unit tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
