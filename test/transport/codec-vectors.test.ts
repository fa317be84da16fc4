/**
 * Byte-level tests of the hashicorp codec: every frame captured between real raft 1.1.2 nodes decodes and
 * re-encodes to the same bytes (profile v1.1.2); the 1.7 examples of the wire notes (§2.8, incl. the
 * go-msgpack `cartman` vector) encode byte for byte (profile v1.7).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode as msgpackDecode } from '@msgpack/msgpack';
import { decodeConfiguration, encodeConfiguration } from '../../src/raft/core/configuration-codec.ts';
import type { AppendEntriesRequest, Peer, RaftRequest, RaftResponse } from '../../src/raft/core/messages.ts';
import { LogType, Suffrage } from '../../src/raft/core/types.ts';
import {
  decodeResponse,
  encodeErrorResponse,
  encodeRequest,
  encodeResponse,
  readRequestFrame,
} from '../../src/raft/transport/codec.ts';
import { MsgpackReader, NeedMoreBytes } from '../../src/raft/transport/msgpack-reader.ts';
import { captured112, protocolVersionErrorReply, voteRefusedReply } from './captured-1.1.2.ts';

const BYTES_MAX = 64 * 1024 * 1024;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const cat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const s = (x: string): string => Buffer.from(x).toString('hex');
const LOCAL: Peer = { id: 'local', addr: '127.0.0.1:1' };

function readAll(bytes: Uint8Array): RaftRequest {
  const r = new MsgpackReader(bytes, 0, bytes.length, BYTES_MAX);
  const d = readRequestFrame(r, LOCAL);
  assert.equal(r.pos, bytes.length, 'the request consumes exactly the frame');
  return d.msg;
}

/** A response decoded from `bytes` to the request `req`, as the sender sees it. */
function readResponse(bytes: Uint8Array, req: RaftRequest) {
  const sent: RaftRequest = { ...req, from: req.from, to: { id: 'peer', addr: '127.0.0.1:2' } };
  const r = new MsgpackReader(bytes, 0, bytes.length, BYTES_MAX);
  const m = decodeResponse(r, sent);
  assert.equal(r.pos, bytes.length, 'the response consumes exactly the frame');
  return m;
}

describe('captured hashicorp 1.1.2 frames', () => {
  for (const x of captured112) {
    it(`${x.name}: request decodes and re-encodes byte for byte`, () => {
      const frame = cat([unhex(x.request), unhex(x.snapshotBody ?? '')]);
      const msg = readAll(frame);
      assert.equal(hex(cat(encodeRequest(msg, 'v1.1.2'))), hex(frame));
    });
    it(`${x.name}: response decodes and re-encodes byte for byte`, () => {
      const req = readAll(cat([unhex(x.request), unhex(x.snapshotBody ?? '')]));
      const resp = readResponse(unhex(x.response), req);
      assert.notEqual(resp.type, 'rpcFailure');
      assert.equal(hex(encodeResponse(resp as RaftResponse, 'v1.1.2')), x.response);
    });
  }

  it('decodes the fields of the LogCommand AppendEntries and its reply', () => {
    const msg = readAll(unhex(captured112[0]!.request)) as AppendEntriesRequest;
    assert.equal(msg.type, 'appendEntries');
    assert.deepEqual(msg.from, { id: '', addr: '127.0.0.1:27311' });
    assert.deepEqual(msg.to, LOCAL);
    assert.equal(msg.term, 2);
    assert.equal(msg.prevLogIndex, 2);
    assert.equal(msg.prevLogTerm, 2);
    assert.equal(msg.leaderCommit, 2);
    assert.equal(msg.entries.length, 1);
    assert.equal(Buffer.from(msg.entries[0]!.data).toString(), 'hello-raft');
    assert.equal(msg.entries[0]!.index, 3);
    assert.equal(msg.entries[0]!.type, LogType.Command);
    const resp = readResponse(unhex(captured112[0]!.response), msg);
    assert.equal(resp.type, 'appendEntriesResponse');
    if (resp.type !== 'appendEntriesResponse') return;
    assert.equal(resp.success, true);
    assert.equal(resp.lastLog, 2);
    assert.deepEqual(resp.inReplyTo, { prevLogIndex: 2, lastIndex: 3 });
  });

  it('decodes the LogConfiguration entry and the InstallSnapshot configuration + body', () => {
    const cfgEntry = captured112.find((x) => x.name.includes('[LogConfiguration]'))!;
    const ae = readAll(unhex(cfgEntry.request)) as AppendEntriesRequest;
    assert.equal(ae.entries[0]!.type, LogType.Configuration);
    const cfg = decodeConfiguration(ae.entries[0]!.data);
    assert.deepEqual(
      cfg.servers.map((x) => [x.id, x.address, x.suffrage]),
      [1, 2, 3, 4].map((n) => [`n${n}`, `127.0.0.1:2731${n}`, Suffrage.Voter]),
    );
    assert.equal(hex(encodeConfiguration(cfg)), hex(ae.entries[0]!.data));
    const snap = captured112.find((x) => x.name.startsWith('InstallSnapshot'))!;
    const is = readAll(cat([unhex(snap.request), unhex(snap.snapshotBody!)]));
    assert.equal(is.type, 'installSnapshot');
    if (is.type !== 'installSnapshot') return;
    assert.equal(is.lastLogIndex, 134);
    assert.equal(is.configurationIndex, 1);
    assert.equal(is.configuration.servers.length, 3);
    assert.equal(is.from.addr, '127.0.0.1:27312');
    assert.match(Buffer.from(is.data).toString(), /"count":131/);
  });

  it('a cut frame needs more bytes at every cut point, never yields a partial message', () => {
    for (const x of captured112) {
      const frame = cat([unhex(x.request), unhex(x.snapshotBody ?? '')]);
      for (let cut = 0; cut < frame.length; cut++) {
        const r = new MsgpackReader(frame, 0, cut, BYTES_MAX);
        assert.throws(() => readRequestFrame(r, LOCAL), NeedMoreBytes, `${x.name} cut at ${cut}`);
      }
    }
  });

  it('error replies: the protocol-version probe decodes to an rpcFailure with the Go text', () => {
    const req = readAll(unhex(captured112.find((x) => x.name.startsWith('RequestVote'))!.request));
    const m = readResponse(unhex(protocolVersionErrorReply), req);
    assert.equal(m.type, 'rpcFailure');
    if (m.type !== 'rpcFailure') return;
    assert.equal(m.error, 'operation not supported with current protocol version');
    assert.equal(m.request, 'requestVote');
    assert.equal(hex(encodeErrorResponse(m.error)), protocolVersionErrorReply);
    const refused = readResponse(unhex(voteRefusedReply), req);
    assert.equal(refused.type, 'requestVoteResponse');
    if (refused.type === 'requestVoteResponse') assert.equal(refused.granted, false);
  });
});

describe('hashicorp 1.7 encodings (wire notes §2.8)', () => {
  const node1: Peer = { id: 'node1', addr: '10.0.0.1:50050' };
  const node2: Peer = { id: 'node2', addr: '10.0.0.2:50050' };
  const hb: AppendEntriesRequest = {
    type: 'appendEntries',
    from: node1,
    to: node2,
    term: 7,
    prevLogIndex: 0,
    prevLogTerm: 0,
    entries: [],
    leaderCommit: 0,
  };
  const heartbeatHex =
    '0089' +
    `a4${s('Addr')}ae${s('10.0.0.1:50050')}a7${s('Entries')}c0a2${s('ID')}a5${s('node1')}` +
    `a6${s('Leader')}ae${s('10.0.0.1:50050')}b1${s('LeaderCommitIndex')}00ac${s('PrevLogEntry')}00` +
    `ab${s('PrevLogTerm')}00af${s('ProtocolVersion')}03a4${s('Term')}07`;

  it('(a) heartbeat: 131 bytes, both ID/Addr and Leader', () => {
    const b = cat(encodeRequest(hb));
    assert.equal(b.length, 131);
    assert.equal(hex(b), heartbeatHex);
    assert.deepEqual(readAll(b), { ...hb, to: LOCAL });
  });

  it('go-msgpack raft_v055 vector: heartbeat from "cartman" with no ID', () => {
    const b = cat(encodeRequest({ ...hb, from: { id: '', addr: 'cartman' }, term: 10 }));
    const want =
      '0089' +
      `a4${s('Addr')}a7${s('cartman')}a7${s('Entries')}c0a2${s('ID')}c0a6${s('Leader')}a7${s('cartman')}` +
      `b1${s('LeaderCommitIndex')}00ac${s('PrevLogEntry')}00ab${s('PrevLogTerm')}00` +
      `af${s('ProtocolVersion')}03a4${s('Term')}0a`;
    assert.equal(hex(b), want);
  });

  it('(b)+(c) AppendEntries with one entry and AppendedAt 2024-01-01Z: 198 bytes', () => {
    const entry = {
      index: 42,
      term: 7,
      type: LogType.Command,
      data: Buffer.from('hi'),
      appendedAtMs: 1704067200000,
    };
    const ae: AppendEntriesRequest = {
      ...hb,
      entries: [entry],
      leaderCommit: 41,
      prevLogIndex: 41,
      prevLogTerm: 7,
    };
    const b = cat(encodeRequest(ae));
    assert.equal(b.length, 198);
    const entryHex =
      `86aa${s('AppendedAt')}af01000000 0edd23f7800000 0000ffff`.replaceAll(' ', '') +
      `a4${s('Data')}a26869aa${s('Extensions')}c0a5${s('Index')}2aa4${s('Term')}07a4${s('Type')}00`;
    assert.ok(hex(b).includes(`a7${s('Entries')}91${entryHex}`), 'entry (b) appears verbatim');
    const back = readAll(b) as AppendEntriesRequest;
    assert.equal(back.entries[0]!.appendedAtMs, 1704067200000);
    assert.equal(Buffer.from(back.entries[0]!.data).toString(), 'hi');
  });

  it('(d) success reply from node2', () => {
    const b = encodeResponse({
      type: 'appendEntriesResponse',
      from: node2,
      to: node1,
      term: 7,
      success: true,
      lastLog: 42,
      noRetryBackoff: false,
      inReplyTo: { prevLogIndex: 41, lastIndex: 42 },
    });
    const want =
      `a087a4${s('Addr')}ae${s('10.0.0.2:50050')}a2${s('ID')}a5${s('node2')}a7${s('LastLog')}2a` +
      `ae${s('NoRetryBackoff')}c2af${s('ProtocolVersion')}03a7${s('Success')}c3a4${s('Term')}07`;
    assert.equal(hex(b), want);
  });

  it('(e) TimeoutNow is 48 bytes; its reply has a zero header', () => {
    const b = cat(encodeRequest({ type: 'timeoutNow', from: node1, to: node2, term: 7 }));
    assert.equal(b.length, 48);
    assert.equal(
      hex(encodeResponse({ type: 'timeoutNowResponse', from: node2, to: node1, term: 7 })),
      `a083a4${s('Addr')}c0a2${s('ID')}c0af${s('ProtocolVersion')}00`,
    );
  });

  it('(e) RequestVote fills Candidate = Addr; RequestPreVote is type 4 with 6 keys', () => {
    const rv = cat(
      encodeRequest({
        type: 'requestVote',
        from: node1,
        to: node2,
        term: 8,
        lastLogIndex: 42,
        lastLogTerm: 7,
        leadershipTransfer: false,
      }),
    );
    assert.equal(hex(rv.subarray(0, 2)), '0188');
    const generic = msgpackDecode(rv.subarray(1)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(generic), [
      'Addr',
      'Candidate',
      'ID',
      'LastLogIndex',
      'LastLogTerm',
      'LeadershipTransfer',
      'ProtocolVersion',
      'Term',
    ]);
    assert.equal(generic['Addr'], generic['Candidate']);
    const pv = cat(
      encodeRequest({
        type: 'requestPreVote',
        from: node1,
        to: node2,
        term: 8,
        lastLogIndex: 42,
        lastLogTerm: 7,
      }),
    );
    assert.equal(hex(pv.subarray(0, 2)), '0486');
    assert.deepEqual(readAll(pv), {
      type: 'requestPreVote',
      from: node1,
      to: LOCAL,
      term: 8,
      lastLogIndex: 42,
      lastLogTerm: 7,
    });
  });

  it('(f) one-voter configuration blob', () => {
    const b = encodeConfiguration({
      servers: [{ suffrage: Suffrage.Voter, id: 'node1', address: '10.0.0.1:50050' }],
    });
    assert.equal(
      hex(b),
      `81a7${s('Servers')}9183a7${s('Address')}ae${s('10.0.0.1:50050')}a2${s('ID')}a5${s('node1')}a8${s('Suffrage')}00`,
    );
  });

  it('keys are sorted and every field present in every 1.7 request (checked with @msgpack/msgpack)', () => {
    const cfg = { servers: [{ suffrage: Suffrage.Voter, id: 'node1', address: '10.0.0.1:50050' }] };
    const msgs: RaftRequest[] = [
      hb,
      { type: 'timeoutNow', from: node1, to: node2, term: 1 },
      {
        type: 'installSnapshot',
        from: node1,
        to: node2,
        term: 3,
        lastLogIndex: 9,
        lastLogTerm: 3,
        configuration: cfg,
        configurationIndex: 1,
        data: new Uint8Array([1, 2, 3]),
      },
    ];
    const want = [9, 3, 12];
    msgs.forEach((m, i) => {
      const [head] = encodeRequest(m);
      const keys = Object.keys(msgpackDecode(head!.subarray(1)) as Record<string, unknown>);
      assert.equal(keys.length, want[i]);
      assert.deepEqual(keys, [...keys].sort());
    });
  });
});
