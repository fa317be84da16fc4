/**
 * Bounds a conductor call by the request's AbortSignal and turns the abort into Go's error text
 * (e.g. `timeout to pause conductor`), whether or not the callee itself honours the signal.
 */
export async function untilAborted<T>(
  signal: AbortSignal,
  timeoutText: string,
  work: Promise<T>,
): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    throw new Error(timeoutText);
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error(timeoutText));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // The losing side may still settle later; never let it become an unhandled rejection.
    work.catch(() => {});
    aborted.catch(() => {});
  }
}
