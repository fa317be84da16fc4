/**
 * TCP transport behaviour between two TS transports and against raw sockets: round trips of every RPC,
 * in-order replies under pipelining, heartbeats on their own connection, snapshot streaming, failures
 * reported asynchronously, Go's advertise rule, the pre-vote fallback for hashicorp < 1.7 peers.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/logging/logger.ts';
import type {
  AppendEntriesRequest,
  RaftRequest,
  RequestPreVoteRequest,
} from '../../src/raft/core/messages.ts';
import { LogType, Suffrage } from '../../src/raft/core/types.ts';
import { encodeRequest } from '../../src/raft/transport/codec.ts';
import { TcpTransport } from '../../src/raft/transport/tcp-transport.ts';
import { cannedReply, rawClient, startTransport, waitFor } from './helpers.ts';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers) await c();
});

async function pair() {
  const a = await startTransport('a');
  const b = await startTransport('b');
  closers.push(
    () => a.t.close(),
    () => b.t.close(),
  );
  const A = { id: 'a', addr: a.t.localAddr() };
  const B = { id: 'b', addr: b.t.localAddr() };
  return { a, b, A, B };
}

function ae(
  from: { id: string; addr: string },
  to: { id: string; addr: string },
  prev: number,
  n: number,
  size = 8,
): AppendEntriesRequest {
  return {
    type: 'appendEntries',
    from,
    to,
    term: 3,
    prevLogIndex: prev,
    prevLogTerm: prev === 0 ? 0 : 3,
    entries: Array.from({ length: n }, (_, i) => ({
      index: prev + i + 1,
      term: 3,
      type: LogType.Command,
      data: new Uint8Array(size).fill(i & 0xff),
      appendedAtMs: 1_700_000_000_000 + i,
    })),
    leaderCommit: prev,
  };
}

describe('tcp transport', () => {
  it('every RPC round-trips with decoded fields, from/to mapped, inReplyTo filled', async () => {
    const { a, b, A, B } = await pair();
    b.t.setHandler((m) => {
      b.got.push(m);
      if (m.type !== 'rpcFailure' && 'to' in m && m.type.endsWith('Response') === false)
        b.t.send(cannedReply(m as RaftRequest));
    });
    const cfg = { servers: [{ suffrage: Suffrage.Voter, id: 'a', address: A.addr }] };
    const reqs: RaftRequest[] = [
      ae(A, B, 4, 3),
      {
        type: 'requestVote',
        from: A,
        to: B,
        term: 4,
        lastLogIndex: 7,
        lastLogTerm: 3,
        leadershipTransfer: true,
      },
      { type: 'requestPreVote', from: A, to: B, term: 5, lastLogIndex: 7, lastLogTerm: 3 },
      { type: 'timeoutNow', from: A, to: B, term: 4 },
      {
        type: 'installSnapshot',
        from: A,
        to: B,
        term: 4,
        lastLogIndex: 9,
        lastLogTerm: 4,
        configuration: cfg,
        configurationIndex: 1,
        data: new Uint8Array(1024 * 1024 + 7).fill(0xab),
      },
    ];
    for (const r of reqs) a.t.send(r);
    await waitFor(() => a.got.length === reqs.length, 'all replies');
    for (const r of reqs) {
      const got = b.got.find((m) => m.type === r.type)!;
      // TimeoutNow carries no term on the wire (hashicorp handles it without a term check).
      const want = r.type === 'timeoutNow' ? { ...r, to: B, term: 0 } : { ...r, to: B };
      assert.deepEqual(got, want, `${r.type} decoded as sent`);
    }
    const aer = a.got.find((m) => m.type === 'appendEntriesResponse');
    assert.ok(aer && aer.type === 'appendEntriesResponse');
    assert.deepEqual(aer.inReplyTo, { prevLogIndex: 4, lastIndex: 7 });
    assert.deepEqual(aer.from, B);
    assert.deepEqual(aer.to, A);
    const isr = a.got.find((m) => m.type === 'installSnapshotResponse');
    assert.ok(isr && isr.type === 'installSnapshotResponse' && isr.success);
    assert.equal(isr.inReplyTo.lastLogIndex, 9);
    assert.ok(a.got.some((m) => m.type === 'requestPreVoteResponse' && m.granted));
    assert.ok(a.got.some((m) => m.type === 'timeoutNowResponse'));
  });

  it('pipelined AppendEntries: replies come back in request order even when the host answers out of order', async () => {
    const { a, b, A, B } = await pair();
    const held: RaftRequest[] = [];
    b.t.setHandler((m) => {
      if (m.type === 'appendEntries') held.push(m);
    });
    const count = 40;
    for (let i = 0; i < count; i++) a.t.send(ae(A, B, 10 + i, 1));
    // The transport caps what is in flight; answer whatever arrives, newest first, until all are done.
    const until = Date.now() + 5000;
    while (a.got.length < count && Date.now() < until) {
      const batch = held.splice(0).reverse();
      for (const m of batch) b.t.send(cannedReply(m));
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(a.got.length, count);
    const prevs = a.got.map((m) => (m.type === 'appendEntriesResponse' ? m.inReplyTo.prevLogIndex : -1));
    assert.deepEqual(
      prevs,
      Array.from({ length: count }, (_, i) => 10 + i),
    );
    for (const m of a.got)
      assert.ok(m.type === 'appendEntriesResponse' && m.lastLog === m.inReplyTo.lastIndex);
  });

  it('a heartbeat is answered while a large AppendEntries is still unanswered (own connection)', async () => {
    const { a, b, A, B } = await pair();
    b.t.setHandler((m) => {
      b.got.push(m);
      if (m.type === 'appendEntries' && m.entries.length === 0) b.t.send(cannedReply(m));
    });
    a.t.send(ae(A, B, 1, 4, 2 * 1024 * 1024));
    await waitFor(
      () => b.got.some((m) => m.type === 'appendEntries' && m.entries.length === 4),
      'big AE delivered',
    );
    a.t.send(ae(A, B, 0, 0));
    await waitFor(() => a.got.length === 1, 'heartbeat reply');
    const r = a.got[0]!;
    assert.ok(r.type === 'appendEntriesResponse' && r.inReplyTo.prevLogIndex === 0);
  });

  it('a request to a dead address fails asynchronously, never inside send()', async () => {
    const { a, A } = await pair();
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const to = { id: 'x', addr: `127.0.0.1:${port}` };
    a.t.send({
      type: 'requestVote',
      from: A,
      to,
      term: 1,
      lastLogIndex: 0,
      lastLogTerm: 0,
      leadershipTransfer: false,
    });
    assert.equal(a.got.length, 0, 'nothing delivered synchronously');
    await waitFor(() => a.got.length === 1, 'failure');
    const f = a.got[0]!;
    assert.ok(f.type === 'rpcFailure');
    assert.equal(f.request, 'requestVote');
    assert.deepEqual(f.from, to);
    a.t.send({ type: 'timeoutNow', from: A, to, term: 1 });
    await waitFor(() => a.got.length === 2, 'second failure (backoff or refused)');
    assert.equal(a.got[1]!.type, 'rpcFailure');
  });

  it("Go's advertise rule: 0.0.0.0 needs an advertised address", async () => {
    assert.throws(
      () => new TcpTransport({ localId: 'x', bindHost: '0.0.0.0', bindPort: 0, logger: silentLogger() }),
      /local bind address is not advertisable/,
    );
    const t = new TcpTransport({
      localId: 'x',
      bindHost: '0.0.0.0',
      bindPort: 0,
      advertised: '10.1.2.3:50050',
      logger: silentLogger(),
    });
    assert.equal(t.localAddr(), '10.1.2.3:50050');
    assert.throws(
      () =>
        new TcpTransport({
          localId: 'x',
          bindHost: '127.0.0.1',
          bindPort: 0,
          advertised: '0.0.0.0:1',
          logger: silentLogger(),
        }),
      /not advertisable/,
    );
  });

  it('pre-vote to a peer that hangs up on rpc type 4 (raft < 1.7) fails with "unexpected command"', async () => {
    const { a, A } = await pair();
    const old = createServer((s) => s.once('data', () => s.end()));
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise<void>((r) => old.close(() => r())));
    const to = { id: 'old', addr: `127.0.0.1:${(old.address() as { port: number }).port}` };
    const pv: RequestPreVoteRequest = {
      type: 'requestPreVote',
      from: A,
      to,
      term: 2,
      lastLogIndex: 1,
      lastLogTerm: 1,
    };
    a.t.send(pv);
    await waitFor(() => a.got.length === 1, 'pre-vote failure');
    const f = a.got[0]!;
    assert.ok(f.type === 'rpcFailure' && f.request === 'requestPreVote');
    assert.match(f.error, /unexpected command/);
  });

  it('a request with ProtocolVersion < 2 gets the Go error text and nil body; the core never sees it', async () => {
    const { b, A, B } = await pair();
    const frame = Buffer.concat(
      encodeRequest({
        type: 'requestVote',
        from: A,
        to: B,
        term: 1,
        lastLogIndex: 0,
        lastLogTerm: 0,
        leadershipTransfer: false,
      }),
    );
    // ProtocolVersion 03 -> 00
    const at = frame.indexOf(Buffer.from('ProtocolVersion')) + 'ProtocolVersion'.length;
    frame[at] = 0;
    const c = await rawClient(B.addr);
    c.s.write(frame);
    await waitFor(() => Buffer.concat(c.rx).length >= 56, 'error reply');
    const want = Buffer.concat([
      Buffer.from('da0035', 'hex'),
      Buffer.from('operation not supported with current protocol version'),
      Buffer.from('c0', 'hex'),
    ]);
    assert.deepEqual(Buffer.concat(c.rx), want);
    assert.equal(b.got.length, 0);
    c.s.destroy();
  });

  it('send after close is a no-op and close is idempotent', async () => {
    const { a, A, B } = await pair();
    await a.t.close();
    a.t.send(ae(A, B, 0, 0));
    await a.t.close();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(a.got.length, 0);
  });
});
