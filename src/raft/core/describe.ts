/**
 * Stable, canonical one-line renderings of messages and entries for traces and golden tests
 * (house rule A.10.3). Data bytes are summarised by length so output stays short and deterministic.
 */
import { assertNever } from './assert.ts';
import type { RaftMessage } from './messages.ts';
import { type LogEntry, LogType } from './types.ts';

const LOG_TYPE_NAMES: Record<number, string> = {
  [LogType.Command]: 'cmd',
  [LogType.Noop]: 'noop',
  [LogType.AddPeerDeprecated]: 'addpeer',
  [LogType.RemovePeerDeprecated]: 'rmpeer',
  [LogType.Barrier]: 'barrier',
  [LogType.Configuration]: 'conf',
};

export function describeEntry(e: LogEntry): string {
  return `${e.index}/${e.term}:${LOG_TYPE_NAMES[e.type] ?? e.type}`;
}

export function describeMessage(m: RaftMessage): string {
  const head = `${m.from.id || m.from.addr}->${m.to.id || m.to.addr} t${m.term}`;
  switch (m.type) {
    case 'appendEntries':
      return `${head} app prev=${m.prevLogIndex}/${m.prevLogTerm} commit=${m.leaderCommit} [${m.entries.map(describeEntry).join(' ')}]`;
    case 'appendEntriesResponse':
      return `${head} appResp ${m.success ? 'ok' : 'reject'} last=${m.lastLog} for=${m.inReplyTo.prevLogIndex}..${m.inReplyTo.lastIndex}`;
    case 'requestVote':
      return `${head} vote last=${m.lastLogIndex}/${m.lastLogTerm}${m.leadershipTransfer ? ' transfer' : ''}`;
    case 'requestVoteResponse':
      return `${head} voteResp ${m.granted ? 'granted' : 'refused'}`;
    case 'requestPreVote':
      return `${head} prevote last=${m.lastLogIndex}/${m.lastLogTerm}`;
    case 'requestPreVoteResponse':
      return `${head} prevoteResp ${m.granted ? 'granted' : 'refused'}`;
    case 'installSnapshot':
      return `${head} snap ${m.lastLogIndex}/${m.lastLogTerm} conf@${m.configurationIndex} ${m.data.length}B`;
    case 'installSnapshotResponse':
      return `${head} snapResp ${m.success ? 'ok' : 'fail'} for=${m.inReplyTo.lastLogIndex}`;
    case 'timeoutNow':
      return `${head} timeoutNow`;
    case 'timeoutNowResponse':
      return `${head} timeoutNowResp`;
    case 'rpcFailure':
      return `${head} rpcFailure ${m.request}: ${m.error}`;
    default:
      return assertNever(m, 'message');
  }
}
