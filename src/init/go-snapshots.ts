/**
 * Reader of a Go hashicorp FileSnapshotStore directory (`<dir>/snapshots/<term>-<index>-<ms>/` with
 * meta.json + state.bin, hashicorp-raft-wire.md §5.4), used by import-bolt.
 *
 * Invariants: like Go, `.tmp` directories and snapshots with unreadable meta, an unknown version, a
 * size mismatch or a CRC-64/ECMA mismatch are skipped (each reported in `skipped`); the newest valid
 * one is chosen by (term, index, id). state.bin is read whole: op-conductor's FSM state is one payload.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration, Server, Suffrage } from '../raft/core/types.ts';
import { crc64Ecma } from '../raft/storage/checksums.ts';

/** Snapshots bigger than this are not an op-conductor FSM state; refuse rather than exhaust memory. */
export const GO_SNAPSHOT_BYTES_MAX = 1024 * 1024 * 1024;

export interface GoSnapshot {
  readonly id: string;
  readonly index: number;
  readonly term: number;
  readonly configuration: Configuration;
  readonly configurationIndex: number;
  readonly data: Uint8Array;
}

interface GoMetaJson {
  Version?: unknown;
  ID?: unknown;
  Index?: unknown;
  Term?: unknown;
  Configuration?: { Servers?: Array<{ Suffrage?: unknown; ID?: unknown; Address?: unknown }> | null };
  ConfigurationIndex?: unknown;
  Size?: unknown;
  CRC?: unknown;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new Error(`${what} is not a non-negative integer`);
  return v;
}

function readOne(dir: string, name: string): GoSnapshot {
  const meta = JSON.parse(readFileSync(join(dir, name, 'meta.json'), 'utf8')) as GoMetaJson;
  if (meta.Version !== 1) throw new Error(`unsupported snapshot version ${String(meta.Version)}`);
  const size = num(meta.Size, 'Size');
  if (size > GO_SNAPSHOT_BYTES_MAX) throw new Error(`state.bin of ${size} bytes is too large`);
  const data = new Uint8Array(readFileSync(join(dir, name, 'state.bin')));
  if (data.byteLength !== size) throw new Error(`state.bin has ${data.byteLength} bytes, meta says ${size}`);
  const crc = Buffer.from(typeof meta.CRC === 'string' ? meta.CRC : '', 'base64');
  if (!crc.equals(crc64Ecma(data))) throw new Error('CRC mismatch');
  const servers: Server[] = (meta.Configuration?.Servers ?? []).map((s) => ({
    suffrage: num(s.Suffrage, 'Suffrage') as Suffrage,
    id: String(s.ID ?? ''),
    address: String(s.Address ?? ''),
  }));
  return {
    id: typeof meta.ID === 'string' ? meta.ID : name,
    index: num(meta.Index, 'Index'),
    term: num(meta.Term, 'Term'),
    configuration: { servers },
    configurationIndex: num(meta.ConfigurationIndex, 'ConfigurationIndex'),
    data,
  };
}

export interface GoSnapshotScan {
  readonly newest: GoSnapshot | undefined;
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/** Scans `<base>/snapshots/`; a missing directory means no snapshots. */
export function scanGoSnapshots(base: string): GoSnapshotScan {
  const dir = join(base, 'snapshots');
  if (!existsSync(dir)) return { newest: undefined, skipped: [] };
  const valid: GoSnapshot[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.tmp')) continue;
    try {
      valid.push(readOne(dir, name));
    } catch (err) {
      skipped.push({ name, reason: (err as Error).message });
    }
  }
  valid.sort((a, b) => b.term - a.term || b.index - a.index || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return { newest: valid[0], skipped };
}
