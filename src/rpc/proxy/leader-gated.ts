/**
 * The Go proxy pattern: call the backend first, then check leadership (override-aware). A backend error
 * wins; a non-leader discards the result and answers `refusing to proxy request to non-leader sequencer`.
 */
import type { ConductorApi } from '../conductor-api.ts';
import { ERR_NOT_LEADER_TEXT } from './backend-client.ts';

export async function callThenCheckLeader<T>(api: ConductorApi, call: Promise<T>): Promise<T> {
  const result = await call;
  if (!api.leader()) throw new Error(ERR_NOT_LEADER_TEXT);
  return result;
}
