/**
 * The Data of a LogConfiguration entry: hashicorp's msgpack `Configuration{Servers}` with exactly the
 * bytes go-msgpack 0.5.5 writes (map keys sorted, strings in the raw str family, smallest unsigned
 * ints; hashicorp-raft-wire.md §2.1 and sample 2.8f), so Go followers decode entries a TS leader wrote.
 * The decoder is lenient like Go's: any str/bin width, signed or unsigned ints, unknown keys skipped.
 * Kept hand-written and pure so the core can build configuration entries without a codec dependency.
 */
import { assert } from './assert.ts';
import type { Configuration, Server, Suffrage } from './types.ts';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export function encodeConfiguration(c: Configuration): Uint8Array {
  const out: number[] = [0x81];
  writeStr(out, textEncoder.encode('Servers'));
  assert(c.servers.length < 0x10000, 'configuration too large');
  if (c.servers.length < 16) out.push(0x90 | c.servers.length);
  else out.push(0xdc, c.servers.length >> 8, c.servers.length & 0xff);
  for (const s of c.servers) {
    out.push(0x83);
    writeStr(out, textEncoder.encode('Address'));
    writeStr(out, textEncoder.encode(s.address));
    writeStr(out, textEncoder.encode('ID'));
    writeStr(out, textEncoder.encode(s.id));
    writeStr(out, textEncoder.encode('Suffrage'));
    writeUint(out, s.suffrage);
  }
  return Uint8Array.from(out);
}

function writeStr(out: number[], b: Uint8Array): void {
  const n = b.length;
  if (n < 32) out.push(0xa0 | n);
  else if (n < 0x10000) out.push(0xda, n >> 8, n & 0xff);
  else out.push(0xdb, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  for (const x of b) out.push(x);
}

function writeUint(out: number[], v: number): void {
  assert(Number.isInteger(v) && v >= 0 && v < 0x10000, `uint out of range: ${v}`);
  if (v <= 0x7f) out.push(v);
  else if (v <= 0xff) out.push(0xcc, v);
  else out.push(0xcd, v >> 8, v & 0xff);
}

type MsgValue = number | boolean | null | Uint8Array | MsgValue[] | Map<string, MsgValue>;

export function decodeConfiguration(data: Uint8Array): Configuration {
  const r = new Reader(data);
  const root = r.value(0);
  const servers: Server[] = [];
  const list = root instanceof Map ? root.get('Servers') : undefined;
  if (list === null || list === undefined) return { servers };
  assert(Array.isArray(list), 'configuration Servers must be an array');
  for (const item of list) {
    assert(item instanceof Map, 'configuration server must be a map');
    const id = item.get('ID');
    const addr = item.get('Address');
    const suffrage = item.get('Suffrage') ?? 0;
    assert(id instanceof Uint8Array && addr instanceof Uint8Array, 'server ID/Address must be strings');
    assert(typeof suffrage === 'number' && suffrage >= 0 && suffrage <= 2, 'bad suffrage');
    servers.push({
      id: textDecoder.decode(id),
      address: textDecoder.decode(addr),
      suffrage: suffrage as Suffrage,
    });
  }
  return { servers };
}

const DEPTH_MAX = 8;

class Reader {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}

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
      case 0xdc:
        return this.array(this.uint(2), depth);
      case 0xdd:
        return this.array(this.uint(4), depth);
      case 0xde:
        return this.map(this.uint(2), depth);
      case 0xdf:
        return this.map(this.uint(4), depth);
      default:
        throw new Error(`configuration msgpack: unsupported type byte 0x${t.toString(16)}`);
    }
  }

  private array(n: number, depth: number): MsgValue[] {
    const out: MsgValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
    return out;
  }

  private map(n: number, depth: number): Map<string, MsgValue> {
    const out = new Map<string, MsgValue>();
    for (let i = 0; i < n; i++) {
      const k = this.value(depth + 1);
      assert(k instanceof Uint8Array, 'configuration map key must be a string');
      out.set(textDecoder.decode(k), this.value(depth + 1));
    }
    return out;
  }
}
