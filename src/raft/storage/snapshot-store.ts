/**
 * FileSnapshotStore in hashicorp's on-disk layout, so operators and the Go tooling recognise it:
 *
 *   <nodeDir>/snapshots/<term>-<index>-<unixms>/meta.json   (Go json.Encoder output, trailing newline)
 *   <nodeDir>/snapshots/<term>-<index>-<unixms>/state.bin   (the FSM snapshot bytes)
 *
 * meta.json fields in Go's order: Version, ID, Index, Term, Peers (base64 msgpack of voter addresses,
 * the legacy field), Configuration{Servers:[{Suffrage,ID,Address}]}, ConfigurationIndex, Size, CRC
 * (base64 of the 8-byte big-endian CRC-64/XZ of state.bin).
 *
 * Invariants:
 * - A snapshot becomes visible only complete: written into `<id>.tmp/`, state and meta fsynced, the
 *   directory renamed, the parent fsynced. `.tmp` leftovers from a crash are removed on open.
 * - list()/openLatest() never return a snapshot whose state.bin fails its size or CRC check, or whose
 *   meta is unreadable or of an unknown version; each such snapshot is skipped with a warning.
 * - After save(), only the newest `retain` snapshots (by term, index, id) are kept.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import type { Logger } from '../../logging/logger.ts';
import type { Configuration, SnapshotMeta, Suffrage } from '../core/types.ts';
import { crc64Ecma, crc64EcmaYielding } from './checksums.ts';
import { fsyncDir, ioError } from './durable-fs.ts';
import { WriteGate } from './log-rules.ts';
import { newestFirst, snapshotId, snapshotRetainDefault, snapshotVersion } from './snapshot-naming.ts';
import type { SnapshotStore } from './storage.ts';

export const snapshotsDirName = 'snapshots';
const metaFileName = 'meta.json';
const stateFileName = 'state.bin';
const tmpSuffix = '.tmp';

/** The JSON shape hashicorp writes (fileSnapshotMeta with the embedded SnapshotMeta flattened). */
interface GoSnapshotMetaJson {
  Version: number;
  ID: string;
  Index: number;
  Term: number;
  Peers: string;
  Configuration: { Servers: { Suffrage: number; ID: string; Address: string }[] | null };
  ConfigurationIndex: number;
  Size: number;
  CRC: string;
}

/** Legacy `Peers`: msgpack array of the voters' addresses, as hashicorp's encodePeers produces. */
function encodePeers(cfg: Configuration): string {
  const voters = cfg.servers.filter((s) => s.suffrage === 0).map((s) => s.address);
  return Buffer.from(msgpackEncode(voters)).toString('base64');
}

export function metaToJson(meta: SnapshotMeta, crc: Uint8Array): string {
  const json: GoSnapshotMetaJson = {
    Version: meta.version,
    ID: meta.id,
    Index: meta.index,
    Term: meta.term,
    Peers: encodePeers(meta.configuration),
    Configuration: {
      Servers: meta.configuration.servers.map((s) => ({
        Suffrage: s.suffrage,
        ID: s.id,
        Address: s.address,
      })),
    },
    ConfigurationIndex: meta.configurationIndex,
    Size: meta.size,
    CRC: Buffer.from(crc).toString('base64'),
  };
  return `${JSON.stringify(json)}\n`;
}

function isNat(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Parses meta.json; returns a reason string instead of throwing so list() can warn and skip. */
export function metaFromJson(text: string): { meta: SnapshotMeta; crc: Uint8Array } | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'meta.json is not valid JSON';
  }
  const j = raw as Partial<GoSnapshotMetaJson>;
  if (j.Version !== snapshotVersion) return `unsupported snapshot version ${String(j.Version)}`;
  if (typeof j.ID !== 'string' || !isNat(j.Index) || !isNat(j.Term) || !isNat(j.Size)) {
    return 'meta.json lacks ID/Index/Term/Size';
  }
  if (!isNat(j.ConfigurationIndex)) return 'meta.json lacks ConfigurationIndex';
  if (typeof j.CRC !== 'string') return 'meta.json lacks CRC';
  const crc = Buffer.from(j.CRC, 'base64');
  if (crc.byteLength !== 8) return 'meta.json CRC is not 8 bytes';
  const servers = j.Configuration?.Servers ?? [];
  if (!Array.isArray(servers)) return 'meta.json Configuration.Servers is not a list';
  return {
    meta: {
      id: j.ID,
      index: j.Index,
      term: j.Term,
      configuration: {
        servers: servers.map((s) => ({ suffrage: s.Suffrage as Suffrage, id: s.ID, address: s.Address })),
      },
      configurationIndex: j.ConfigurationIndex,
      size: j.Size,
      version: j.Version,
    },
    crc,
  };
}

export interface FileSnapshotStoreOptions {
  readonly logger?: Logger;
  readonly retain?: number;
  /** Wall clock for snapshot ids (unix ms); injectable for tests. */
  readonly nowMs?: () => number;
}

export class FileSnapshotStore implements SnapshotStore {
  readonly dir: string;
  private readonly gate = new WriteGate('snapshot store');
  private readonly retain: number;
  private readonly nowMs: () => number;
  private readonly logger: Logger | undefined;
  private readonly verdicts = new Map<string, { identity: string; ok: boolean }>();

  /** Opens `<nodeDir>/snapshots`, creating it and removing incomplete `.tmp` snapshots. */
  constructor(nodeDir: string, options: FileSnapshotStoreOptions = {}) {
    this.dir = join(nodeDir, snapshotsDirName);
    this.retain = Math.max(1, options.retain ?? snapshotRetainDefault);
    this.nowMs = options.nowMs ?? Date.now;
    this.logger = options.logger;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o755 });
      for (const name of readdirSync(this.dir)) {
        if (!name.endsWith(tmpSuffix)) continue;
        this.logger?.warn({ snapshot: name }, 'removing incomplete snapshot left by a crash');
        rmSync(join(this.dir, name), { recursive: true, force: true });
      }
    } catch (e) {
      throw ioError(`cannot open snapshot directory ${this.dir}`, e);
    }
  }

  save(meta: Omit<SnapshotMeta, 'id' | 'size' | 'version'>, data: Uint8Array): Promise<SnapshotMeta> {
    return this.gate.run(async () => {
      const existing = new Set(this.listDirs());
      let ms = this.nowMs();
      while (existing.has(snapshotId(meta.term, meta.index, ms))) ms++;
      const full: SnapshotMeta = {
        id: snapshotId(meta.term, meta.index, ms),
        index: meta.index,
        term: meta.term,
        configuration: { servers: meta.configuration.servers.map((s) => ({ ...s })) },
        configurationIndex: meta.configurationIndex,
        size: data.byteLength,
        version: snapshotVersion,
      };
      const tmpDir = join(this.dir, full.id + tmpSuffix);
      try {
        await mkdir(tmpDir, { mode: 0o755 });
        await writeAndSync(join(tmpDir, stateFileName), data);
        // Hashed between other work, ~1 ms at a time: a 1 MB state would otherwise hold the event loop
        // 1–25 ms (the hash code is often cold again by the next snapshot).
        const crc = await crc64EcmaYielding(data);
        await writeAndSync(join(tmpDir, metaFileName), Buffer.from(metaToJson(full, crc)));
        await fsyncDir(tmpDir);
        await rename(tmpDir, join(this.dir, full.id));
        await fsyncDir(this.dir);
      } catch (e) {
        await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
        throw ioError(`cannot save snapshot ${full.id}`, e);
      }
      await this.reap();
      return full;
    });
  }

  /** Deletes all but the newest `retain` snapshots whose meta is readable (as hashicorp's ReapSnapshots). */
  private async reap(): Promise<void> {
    const metas = this.readMetas().map((m) => m.meta);
    metas.sort(newestFirst);
    for (const m of metas.slice(this.retain)) {
      this.logger?.info({ snapshot: m.id }, 'reaping snapshot');
      await rm(join(this.dir, m.id), { recursive: true, force: true });
    }
    if (metas.length > this.retain) await fsyncDir(this.dir);
  }

  private listDirs(): string[] {
    return readdirSync(this.dir).filter((n) => !n.endsWith(tmpSuffix));
  }

  private readMetas(): { meta: SnapshotMeta; crc: Uint8Array }[] {
    const out: { meta: SnapshotMeta; crc: Uint8Array }[] = [];
    for (const name of this.listDirs()) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, name, metaFileName), 'utf8');
      } catch (e) {
        this.logger?.warn({ snapshot: name, err: e }, 'skipping snapshot with unreadable meta.json');
        continue;
      }
      const parsed = metaFromJson(text);
      if (typeof parsed === 'string') {
        this.logger?.warn({ snapshot: name, reason: parsed }, 'skipping snapshot with bad meta.json');
        continue;
      }
      out.push(parsed);
    }
    return out;
  }

  /** state.bin if its size and CRC match the meta, else undefined (after a warning). */
  private readVerified(meta: SnapshotMeta, crc: Uint8Array): Uint8Array | undefined {
    let data: Buffer;
    try {
      data = readFileSync(join(this.dir, meta.id, stateFileName));
    } catch (e) {
      this.logger?.warn({ snapshot: meta.id, err: e }, 'skipping snapshot with unreadable state.bin');
      return undefined;
    }
    if (data.byteLength !== meta.size) {
      this.logger?.warn(
        { snapshot: meta.id, size: data.byteLength, expected: meta.size },
        'skipping snapshot: size mismatch',
      );
      return undefined;
    }
    if (!Buffer.from(crc64Ecma(data)).equals(crc)) {
      this.logger?.warn({ snapshot: meta.id }, 'skipping snapshot: CRC mismatch');
      return undefined;
    }
    return data;
  }

  /**
   * Whether a snapshot's state.bin passes its checks, cached per file identity (inode, size, mtime) so
   * repeated list() calls do not re-read and re-hash unchanged snapshots.
   */
  private isValid(meta: SnapshotMeta, crc: Uint8Array): boolean {
    let identity: string;
    try {
      const st = statSync(join(this.dir, meta.id, stateFileName));
      identity = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      identity = 'missing';
    }
    const cached = this.verdicts.get(meta.id);
    if (cached !== undefined && cached.identity === identity) return cached.ok;
    const ok = this.readVerified(meta, crc) !== undefined;
    this.verdicts.set(meta.id, { identity, ok });
    return ok;
  }

  list(): SnapshotMeta[] {
    this.gate.assertOpen();
    const metas = this.readMetas();
    metas.sort((a, b) => newestFirst(a.meta, b.meta));
    return metas.filter((m) => this.isValid(m.meta, m.crc)).map((m) => m.meta);
  }

  openLatest(): { meta: SnapshotMeta; data: Uint8Array } | undefined {
    this.gate.assertOpen();
    const metas = this.readMetas();
    metas.sort((a, b) => newestFirst(a.meta, b.meta));
    for (const m of metas) {
      const data = this.readVerified(m.meta, m.crc);
      if (data !== undefined) return { meta: m.meta, data };
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.gate.close();
  }
}

async function writeAndSync(path: string, data: Uint8Array): Promise<void> {
  const fh = await open(path, 'w', 0o644);
  try {
    await fh.writeFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}
