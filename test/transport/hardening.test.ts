/**
 * Hostile input on the raft port: garbage, truncated frames, huge length/array fields, slowloris, unknown
 * RPC types, oversize frames, connection floods, random bytes. Each must close (at most) its own
 * connection, never crash, and never stop a well-behaved peer from being served at the same time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { RaftRequest } from '../../src/raft/core/messages.ts';
import { encodeRequest } from '../../src/raft/transport/codec.ts';
import type { TcpTransport } from '../../src/raft/transport/tcp-transport.ts';
import { cannedReply, rawClient, startTransport, waitFor } from './helpers.ts';

const STALL_MS = 300;
const FRAME_MAX = 1024 * 1024;
const INBOUND_MAX = 20;

let t: TcpTransport;
let delivered = 0;

before(async () => {
  const s = await startTransport('b', {
    stalledFrameTimeoutMs: STALL_MS,
    frameBytesMax: FRAME_MAX,
    inboundConnectionsMax: INBOUND_MAX,
  });
  t = s.t;
  t.setHandler((m) => {
    delivered++;
    if (m.type === 'appendEntries' || m.type === 'requestVote') t.send(cannedReply(m as RaftRequest));
  });
});
after(() => t.close());

const hb = (): Buffer =>
  Buffer.concat(
    encodeRequest({
      type: 'appendEntries',
      from: { id: 'good', addr: '127.0.0.1:1' },
      to: { id: 'b', addr: t.localAddr() },
      term: 2,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: [],
      leaderCommit: 0,
    }),
  );

/** A well-behaved peer on its own connection still gets its reply. */
async function goodPeerServed(): Promise<void> {
  const c = await rawClient(t.localAddr());
  c.s.write(hb());
  await waitFor(() => Buffer.concat(c.rx).length > 10, 'good peer reply');
  assert.equal(Buffer.concat(c.rx)[0], 0xa0, 'no error');
  c.s.destroy();
}

async function expectClosed(bytes: Buffer, what: string): Promise<Buffer> {
  const c = await rawClient(t.localAddr());
  c.s.write(bytes);
  await waitFor(c.closed, `${what}: connection closed`);
  return Buffer.concat(c.rx);
}

describe('hardening', () => {
  it('garbage bytes close that connection only', async () => {
    const rx = await expectClosed(Buffer.from('00c1c1c1c1', 'hex'), 'reserved byte 0xc1');
    assert.equal(rx.length, 0);
    await expectClosed(Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'http request');
    await goodPeerServed();
  });

  it('unknown RPC type: closed with zero bytes back (as hashicorp)', async () => {
    for (const type of [5, 7, 0xff]) {
      const rx = await expectClosed(Buffer.from([type, 0x80]), `type ${type}`);
      assert.equal(rx.length, 0);
    }
    await goodPeerServed();
  });

  it('huge length / array fields fail at once, before any buffering', async () => {
    await expectClosed(
      Buffer.from(`0081a4${Buffer.from('Data').toString('hex')}dbfffffff0`, 'hex'),
      'str32 4 GiB',
    );
    await expectClosed(
      Buffer.from(`0081a7${Buffer.from('Entries').toString('hex')}ddffffffff`, 'hex'),
      'array32',
    );
    await expectClosed(Buffer.from('00dfffffffff', 'hex'), 'map32');
    await goodPeerServed();
  });

  it('a frame beyond frameBytesMax is refused even when sent in full', async () => {
    const big = Buffer.alloc(FRAME_MAX + 100, 0x41);
    const head = Buffer.from(`0081a4${Buffer.from('Data').toString('hex')}db`, 'hex');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(big.length);
    await expectClosed(Buffer.concat([head, len, big]), 'oversize frame');
    await goodPeerServed();
  });

  it('truncated frame then hang-up: nothing delivered, nothing crashes', async () => {
    const before = delivered;
    const frame = hb();
    const c = await rawClient(t.localAddr());
    c.s.end(frame.subarray(0, frame.length - 3));
    await waitFor(c.closed, 'closed');
    await goodPeerServed();
    assert.equal(delivered, before + 1, 'only the good peer was delivered');
  });

  it('slowloris: an idle half frame does not block others and is dropped after the stall timeout', async () => {
    const c = await rawClient(t.localAddr());
    c.s.write(hb().subarray(0, 20));
    await goodPeerServed();
    assert.equal(c.closed(), false, 'still open right after');
    await waitFor(c.closed, 'stalled connection dropped', STALL_MS * 10);
  });

  it('an idle connection between frames is never closed (hashicorp pools them)', async () => {
    const c = await rawClient(t.localAddr());
    c.s.write(hb());
    await waitFor(() => c.rx.length > 0, 'reply');
    await new Promise((r) => setTimeout(r, STALL_MS * 2));
    assert.equal(c.closed(), false);
    c.s.write(hb());
    await waitFor(() => c.rx.length > 1 || Buffer.concat(c.rx).length > 70, 'second reply');
    c.s.destroy();
  });

  it('a connection flood beyond inboundConnectionsMax is shed; existing peers keep working', async () => {
    const flood = await Promise.all(Array.from({ length: INBOUND_MAX + 5 }, () => rawClient(t.localAddr())));
    await waitFor(() => flood.filter((c) => c.closed()).length >= 5, 'excess connections closed');
    for (const c of flood) c.s.destroy();
    await waitFor(() => flood.every((c) => c.closed()), 'flood gone');
    await new Promise((r) => setTimeout(r, 20));
    await goodPeerServed();
  });

  it('random bytes (fast-check): never crash, the port keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), async (bytes) => {
        const c = await rawClient(t.localAddr());
        c.s.end(Buffer.from(bytes));
        await waitFor(c.closed, 'random client closed');
      }),
      { numRuns: 60 },
    );
    await goodPeerServed();
  });
});
