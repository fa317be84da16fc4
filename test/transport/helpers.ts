/** Shared helpers for transport tests: transports on 127.0.0.1:0, a canned responder, bounded waits. */
import { connect, type Socket } from 'node:net';
import { silentLogger } from '../../src/logging/logger.ts';
import type { RaftMessage, RaftRequest, RaftResponse } from '../../src/raft/core/messages.ts';
import { parseHostPort } from '../../src/raft/transport/address.ts';
import { TcpTransport, type TcpTransportOptions } from '../../src/raft/transport/tcp-transport.ts';

export const WAIT_MS = 5000;

export async function startTransport(
  id: string,
  extra: Partial<TcpTransportOptions> = {},
): Promise<{ t: TcpTransport; got: RaftMessage[] }> {
  const t = new TcpTransport({
    localId: id,
    bindHost: '127.0.0.1',
    bindPort: 0,
    logger: silentLogger(),
    ...extra,
  });
  const got: RaftMessage[] = [];
  t.setHandler((m) => got.push(m));
  await t.start();
  return { t, got };
}

/** The reply a healthy follower would give (success/granted), with the correlation fields filled. */
export function cannedReply(m: RaftRequest): RaftResponse {
  const base = { from: m.to, to: m.from, term: m.term };
  switch (m.type) {
    case 'appendEntries':
      return {
        ...base,
        type: 'appendEntriesResponse',
        success: true,
        lastLog: m.prevLogIndex + m.entries.length,
        noRetryBackoff: false,
        inReplyTo: { prevLogIndex: m.prevLogIndex, lastIndex: m.prevLogIndex + m.entries.length },
      };
    case 'requestVote':
      return { ...base, type: 'requestVoteResponse', granted: true };
    case 'requestPreVote':
      return { ...base, type: 'requestPreVoteResponse', granted: true };
    case 'installSnapshot':
      return {
        ...base,
        type: 'installSnapshotResponse',
        success: true,
        inReplyTo: { lastLogIndex: m.lastLogIndex },
      };
    case 'timeoutNow':
      return { ...base, type: 'timeoutNowResponse' };
  }
}

export async function waitFor(pred: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw client socket to a transport, collecting whatever comes back and whether it closed. */
export async function rawClient(addr: string): Promise<{ s: Socket; rx: Buffer[]; closed: () => boolean }> {
  const { host, port } = parseHostPort(addr);
  const s = connect({ host, port });
  const rx: Buffer[] = [];
  let isClosed = false;
  s.on('data', (d: Buffer) => rx.push(d));
  s.on('close', () => {
    isClosed = true;
  });
  s.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('error', reject);
  });
  return { s, rx, closed: () => isClosed };
}
