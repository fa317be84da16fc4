/**
 * hashicorp's msgpack cluster-configuration blobs, the one codec every layer uses (core, transport, init):
 * - `raft.Configuration{Servers: [{Address, ID, Suffrage}]}`: the Data of a LogConfiguration entry and
 *   InstallSnapshotRequest.Configuration, written with exactly the bytes go-msgpack 0.5.5 writes (map
 *   keys sorted, strings in the raw str family — fixstr/str16/str32, never str8 or bin — smallest
 *   unsigned ints; hashicorp-raft-wire.md §2.1 and sample 2.8f), so Go peers decode what we write;
 * - the legacy peers blob (protocol < 2): an array of the voters' addresses, still sent as
 *   InstallSnapshotRequest.Peers and carried by AddPeer/RemovePeer entries (§2.8g).
 * Decoding is lenient where Go's decoder is (any str/bin width, signed or unsigned ints, any key order,
 * unknown keys of any type skipped, nil and missing fields read as zero values) and rejects malformed
 * input (wrong shapes, unknown suffrage, truncation, trailing bytes) with a RaftAssertionError; the
 * transport and init map that to their own error types. Strings keep their exact bytes (a leading BOM
 * is not stripped), as Go strings do.
 * Hand-written and pure (no node:* imports) so the core can build configuration entries on its own.
 */
import { assert, RaftAssertionError } from './assert.ts';
import { type Configuration, type Server, Suffrage } from './types.ts';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function encodeConfiguration(c: Configuration): Uint8Array {
  const out: number[] = [0x81];
  writeStr(out, 'Servers');
  writeArrayHeader(out, c.servers.length);
  for (const s of c.servers) {
    out.push(0x83);
    writeStr(out, 'Address');
    writeStr(out, s.address);
    writeStr(out, 'ID');
    writeStr(out, s.id);
    writeStr(out, 'Suffrage');
    writeUint(out, s.suffrage);
  }
  return Uint8Array.from(out);
}

/** Legacy peers blob: the voters' addresses (protocol < 2 had no IDs and no non-voters). */
export function encodeLegacyPeers(c: Configuration): Uint8Array {
  const voters = c.servers.filter((s) => s.suffrage === Suffrage.Voter);
  const out: number[] = [];
  writeArrayHeader(out, voters.length);
  for (const s of voters) writeStr(out, s.address);
  return Uint8Array.from(out);
}

function writeStr(out: number[], s: string): void {
  const b = textEncoder.encode(s);
  const n = b.length;
  if (n < 32) out.push(0xa0 | n);
  else if (n < 0x10000) out.push(0xda, n >> 8, n & 0xff);
  else out.push(0xdb, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  for (const x of b) out.push(x);
}

function writeArrayHeader(out: number[], n: number): void {
  if (n < 16) out.push(0x90 | n);
  else if (n < 0x10000) out.push(0xdc, n >> 8, n & 0xff);
  else out.push(0xdd, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function writeUint(out: number[], v: number): void {
  assert(Number.isInteger(v) && v >= 0 && v < 0x10000, `uint out of range: ${v}`);
  if (v <= 0x7f) out.push(v);
  else if (v <= 0xff) out.push(0xcc, v);
  else out.push(0xcd, v >> 8, v & 0xff);
}

/** An ext value (only ever skipped: no configuration field holds one). */
class Ext {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
  ) {}
}

type MsgValue = number | boolean | null | Uint8Array | Ext | MsgValue[] | Map<string, MsgValue>;

export function decodeConfiguration(data: Uint8Array): Configuration {
  const root = decodeWhole(data);
  const servers: Server[] = [];
  if (root === null) return { servers };
  assert(root instanceof Map, 'configuration must be a map');
  const list = root.get('Servers');
  if (list === null || list === undefined) return { servers };
  assert(Array.isArray(list), 'configuration Servers must be an array');
  for (const item of list) {
    assert(item instanceof Map, 'configuration server must be a map');
    const suffrage = item.get('Suffrage') ?? Suffrage.Voter;
    assert(
      suffrage === Suffrage.Voter || suffrage === Suffrage.Nonvoter || suffrage === Suffrage.Staging,
      `configuration: unknown suffrage ${String(suffrage)}`,
    );
    servers.push({ suffrage, id: text(item.get('ID'), 'ID'), address: text(item.get('Address'), 'Address') });
  }
  return { servers };
}

/** Decodes a legacy peers blob into a configuration with ID = address, all voters (as Go does). */
export function decodeLegacyPeers(data: Uint8Array): Configuration {
  const root = decodeWhole(data);
  if (root === null) return { servers: [] };
  assert(Array.isArray(root), 'legacy peers must be an array');
  return {
    servers: root.map((v) => {
      const address = text(v, 'peer address');
      return { suffrage: Suffrage.Voter, id: address, address };
    }),
  };
}

/** A Go string field: nil and missing read as "". */
function text(v: MsgValue | undefined, what: string): string {
  if (v === undefined || v === null) return '';
  assert(v instanceof Uint8Array, `configuration ${what} must be a string`);
  return textDecoder.decode(v);
}

/** Exactly one value: a blob with bytes after its value is corrupt. */
function decodeWhole(data: Uint8Array): MsgValue {
  const r = new Reader(data);
  const v = r.value(0);
  assert(r.atEnd(), 'configuration msgpack has trailing bytes');
  return v;
}

const DEPTH_MAX = 32;

class Reader {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}

  atEnd(): boolean {
    return this.pos === this.b.length;
  }

  private byte(): number {
    const v = this.b[this.pos++];
    assert(v !== undefined, 'configuration msgpack truncated');
    return v;
  }

  private uint(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.byte();
    return v;
  }

  private int(n: number): number {
    const u = this.uint(n);
    const half = 2 ** (8 * n - 1);
    return u >= half ? u - 2 * half : u;
  }

  private bytes(n: number): Uint8Array {
    assert(this.pos + n <= this.b.length, 'configuration msgpack truncated');
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  private float(n: 4 | 8): number {
    const b = this.bytes(n);
    const v = new DataView(b.buffer, b.byteOffset, n);
    return n === 4 ? v.getFloat32(0) : v.getFloat64(0);
  }

  private ext(n: number): Ext {
    const t = this.int(1);
    return new Ext(t, this.bytes(n));
  }

  value(depth: number): MsgValue {
    assert(depth < DEPTH_MAX, 'configuration msgpack nested too deep');
    const t = this.byte();
    if (t <= 0x7f) return t;
    if (t >= 0xe0) return t - 0x100;
    if ((t & 0xf0) === 0x80) return this.map(t & 0x0f, depth);
    if ((t & 0xf0) === 0x90) return this.array(t & 0x0f, depth);
    if ((t & 0xe0) === 0xa0) return this.bytes(t & 0x1f);
    switch (t) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
      case 0xd9:
        return this.bytes(this.uint(1));
      case 0xc5:
      case 0xda:
        return this.bytes(this.uint(2));
      case 0xc6:
      case 0xdb:
        return this.bytes(this.uint(4));
      case 0xc7:
        return this.ext(this.uint(1));
      case 0xc8:
        return this.ext(this.uint(2));
      case 0xc9:
        return this.ext(this.uint(4));
      case 0xca:
        return this.float(4);
      case 0xcb:
        return this.float(8);
      case 0xcc:
        return this.uint(1);
      case 0xcd:
        return this.uint(2);
      case 0xce:
        return this.uint(4);
      case 0xcf:
        return this.uint(8);
      case 0xd0:
        return this.int(1);
      case 0xd1:
        return this.int(2);
      case 0xd2:
        return this.int(4);
      case 0xd3:
        return this.int(8);
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        return this.ext(1 << (t - 0xd4));
      case 0xdc:
        return this.array(this.uint(2), depth);
      case 0xdd:
        return this.array(this.uint(4), depth);
      case 0xde:
        return this.map(this.uint(2), depth);
      case 0xdf:
        return this.map(this.uint(4), depth);
      default:
        throw new RaftAssertionError(`configuration msgpack: unsupported type byte 0x${t.toString(16)}`);
    }
  }

  private array(n: number, depth: number): MsgValue[] {
    // Every element takes at least one byte: a larger count is corruption, not a reason to allocate.
    assert(n <= this.b.length - this.pos, 'configuration msgpack truncated');
    const out: MsgValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
    return out;
  }

  private map(n: number, depth: number): Map<string, MsgValue> {
    assert(n <= this.b.length - this.pos, 'configuration msgpack truncated');
    const out = new Map<string, MsgValue>();
    for (let i = 0; i < n; i++) {
      const k = this.value(depth + 1);
      assert(k instanceof Uint8Array, 'configuration map key must be a string');
      out.set(textDecoder.decode(k), this.value(depth + 1));
    }
    return out;
  }
}
