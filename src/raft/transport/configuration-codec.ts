/**
 * hashicorp's msgpack encodings of a cluster configuration, byte-identical to go-msgpack 0.5.5:
 * - `raft.Configuration` `{Servers: [{Address, ID, Suffrage}]}`: the Data of a LogConfiguration entry and
 *   InstallSnapshotRequest.Configuration (wire notes §2.8f);
 * - the legacy peers blob (protocol < 2): an array of the voters' addresses, still sent as
 *   InstallSnapshotRequest.Peers and written to snapshot meta (§2.8g).
 * Pure functions; decoding tolerates unknown keys and any key order, and rejects malformed input.
 */
import { type Configuration, type Server, Suffrage } from '../core/types.ts';
import { MsgpackReader } from './msgpack-reader.ts';
import { MsgpackWriter } from './msgpack-writer.ts';
import { WireError, WireErrorCode } from './wire-errors.ts';

/** Generous bound for a configuration blob (a conductor cluster has a handful of servers). */
export const configurationBytesMax = 1024 * 1024;

export function writeConfiguration(w: MsgpackWriter, cfg: Configuration): void {
  w.mapHeader(1).key('Servers').arrayHeader(cfg.servers.length);
  for (const s of cfg.servers) {
    w.mapHeader(3).key('Address').str(s.address).key('ID').str(s.id).key('Suffrage').uint(s.suffrage);
  }
}

export function encodeConfiguration(cfg: Configuration): Uint8Array {
  const w = new MsgpackWriter();
  writeConfiguration(w, cfg);
  return w.bytes().slice();
}

function toSuffrage(n: number): Suffrage {
  if (n === Suffrage.Voter || n === Suffrage.Nonvoter || n === Suffrage.Staging) return n;
  throw new WireError(WireErrorCode.Malformed, `configuration: unknown suffrage ${n}`);
}

function decodeWhole<T>(bytes: Uint8Array, what: string, read: (r: MsgpackReader) => T): T {
  const r = new MsgpackReader(bytes, 0, bytes.length, configurationBytesMax);
  try {
    const v = read(r);
    if (r.pos !== bytes.length) throw new WireError(WireErrorCode.Malformed, `${what}: trailing bytes`);
    return v;
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(WireErrorCode.Malformed, `${what}: truncated`);
  }
}

export function decodeConfiguration(bytes: Uint8Array): Configuration {
  return decodeWhole(bytes, 'configuration', (r) => {
    const servers: Server[] = [];
    const n = r.readMapLen();
    for (let i = 0; i < n; i++) {
      if (r.readStr() !== 'Servers') {
        r.skip();
        continue;
      }
      const count = r.readArrayLen();
      for (let j = 0; j < count; j++) {
        let address = '';
        let id = '';
        let suffrage: Suffrage = Suffrage.Voter;
        const fields = r.readMapLen();
        for (let k = 0; k < fields; k++) {
          const key = r.readStr();
          if (key === 'Address') address = r.readStr();
          else if (key === 'ID') id = r.readStr();
          else if (key === 'Suffrage') suffrage = toSuffrage(r.readInt());
          else r.skip();
        }
        servers.push({ suffrage, id, address });
      }
    }
    return { servers };
  });
}

/** Legacy peers blob: the voters' addresses (protocol < 2 had no IDs and no non-voters). */
export function encodeLegacyPeers(cfg: Configuration): Uint8Array {
  const voters = cfg.servers.filter((s) => s.suffrage === Suffrage.Voter);
  const w = new MsgpackWriter();
  w.arrayHeader(voters.length);
  for (const s of voters) w.str(s.address);
  return w.bytes().slice();
}

/** Decodes a legacy peers blob into a configuration with ID = address, all voters (as Go does). */
export function decodeLegacyPeers(bytes: Uint8Array): Configuration {
  return decodeWhole(bytes, 'peers', (r) => {
    const n = r.readArrayLen();
    const servers: Server[] = [];
    for (let i = 0; i < n; i++) {
      const address = r.readStr();
      servers.push({ suffrage: Suffrage.Voter, id: address, address });
    }
    return { servers };
  });
}
