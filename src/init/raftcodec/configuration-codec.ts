/**
 * hashicorp `Configuration` in msgpack, exactly as raft's encodeMsgPack writes it (go-msgpack 0.5.5
 * style, hashicorp-raft-wire.md §2.1 and §2.8f): maps with byte-wise sorted keys, every field present,
 * strings in the raw str family (fixstr/str16/str32, never str8 or bin), smallest unsigned integers.
 * The encoder is byte-identical to Go's, so a configuration entry we write is the entry Go would write.
 * Also decodes the legacy peers blob (an array of voter addresses, protocol < 2).
 */
import type { Configuration, Server, Suffrage } from '../../raft/core/types.ts';
import { InitError } from '../errors.ts';
import { bytesField, decodeMsgpack, structFields, uintField } from './msgpack-reader.ts';

const SUFFRAGE_MAX = 2;

class Writer {
  private readonly parts: number[] = [];
  byte(b: number): void {
    this.parts.push(b);
  }
  be(value: number, bytes: number): void {
    for (let i = bytes - 1; i >= 0; i--) this.parts.push(Math.floor(value / 2 ** (8 * i)) & 0xff);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    if (b.byteLength < 32) this.byte(0xa0 | b.byteLength);
    else if (b.byteLength < 0x10000) {
      this.byte(0xda);
      this.be(b.byteLength, 2);
    } else {
      this.byte(0xdb);
      this.be(b.byteLength, 4);
    }
    for (const x of b) this.parts.push(x);
  }
  uint(n: number): void {
    if (n <= 0x7f) this.byte(n);
    else if (n <= 0xff) {
      this.byte(0xcc);
      this.be(n, 1);
    } else if (n <= 0xffff) {
      this.byte(0xcd);
      this.be(n, 2);
    } else if (n <= 0xffffffff) {
      this.byte(0xce);
      this.be(n, 4);
    } else {
      this.byte(0xcf);
      this.be(n, 8);
    }
  }
  arrayHeader(n: number): void {
    if (n < 16) this.byte(0x90 | n);
    else if (n < 0x10000) {
      this.byte(0xdc);
      this.be(n, 2);
    } else {
      this.byte(0xdd);
      this.be(n, 4);
    }
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function encodeConfiguration(cfg: Configuration): Uint8Array {
  const w = new Writer();
  w.byte(0x81);
  w.str('Servers');
  w.arrayHeader(cfg.servers.length);
  for (const s of cfg.servers) {
    w.byte(0x83);
    w.str('Address');
    w.str(s.address);
    w.str('ID');
    w.str(s.id);
    w.str('Suffrage');
    w.uint(s.suffrage);
  }
  return w.bytes();
}

function text(b: Uint8Array | undefined): string {
  return b === undefined ? '' : Buffer.from(b).toString('utf8');
}

export function decodeConfiguration(bytes: Uint8Array): Configuration {
  const fields = structFields(decodeMsgpack(bytes), 'Configuration');
  const list = fields.get('Servers');
  if (list === undefined || list.kind === 'nil') return { servers: [] };
  if (list.kind !== 'array') throw new InitError('ERR_MSGPACK', 'Configuration.Servers is not an array');
  const servers: Server[] = list.items.map((item) => {
    const f = structFields(item, 'Server');
    const suffrage = uintField(f.get('Suffrage'), 'Server.Suffrage');
    if (suffrage > SUFFRAGE_MAX) throw new InitError('ERR_MSGPACK', `Server.Suffrage ${suffrage} unknown`);
    return {
      suffrage: suffrage as Suffrage,
      id: text(bytesField(f.get('ID'), 'Server.ID')),
      address: text(bytesField(f.get('Address'), 'Server.Address')),
    };
  });
  return { servers };
}

/** Legacy peers blob → voters with ID = address (what raft's decodePeers does). */
export function decodeLegacyPeers(bytes: Uint8Array): Configuration {
  const v = decodeMsgpack(bytes);
  if (v.kind === 'nil') return { servers: [] };
  if (v.kind !== 'array') throw new InitError('ERR_MSGPACK', 'legacy peers blob is not an array');
  return {
    servers: v.items.map((item) => {
      const address = text(bytesField(item, 'peer address'));
      return { suffrage: 0 as Suffrage, id: address, address };
    }),
  };
}
