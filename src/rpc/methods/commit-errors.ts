/**
 * The Go commit error prefixes (`consensus/raft.go` CommitUnsafePayload), shared by the JSON method and
 * the binary endpoint. Applied once: a message that already carries the prefix is left as it is.
 */
export const MARSHAL_PREFIX = 'failed to marshal payload envelope';
export const APPLY_PREFIX = 'failed to apply payload envelope';
export const INVALID_SSZ_PREFIX = 'invalid ssz payload';

export function withPrefix(prefix: string, e: unknown): Error {
  const message = e instanceof Error ? e.message : String(e);
  return new Error(message.startsWith(prefix) ? message : `${prefix}: ${message}`, { cause: e });
}
