/**
 * hashicorp `raft.Log` as raft-boltdb stores it (a msgpack map: AppendedAt?, Data, Extensions, Index,
 * Term, Type), decoded into our LogEntry by the transport's entry decoder (decodeLogEntry in
 * src/raft/transport/codec.ts), so an imported entry and a replicated one follow one set of rules:
 * keys in any order, unknown keys skipped, missing keys zero, Data's exact bytes (nil → empty), every
 * Go time form for AppendedAt, and a LogType outside hashicorp's six refused (Go raft panics on it).
 * A stored value is never nil: one is refused here rather than imported as an all-zero entry.
 * Every failure is InitError ERR_MSGPACK.
 */
import type { LogEntry } from '../../raft/core/types.ts';
import { decodeLogEntry } from '../../raft/transport/codec.ts';
import { asMsgpackError, InitError } from '../errors.ts';

const MSGPACK_NIL = 0xc0;

export function decodeGoLog(bytes: Uint8Array): LogEntry {
  if (bytes[0] === MSGPACK_NIL) throw new InitError('ERR_MSGPACK', 'msgpack: raft.Log is nil, want a map');
  return asMsgpackError('raft.Log', () => decodeLogEntry(bytes));
}
