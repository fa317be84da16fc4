/**
 * Transport-level interop against real hashicorp/raft 1.1.2 nodes (test/interop/raftpeer, built from
 * Debian's packages): our TCP transport, driven by small scripted peers in this file, must be understood
 * by Go and must understand Go, in both directions and for every RPC 1.1.2 knows:
 * - Go leader → TS follower: probe/reject, InstallSnapshot from a compacted Go log, AppendEntries with
 *   command + configuration entries, heartbeats, TimeoutNow → RequestVote(LeadershipTransfer);
 * - TS → Go: 500 entries replicated and applied with identical bytes (hash chain), heartbeats keep the
 *   Go follower on our leader, InstallSnapshot restores Go's FSM, stale votes/appends refused with Go's
 *   term, and a pre-vote to 1.1.2 (which hangs up on rpc type 4) reported as `unexpected command`.
 * Skips loudly (not a pass) only when Go or the raft sources are not installed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { decodeConfiguration, encodeConfiguration } from '../../src/raft/core/configuration-codec.ts';
import type {
  AppendEntriesRequest,
  InstallSnapshotRequest,
  Peer,
  RaftMessage,
  RaftRequest,
} from '../../src/raft/core/messages.ts';
import { type LogEntry, LogType, Suffrage } from '../../src/raft/core/types.ts';
import type { TcpTransport } from '../../src/raft/transport/tcp-transport.ts';
import { cannedReply, startTransport, waitFor } from '../transport/helpers.ts';
import { appliedChain, buildGoPeer, GoPeer } from './go-peer.ts';

const bin = buildGoPeer();
const FAST = ['--heartbeat-ms', '300', '--election-ms', '300', '--lease-ms', '150', '--commit-ms', '20'];
const SLOW = ['--heartbeat-ms', '3000', '--election-ms', '3000', '--lease-ms', '500', '--commit-ms', '20'];
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function goPeer(id: string, args: string[]): Promise<GoPeer> {
  const g = await GoPeer.start(id, args);
  cleanups.push(() => g.kill());
  return g;
}

async function tsTransport(id: string): Promise<{ t: TcpTransport; got: RaftMessage[]; self: Peer }> {
  const s = await startTransport(id);
  cleanups.push(() => s.t.close());
  return { ...s, self: { id, addr: s.t.localAddr() } };
}

/** A scripted follower: enough Raft to let a Go leader replicate to it. */
function scriptedFollower(t: TcpTransport, seen: RaftMessage[]) {
  const log = new Map<number, LogEntry>();
  let snapIndex = 0;
  let snapTerm = 0;
  let last = 0;
  const termAt = (i: number) => (i === snapIndex ? snapTerm : (log.get(i)?.term ?? -1));
  t.setHandler((m) => {
    seen.push(m);
    if (m.type === 'appendEntries') {
      const ok = m.prevLogIndex === 0 || (m.prevLogIndex <= last && termAt(m.prevLogIndex) === m.prevLogTerm);
      if (ok) for (const e of m.entries) log.set(e.index, e);
      if (ok && m.entries.length > 0) last = Math.max(last, m.entries[m.entries.length - 1]!.index);
      t.send({ ...cannedReply(m), success: ok, lastLog: last, noRetryBackoff: !ok } as RaftMessage);
    } else if (m.type === 'installSnapshot') {
      snapIndex = m.lastLogIndex;
      snapTerm = m.lastLogTerm;
      last = snapIndex;
      log.clear();
      t.send(cannedReply(m));
    } else if (m.type === 'requestVote' || m.type === 'timeoutNow') {
      t.send(cannedReply(m as RaftRequest));
    }
  });
  return { log, lastIndex: () => last };
}

describe('interop with hashicorp raft 1.1.2 (transport level)', {
  skip: bin === null ? 'Go not installed' : false,
}, () => {
  it('Go leader → TS follower: snapshot install, entries, heartbeats, config change, TimeoutNow', async () => {
    const g = await goPeer('g1', ['--bootstrap', '--trailing-logs', '0', ...FAST]);
    await g.waitState((s) => s.role === 'leader', 'g1 leader');
    for (let i = 1; i <= 5; i++) await g.call('/apply', Buffer.from(`a${i}`));
    await g.call('/snapshot');
    await g.call('/apply', Buffer.from('a6'));
    const ts = await tsTransport('ts1');
    const seen: RaftMessage[] = [];
    const f = scriptedFollower(ts.t, seen);
    await g.call(`/add_voter?id=ts1&addr=${ts.self.addr}`);
    await g.call('/apply', Buffer.from('after-join'));
    await waitFor(
      () => [...f.log.values()].some((e) => Buffer.from(e.data).toString() === 'after-join'),
      'entry',
    );

    const snap = seen.find((m): m is InstallSnapshotRequest => m.type === 'installSnapshot');
    assert.ok(snap, 'Go sent InstallSnapshot (its log was compacted)');
    assert.deepEqual(snap.from, { id: '', addr: g.raftAddr }, '1.1.2 sends only the legacy Leader address');
    assert.deepEqual(snap.to, ts.self);
    assert.ok(snap.configuration.servers.some((s) => s.id === 'g1' && s.address === g.raftAddr));
    assert.equal(JSON.parse(Buffer.from(snap.data).toString()).count, 5);

    const isHb = (m: RaftMessage) =>
      m.type === 'appendEntries' && m.entries.length === 0 && m.prevLogIndex === 0 && m.leaderCommit === 0;
    await waitFor(() => seen.some(isHb), 'a heartbeat-shaped AppendEntries from Go');
    assert.deepEqual(seen.find(isHb)!.from, { id: '', addr: g.raftAddr });
    const cfgEntry = [...f.log.values()].find((e) => e.type === LogType.Configuration);
    assert.ok(cfgEntry, 'configuration entry replicated');
    const cfg = decodeConfiguration(cfgEntry.data);
    assert.deepEqual(
      cfg.servers.map((s) => [s.id, s.address, s.suffrage]),
      [
        ['g1', g.raftAddr, Suffrage.Voter],
        ['ts1', ts.self.addr, Suffrage.Voter],
      ],
    );
    const conf = await g.call<{ servers: Array<{ id: string }> }>('/configuration');
    assert.deepEqual(
      conf.servers.map((s) => s.id),
      ['g1', 'ts1'],
    );
    const st = await g.state();
    assert.equal(st.appliedCount, 7);

    // TimeoutNow from "ts1": g1 steps down and campaigns with LeadershipTransfer=true toward us.
    const termBefore = st.term;
    ts.t.send({ type: 'timeoutNow', from: ts.self, to: { id: 'g1', addr: g.raftAddr }, term: termBefore });
    await waitFor(() => seen.some((m) => m.type === 'requestVote'), 'vote request after TimeoutNow');
    const rv = seen.find((m) => m.type === 'requestVote')!;
    assert.ok(rv.type === 'requestVote' && rv.leadershipTransfer, 'LeadershipTransfer flag decoded');
    assert.equal(rv.term, termBefore + 1);
    assert.equal(rv.from.addr, g.raftAddr);
    await g.waitState((s) => s.role === 'leader' && s.term === termBefore + 1, 'g1 re-elected with our vote');
  });

  it('TS leader → Go follower: 500 entries applied with identical bytes, heartbeats, stale RPCs refused', async () => {
    const g = await goPeer('g2', SLOW);
    const ts = await tsTransport('tsL');
    const gPeer = { id: 'g2', addr: g.raftAddr };
    const term = 1;
    const datas = Array.from({ length: 500 }, (_, i) => randomBytes(1 + ((i * 997) % 4000)));
    const entries: LogEntry[] = [
      {
        index: 1,
        term,
        type: LogType.Configuration,
        data: encodeConfiguration({
          servers: [
            { suffrage: Suffrage.Voter, id: 'tsL', address: ts.self.addr },
            { suffrage: Suffrage.Voter, id: 'g2', address: g.raftAddr },
          ],
        }),
        appendedAtMs: Date.now(),
      },
      { index: 2, term, type: LogType.Noop, data: new Uint8Array(0), appendedAtMs: Date.now() },
      ...datas.map((d, i) => ({
        index: i + 3,
        term,
        type: LogType.Command,
        data: d,
        appendedAtMs: Date.now(),
      })),
    ];
    const heartbeat = (): AppendEntriesRequest => ({
      type: 'appendEntries',
      from: ts.self,
      to: gPeer,
      term,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: [],
      leaderCommit: 0,
    });
    const hbTimer = setInterval(() => ts.t.send(heartbeat()), 100);
    cleanups.push(() => clearInterval(hbTimer));
    const batch = 64;
    for (let at = 0; at < entries.length; at += batch) {
      const chunk = entries.slice(at, at + batch);
      ts.t.send({
        type: 'appendEntries',
        from: ts.self,
        to: gPeer,
        term,
        prevLogIndex: at,
        prevLogTerm: at === 0 ? 0 : term,
        entries: chunk,
        leaderCommit: Math.min(at, entries.length),
      });
    }
    const ok = () =>
      ts.got.filter(
        (m) => m.type === 'appendEntriesResponse' && m.success && m.inReplyTo.lastIndex === entries.length,
      ).length;
    await waitFor(() => ok() === 1, 'last batch acknowledged', 15_000);
    assert.ok(!ts.got.some((m) => m.type === 'rpcFailure'), 'no transport failures');
    ts.t.send({
      type: 'appendEntries',
      from: ts.self,
      to: gPeer,
      term,
      prevLogIndex: entries.length,
      prevLogTerm: term,
      entries: [],
      leaderCommit: entries.length,
    });
    const st = await g.waitState((s) => s.appliedCount === 500, 'g2 applied 500 commands', 15_000);
    assert.equal(st.appliedChain, appliedChain(datas), 'identical bytes in identical order');
    assert.equal(st.leader, ts.self.addr, 'Go follows the TS leader');
    assert.equal(st.role, 'follower');
    assert.equal(st.lastIndex, entries.length);
    const conf = await g.call<{ servers: Array<{ id: string; address: string }> }>('/configuration');
    assert.deepEqual(
      conf.servers.map((s) => s.id),
      ['tsL', 'g2'],
    );

    // Stale RPCs: Go answers with its term, refusing.
    const n0 = ts.got.length;
    ts.t.send({
      type: 'requestVote',
      from: ts.self,
      to: gPeer,
      term: 0,
      lastLogIndex: 0,
      lastLogTerm: 0,
      leadershipTransfer: false,
    });
    await waitFor(() => ts.got.slice(n0).some((m) => m.type === 'requestVoteResponse'), 'vote reply');
    const vr = ts.got.slice(n0).find((m) => m.type === 'requestVoteResponse')!;
    assert.ok(vr.type === 'requestVoteResponse' && !vr.granted && vr.term === term);

    // Pre-vote: 1.1.2 does not know rpc type 4 and hangs up; we report Go 1.7's "unexpected command".
    ts.t.send({
      type: 'requestPreVote',
      from: ts.self,
      to: gPeer,
      term: term + 1,
      lastLogIndex: 502,
      lastLogTerm: 1,
    });
    await waitFor(() => ts.got.slice(n0).some((m) => m.type === 'rpcFailure'), 'pre-vote failure');
    const pf = ts.got.slice(n0).find((m) => m.type === 'rpcFailure')!;
    assert.ok(pf.type === 'rpcFailure' && pf.request === 'requestPreVote');
    assert.match(pf.error, /unexpected command/);
    // ... and the Go node is unharmed: it still follows us.
    assert.equal((await g.state()).leader, ts.self.addr);
  });

  it('TS → Go InstallSnapshot restores the Go FSM, then replication continues from it', async () => {
    const g = await goPeer('g3', SLOW);
    const ts = await tsTransport('tsS');
    const gPeer = { id: 'g3', addr: g.raftAddr };
    const prior = Array.from({ length: 7 }, (_, i) => Buffer.from(`before-${i}`));
    const state = JSON.stringify({ count: 7, chain: appliedChain(prior), applied: 10 });
    ts.t.send({
      type: 'installSnapshot',
      from: ts.self,
      to: gPeer,
      term: 2,
      lastLogIndex: 10,
      lastLogTerm: 2,
      configuration: {
        servers: [
          { suffrage: Suffrage.Voter, id: 'tsS', address: ts.self.addr },
          { suffrage: Suffrage.Voter, id: 'g3', address: g.raftAddr },
        ],
      },
      configurationIndex: 1,
      data: Buffer.from(state),
    });
    await waitFor(() => ts.got.some((m) => m.type === 'installSnapshotResponse'), 'snapshot reply');
    const r = ts.got.find((m) => m.type === 'installSnapshotResponse')!;
    assert.ok(r.type === 'installSnapshotResponse' && r.success && r.inReplyTo.lastLogIndex === 10);
    const next = Buffer.from('after-snapshot');
    ts.t.send({
      type: 'appendEntries',
      from: ts.self,
      to: gPeer,
      term: 2,
      prevLogIndex: 10,
      prevLogTerm: 2,
      entries: [{ index: 11, term: 2, type: LogType.Command, data: next }],
      leaderCommit: 11,
    });
    const st = await g.waitState((s) => s.appliedCount === 8, 'g3 applied the entry after the snapshot');
    assert.equal(st.appliedChain, appliedChain([...prior, next]));
    assert.equal(st.lastIndex, 11);
  });
});
