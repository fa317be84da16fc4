/**
 * Decoder tolerance (what other encoders and other hashicorp versions may send) and encode→decode
 * round trips of random messages, plus the AppendedAt time forms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AppendEntriesRequest, Peer, RaftRequest } from '../../src/raft/core/messages.ts';
import { type LogEntry, LogType, Suffrage } from '../../src/raft/core/types.ts';
import { encodeRequest, readRequestFrame } from '../../src/raft/transport/codec.ts';
import { readGoTime, writeGoTime } from '../../src/raft/transport/go-time.ts';
import { MsgpackReader, NeedMoreBytes } from '../../src/raft/transport/msgpack-reader.ts';
import { MsgpackWriter, ZERO_COPY_BYTES_MIN } from '../../src/raft/transport/msgpack-writer.ts';
import { WireError, WireErrorCode } from '../../src/raft/transport/wire-errors.ts';

const BYTES_MAX = 1024 * 1024;
const LOCAL: Peer = { id: 'me', addr: '127.0.0.1:9' };
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const cat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

function decode(bytes: Uint8Array): RaftRequest {
  const r = new MsgpackReader(bytes, 0, bytes.length, BYTES_MAX);
  const m = readRequestFrame(r, LOCAL).msg;
  assert.equal(r.pos, bytes.length);
  return m;
}

describe('decoder tolerance', () => {
  it('accepts bin/str8 byte fields, wide ints, any key order, unknown keys, missing keys', () => {
    const w = new MsgpackWriter();
    const bin8 = (b: Uint8Array) => {
      w.byte(0xc4).byte(b.length);
      for (const x of b) w.byte(x);
    };
    const str8 = (t: string) => {
      const b = Buffer.from(t);
      w.byte(0xd9).byte(b.length);
      for (const x of b) w.byte(x);
    };
    w.byte(0).mapHeader(7);
    str8('Term');
    w.byte(0xd3).byte(0).byte(0).byte(0).byte(0).byte(0).byte(0).byte(0).byte(9); // int64 9
    w.key('Unknown').mapHeader(1).key('x').arrayHeader(2).bool(true).nil();
    w.key('Leader');
    bin8(Buffer.from('10.0.0.1:1'));
    w.key('Entries').arrayHeader(1).mapHeader(4);
    w.key('Type').uint(LogType.Command).key('Index').byte(0xcd).byte(0).byte(7); // uint16 7
    w.key('Data');
    bin8(new Uint8Array([0xff, 0x00, 0xfe]));
    w.key('AppendedAt').byte(0xd6).byte(0xff).byte(0).byte(0).byte(0).byte(100); // ext -1, 4-byte ts: 100 s
    w.key('PrevLogEntry').uint(6).key('PrevLogTerm').uint(4).key('LeaderCommitIndex').uint(6);
    const m = decode(w.bytes()) as AppendEntriesRequest;
    assert.equal(m.term, 9);
    assert.deepEqual(m.from, { id: '', addr: '10.0.0.1:1' });
    assert.equal(m.entries[0]!.index, 7);
    assert.equal(m.entries[0]!.term, 0, 'missing key → zero value');
    assert.deepEqual([...m.entries[0]!.data], [0xff, 0x00, 0xfe], 'binary data is not UTF-8 mangled');
    assert.equal(m.entries[0]!.appendedAtMs, 100_000);
  });

  it('rejects an unknown log type and an unknown rpc type with a WireError', () => {
    const e: LogEntry = { index: 1, term: 1, type: LogType.Command, data: new Uint8Array([1]) };
    const ae: AppendEntriesRequest = {
      type: 'appendEntries',
      from: LOCAL,
      to: LOCAL,
      term: 1,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: [e],
      leaderCommit: 0,
    };
    const b = cat(encodeRequest(ae, 'v1.1.2'));
    const typeAt = Buffer.from(b).indexOf(Buffer.from('a45479706500', 'hex')) + 5;
    b[typeAt] = 6;
    assert.throws(() => decode(b), WireError);
    assert.throws(() => decode(unhex('0780')), /unknown rpc type 7/);
  });

  it('a malformed Configuration or Peers blob in InstallSnapshot is a WireError (closes the connection)', () => {
    for (const [key, blob] of [
      ['Configuration', new Uint8Array([0x01])],
      ['Peers', new Uint8Array([0x91, 0xa3, 0x61])],
    ] as const) {
      const w = new MsgpackWriter();
      w.byte(2).mapHeader(1).key(key).raw(blob);
      assert.throws(
        () => decode(w.bytes()),
        (e: unknown) => e instanceof WireError && e.code === WireErrorCode.Malformed,
        key,
      );
    }
  });

  it('a declared length beyond the bound fails at once (no waiting for 4 GiB)', () => {
    const b = unhex('0081a4446174618fdbfffffff0');
    const r = new MsgpackReader(b, 0, b.length, BYTES_MAX);
    assert.throws(() => readRequestFrame(r, LOCAL), /exceeds/);
    const arr = unhex('0081a7456e7472696573ddffffffff');
    assert.throws(() => readRequestFrame(new MsgpackReader(arr, 0, arr.length, BYTES_MAX), LOCAL), /exceeds/);
  });

  it('a deeply nested unknown value is refused, not recursed without bound', () => {
    const b = cat([unhex('0081a15a'), new Uint8Array(100).fill(0x91), unhex('c0')]);
    assert.throws(() => decode(b), /nested too deeply/);
  });
});

describe('Go time forms', () => {
  const roundTrip = (ms: number | undefined) => {
    const w = new MsgpackWriter();
    writeGoTime(w, ms);
    const b = w.bytes();
    assert.equal(b[0], 0xaf, 'always a 15-byte fixstr');
    return readGoTime(new MsgpackReader(b, 0, b.length, BYTES_MAX));
  };
  it('zero time and real times round-trip at ms precision', () => {
    assert.equal(roundTrip(undefined), undefined);
    const w = new MsgpackWriter();
    writeGoTime(w, undefined);
    assert.equal(Buffer.from(w.bytes()).toString('hex'), `af01${'00'.repeat(12)}ffff`);
    fc.assert(fc.property(fc.integer({ min: 1, max: 4102444800000 }), (ms) => roundTrip(ms) === ms));
  });
  it('decodes nil, 8- and 12-byte timestamps, and a non-UTC offset', () => {
    const rd = (h: string) => {
      const b = unhex(h);
      return readGoTime(new MsgpackReader(b, 0, b.length, BYTES_MAX));
    };
    assert.equal(rd('c0'), undefined);
    // 8 bytes: nsec=5_000_000 << 34 | sec=1704067200
    const x = (5_000_000n << 34n) | 1704067200n;
    assert.equal(rd(`a8${x.toString(16).padStart(16, '0')}`), 1704067200005);
    assert.equal(rd(`ac${'00000000'}${1704067200n.toString(16).padStart(16, '0')}`), 1704067200000);
    // MarshalBinary with +02:00 offset (0x0078): absolute seconds are unchanged
    assert.equal(rd('af010000000edd23f7800000000000078'.slice(0, 32) + '78'), 1704067200000);
  });
});

describe('zero-copy chunks', () => {
  /** Reference encoding of one str/raw value, independent of MsgpackWriter. */
  const refRaw = (b: Uint8Array): Uint8Array => {
    const n = b.length;
    const head =
      n < 32
        ? [0xa0 | n]
        : n <= 0xffff
          ? [0xda, n >> 8, n & 0xff]
          : [0xdb, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    return cat([Uint8Array.from(head), b]);
  };

  it('chunks() joined = bytes() = the reference encoding; large values are referenced, small copied', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 40 }),
            fc
              .integer({ min: ZERO_COPY_BYTES_MIN - 2, max: 70_000 })
              .map((n) => new Uint8Array(n).fill(n & 0xff)),
          ),
          { maxLength: 12 },
        ),
        (values) => {
          const w = new MsgpackWriter(16);
          for (const v of values) w.byte(0x01).raw(v);
          const want = cat(values.flatMap((v) => [Uint8Array.of(0x01), refRaw(v)]));
          const chunks = w.chunks();
          assert.deepEqual(cat(chunks), want);
          assert.deepEqual(w.bytes(), want);
          assert.equal(w.length, want.length);
          for (const v of values) {
            const referenced = chunks.some((c) => c === v);
            assert.equal(referenced, v.length >= ZERO_COPY_BYTES_MIN, `value of ${v.length} bytes`);
          }
        },
      ),
    );
  });
});

describe('round trips (fast-check)', () => {
  const rec = <T extends object>(m: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
    fc.record(m, { noNullPrototype: true }) as unknown as fc.Arbitrary<T>;
  const peer = rec({ id: fc.string({ maxLength: 12 }), addr: fc.string({ minLength: 1, maxLength: 40 }) });
  const u = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const entry = rec({
    index: u,
    term: u,
    type: fc.constantFrom(0, 1, 2, 3, 4, 5) as fc.Arbitrary<LogType>,
    // Around ZERO_COPY_BYTES_MIN too, so referenced (not copied) entry data is round-tripped.
    data: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 4090, maxLength: 4200 })),
    appendedAtMs: fc.integer({ min: 1, max: 4102444800000 }),
  });
  const request: fc.Arbitrary<RaftRequest> = fc.oneof(
    rec({
      type: fc.constant('appendEntries' as const),
      from: peer,
      to: fc.constant(LOCAL),
      term: u,
      prevLogIndex: u,
      prevLogTerm: u,
      entries: fc.array(entry, { minLength: 1, maxLength: 20 }),
      leaderCommit: u,
    }),
    rec({
      type: fc.constant('requestVote' as const),
      from: peer,
      to: fc.constant(LOCAL),
      term: u,
      lastLogIndex: u,
      lastLogTerm: u,
      leadershipTransfer: fc.boolean(),
    }),
    rec({
      type: fc.constant('installSnapshot' as const),
      from: peer,
      to: fc.constant(LOCAL),
      term: u,
      lastLogIndex: u,
      lastLogTerm: u,
      configuration: rec({
        servers: fc.array(
          rec({
            suffrage: fc.constantFrom(Suffrage.Voter, Suffrage.Nonvoter),
            id: fc.string({ minLength: 1 }),
            address: fc.string({ minLength: 1 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
      }),
      configurationIndex: u,
      data: fc.uint8Array({ maxLength: 70000 }),
    }),
  );

  it('decode(encode(m)) = m (with the 1.7 header ID/Addr), and every prefix needs more bytes', () => {
    fc.assert(
      fc.property(request, (m) => {
        const b = cat(encodeRequest(m));
        const back = decode(b);
        assert.deepEqual(back, m);
        const cut = Math.floor(b.length / 2);
        assert.throws(() => readRequestFrame(new MsgpackReader(b, 0, cut, BYTES_MAX), LOCAL), NeedMoreBytes);
      }),
      { numRuns: 150 },
    );
  });
});
