/**
 * Startup handshake with op-node (Go `initSequencerControl` after dialing, and
 * `updateSequencerActiveStatus`): `admin_conductorEnabled` up to `handshakeAttempts` times with a fixed
 * backoff, then `admin_sequencerActive`.
 *
 * Invariants:
 * - An op-node too old to know `admin_conductorEnabled` (-32601, or text containing "method not found")
 *   is treated as enabled, with Go's warning.
 * - Exhausting the attempts fails with op-service retry's text, wrapped `failed to connect to sequencer`;
 *   a `false` answer fails with `conductor is not enabled on sequencer, exiting...`.
 * - The backoff sleeps are abortable (conductor stop), and no sleep follows the last attempt.
 */
import type { Logger } from '../logging/logger.ts';
import { controlError, errorText, wrapError } from './errors.ts';
import type { SequencerControl } from './sequencer-control.ts';

/** Go: `retry.Do(ctx, 60, retry.Fixed(5*time.Second), ...)`. */
export const handshakeAttemptsDefault = 60;
export const handshakeBackoffMsDefault = 5000;

const methodNotFoundCode = -32601;

export interface HandshakeOptions {
  readonly sequencer: SequencerControl;
  readonly logger: Logger;
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly signal: AbortSignal;
}

/** Resolves when op-node says conductor mode is enabled (or predates the method); throws otherwise. */
export async function awaitConductorEnabled(options: HandshakeOptions): Promise<void> {
  const { sequencer, logger, signal } = options;
  const attempts = options.attempts ?? handshakeAttemptsDefault;
  const backoffMs = options.backoffMs ?? handshakeBackoffMsDefault;
  let lastErr: unknown;
  for (let i = 0; i < attempts; i++) {
    if (signal.aborted) throw wrapError('failed to connect to sequencer', new Error('context canceled'));
    let enabled: boolean;
    try {
      enabled = await sequencer.conductorEnabled(signal);
    } catch (e) {
      if (isMethodNotFound(e)) {
        logger.warn(
          'Warning: conductorEnabled method not found, please upgrade your op-node to the latest version, continuing...',
        );
        return;
      }
      lastErr = e;
      if (i !== attempts - 1) await sleep(backoffMs, signal);
      continue;
    }
    if (!enabled) throw controlError('CONDUCTOR_NOT_ENABLED');
    return;
  }
  throw wrapError(
    'failed to connect to sequencer',
    new Error(`operation failed permanently after ${attempts} attempts: ${errorText(lastErr)}`),
  );
}

/** Go `updateSequencerActiveStatus()`: returns op-node's answer (the caller stores it). */
export async function fetchSequencerActive(
  sequencer: SequencerControl,
  logger: Logger,
  signal: AbortSignal,
): Promise<boolean> {
  let active: boolean;
  try {
    active = await sequencer.sequencerActive(signal);
  } catch (e) {
    throw wrapError('failed to get sequencer active status', e);
  }
  logger.info({ active }, 'sequencer active status updated');
  return active;
}

/** JSON-RPC "method not found": code -32601 on the error or its cause, or the text. */
function isMethodNotFound(e: unknown): boolean {
  const codeOf = (x: unknown): unknown =>
    typeof x === 'object' && x !== null && 'code' in x ? (x as { code: unknown }).code : undefined;
  if (codeOf(e) === methodNotFoundCode) return true;
  if (e instanceof Error && codeOf(e.cause) === methodNotFoundCode) return true;
  return errorText(e).toLowerCase().includes('method not found');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
