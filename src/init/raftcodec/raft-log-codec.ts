/**
 * hashicorp `raft.Log` as raft-boltdb stores it (a msgpack map: AppendedAt?, Data, Extensions, Index,
 * Term, Type), decoded into our LogEntry.
 *
 * Invariants: keys may come in any order, unknown keys are skipped and missing keys stay zero (what
 * Go's decoder does); Data keeps its exact bytes (nil becomes empty); the type must be one of the six
 * hashicorp LogTypes, because Go raft panics on applying any other and we refuse to import such a log.
 */
import type { LogEntry, LogType } from '../../raft/core/types.ts';
import { InitError } from '../errors.ts';
import { decodeAppendedAt } from './go-time.ts';
import { bytesField, decodeMsgpack, structFields, uintField } from './msgpack-reader.ts';

const LOG_TYPE_MAX = 5;
const EMPTY = new Uint8Array(0);

export function decodeGoLog(bytes: Uint8Array): LogEntry {
  const fields = structFields(decodeMsgpack(bytes), 'raft.Log');
  const type = uintField(fields.get('Type'), 'Log.Type');
  if (type > LOG_TYPE_MAX) throw new InitError('ERR_MSGPACK', `raft.Log: unknown log type ${type}`);
  const data = bytesField(fields.get('Data'), 'Log.Data');
  const extensions = bytesField(fields.get('Extensions'), 'Log.Extensions');
  const appendedAtMs = decodeAppendedAt(fields.get('AppendedAt'));
  return {
    index: uintField(fields.get('Index'), 'Log.Index'),
    term: uintField(fields.get('Term'), 'Log.Term'),
    type: type as LogType,
    data: data === undefined ? EMPTY : data.slice(),
    ...(extensions !== undefined && extensions.byteLength > 0 ? { extensions: extensions.slice() } : {}),
    ...(appendedAtMs !== undefined ? { appendedAtMs } : {}),
  };
}
