/**
 * import-bolt: migrate a Go op-conductor's raft state (raft-boltdb files + FileSnapshotStore) into our
 * store format, with identical entries, term and vote.
 *
 * Invariants:
 * - The Go files are only read (O_RDONLY); the Go daemon must be stopped or a copy used.
 * - Our state is built in a temporary sibling directory, read back and compared entry by entry with the
 *   Go log (index, term, type, data, extensions), and only then renamed to --state-dir. Any failure
 *   removes the temporary directory, so --state-dir is untouched.
 * - Batches written to the log store are bounded by IMPORT_BATCH_ENTRIES_MAX / IMPORT_BATCH_BYTES_MAX so
 *   memory stays flat whatever the size of the Go log.
 */
import type { Logger } from '../logging/logger.ts';
import { type Configuration, type HardState, type LogEntry, LogType } from '../raft/core/types.ts';
import { InitError } from './errors.ts';
import { hardStateFromGo, openGoStateDir, readGoLog } from './go-state.ts';
import type { OpenStores, StoreBackend } from './node-stores.ts';
import { decodeConfiguration } from './raftcodec/configuration-codec.ts';
import { assertTargetFree, makeTempSibling, publishDir, removeQuietly } from './state-dirs.ts';
import { lockStateDirs } from './state-locks.ts';

export const IMPORT_BATCH_ENTRIES_MAX = 512;
export const IMPORT_BATCH_BYTES_MAX = 16 * 1024 * 1024;

export interface ImportBoltOptions {
  readonly from: string;
  readonly stateDir: string;
  readonly backend: StoreBackend;
  readonly force: boolean;
  readonly openStores: OpenStores;
  readonly logger: Logger;
}

export interface ImportBoltResult {
  readonly stateDir: string;
  readonly entries: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly hardState: HardState;
  readonly snapshot: { readonly index: number; readonly term: number; readonly bytes: number } | undefined;
  readonly skippedSnapshots: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  const x = a ?? new Uint8Array(0);
  const y = b ?? new Uint8Array(0);
  return (
    Buffer.compare(
      Buffer.from(x.buffer, x.byteOffset, x.byteLength),
      Buffer.from(y.buffer, y.byteOffset, y.byteLength),
    ) === 0
  );
}

export function sameEntry(a: LogEntry, b: LogEntry): boolean {
  return (
    a.index === b.index &&
    a.term === b.term &&
    a.type === b.type &&
    sameBytes(a.data, b.data) &&
    sameBytes(a.extensions, b.extensions)
  );
}

export async function importBolt(opts: ImportBoltOptions): Promise<ImportBoltResult> {
  const go = openGoStateDir(opts.from);
  assertTargetFree(opts.stateDir, opts.force);
  // With --force an existing dir of ours is replaced: hold its LOCK so a running daemon is never hit.
  const locks = lockStateDirs([opts.stateDir], opts.logger);
  const tmp = makeTempSibling(opts.stateDir, 'import');
  try {
    const stores = await opts.openStores(tmp, opts.backend);
    let result: ImportBoltResult;
    try {
      const snap = go.snapshots.newest;
      if (snap !== undefined) {
        await stores.snapshots.save(
          {
            index: snap.index,
            term: snap.term,
            configuration: snap.configuration,
            configurationIndex: snap.configurationIndex,
          },
          snap.data,
        );
      }
      let latestConfig: Configuration | undefined = snap?.configuration;
      let batch: LogEntry[] = [];
      let batchBytes = 0;
      let count = 0;
      let firstIndex = 0;
      let lastIndex = 0;
      for (const e of readGoLog(go.logPath)) {
        if (e.type === LogType.Configuration) latestConfig = decodeConfiguration(e.data);
        if (count === 0) firstIndex = e.index;
        lastIndex = e.index;
        count++;
        batch.push(e);
        batchBytes += e.data.byteLength;
        if (batch.length >= IMPORT_BATCH_ENTRIES_MAX || batchBytes >= IMPORT_BATCH_BYTES_MAX) {
          await stores.log.storeLogs(batch);
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length > 0) await stores.log.storeLogs(batch);
      const idByAddress = new Map((latestConfig?.servers ?? []).map((s) => [s.address, s.id] as const));
      const hardState = hardStateFromGo(go.stable, idByAddress);
      await stores.stable.setHardState(hardState);
      // Read everything back before publishing: the import is only good if our store returns Go's entries.
      for (const e of readGoLog(go.logPath)) {
        const ours = stores.log.getLog(e.index);
        if (ours === undefined || !sameEntry(ours, e)) {
          throw new InitError('ERR_VERIFY', `import check failed: entry ${e.index} differs after writing`);
        }
      }
      if (stores.log.firstIndex() !== firstIndex || stores.log.lastIndex() !== lastIndex) {
        throw new InitError('ERR_VERIFY', 'import check failed: first/last index differ after writing');
      }
      result = {
        stateDir: opts.stateDir,
        entries: count,
        firstIndex,
        lastIndex,
        hardState,
        snapshot: snap && { index: snap.index, term: snap.term, bytes: snap.data.byteLength },
        skippedSnapshots: go.snapshots.skipped,
      };
    } finally {
      await stores.close();
    }
    await publishDir(tmp, opts.stateDir);
    opts.logger.info(
      { from: opts.from, stateDir: opts.stateDir, entries: result.entries },
      'imported Go raft state',
    );
    return result;
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  } finally {
    for (const l of locks) l.release();
  }
}
