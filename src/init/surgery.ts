/**
 * Offline state surgery for disaster recovery (op-cdtr's `raft recover` and `raft edit unsafehead`):
 * both rewrite a node's state as ONE snapshot at the node's last index, then empty the log, the way
 * hashicorp's RecoverCluster does, so the node starts from exactly that state.
 *
 * - recover: the snapshot carries a NEW configuration (the surviving members) and the latest unsafe
 *   payload, chosen with the FSM's rule (highest block number over the newest snapshot and every
 *   command entry).
 * - edit-unsafehead: the snapshot carries the CURRENT configuration and the given payload. A snapshot is
 *   used rather than an appended command entry because the FSM only moves forward: an entry with a
 *   lower block number would be ignored, while a snapshot restore replaces unconditionally.
 *
 * Invariants: a timestamped backup is made first (and named in the result); the node dir is locked for
 * the whole operation (ERR_LOCKED if a daemon runs); the rewrite happens on a copy which is swapped in
 * only when complete; CurrentTerm and the vote are kept (RecoverCluster leaves the stable store alone).
 * These operations can lose committed entries and break Raft's guarantees: callers print a loud warning.
 */
import { cpSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeEnvelope, encodePayloadForCommit, payloadHead } from '../fsm/payload-codec.ts';
import type { Logger } from '../logging/logger.ts';
import { type Configuration, LogType } from '../raft/core/types.ts';
import { acquireDirLock, lockFileName } from '../raft/storage/dir-lock.ts';
import { StorageError } from '../raft/storage/storage.ts';
import { backup } from './backup.ts';
import { clusterFromMembers } from './cluster-spec.ts';
import { InitError } from './errors.ts';
import type { OpenStores } from './node-stores.ts';
import { decodeConfiguration } from './raftcodec/configuration-codec.ts';
import { makeTempSibling, publishDir, removeQuietly } from './state-dirs.ts';
import { requireStateDir } from './state-format.ts';

export const SURGERY_WARNING =
  'WARNING: this rewrites Raft state by hand. Run it only with every conductor of the cluster stopped; ' +
  "entries not in this node's log are lost and other nodes must be rewritten the same way.";

export interface SurgeryCommon {
  readonly stateDir: string;
  readonly backupDir: string;
  readonly explicitBackend: 'lmdb' | 'file' | undefined;
  readonly openStores: OpenStores;
  readonly logger: Logger;
  readonly now: Date;
}

export interface SurgeryResult {
  readonly backupPath: string;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  readonly configuration: Configuration;
  readonly unsafeHead: { readonly number: string; readonly hash: string } | undefined;
  readonly droppedEntries: number;
}

type Plan = (state: {
  latestConfiguration: Configuration | undefined;
  latestPayload: Uint8Array | undefined;
}) => { configuration: Configuration; payload: Uint8Array | undefined };

function headOf(payload: Uint8Array | undefined): SurgeryResult['unsafeHead'] {
  if (payload === undefined || payload.byteLength === 0) return undefined;
  const h = payloadHead(decodeEnvelope(payload));
  return { number: h.blockNumber.toString(), hash: h.blockHash };
}

async function rewriteAsSnapshot(opts: SurgeryCommon, plan: Plan): Promise<SurgeryResult> {
  const format = requireStateDir(opts.stateDir, opts.explicitBackend);
  if (format === 'go-bolt') {
    throw new InitError('ERR_INVALID_INPUT', `${opts.stateDir} holds Go bbolt state; run import-bolt first`);
  }
  const saved = await backup({
    stateDir: opts.stateDir,
    backupDir: opts.backupDir,
    now: opts.now,
    logger: opts.logger,
  });
  let lock: ReturnType<typeof acquireDirLock>;
  try {
    lock = acquireDirLock(opts.stateDir, opts.logger);
  } catch (err) {
    if (err instanceof StorageError && err.code === 'ERR_LOCKED') {
      throw new InitError('ERR_LOCKED', `${err.message}; stop the op-conductor using it first`, {
        cause: err,
      });
    }
    throw err;
  }
  const tmp = makeTempSibling(opts.stateDir, 'surgery');
  try {
    cpSync(opts.stateDir, tmp, { recursive: true, filter: (src) => !basename(src).startsWith(lockFileName) });
    const stores = await opts.openStores(tmp, format);
    let result: SurgeryResult;
    try {
      const snap = stores.snapshots.openLatest();
      let latestConfiguration = snap?.meta.configuration;
      let latestPayload = snap !== undefined && snap.data.byteLength > 0 ? snap.data : undefined;
      let bestBlock =
        latestPayload === undefined ? -1n : payloadHead(decodeEnvelope(latestPayload)).blockNumber;
      const first = stores.log.firstIndex();
      const last = stores.log.lastIndex();
      let lastIndex = snap?.meta.index ?? 0;
      let lastTerm = snap?.meta.term ?? 0;
      for (let i = first; i >= 1 && i <= last; i++) {
        const e = stores.log.getLog(i);
        if (e === undefined) throw new InitError('ERR_VERIFY', `log gap at ${i}; run verify`);
        if (e.index > lastIndex) {
          lastIndex = e.index;
          lastTerm = e.term;
        }
        if (e.type === LogType.Configuration) latestConfiguration = decodeConfiguration(e.data);
        if (e.type === LogType.Command && e.data.byteLength > 0) {
          try {
            const n = payloadHead(decodeEnvelope(e.data)).blockNumber;
            if (n > bestBlock) {
              bestBlock = n;
              latestPayload = e.data;
            }
          } catch {
            // The FSM ignores undecodable entries too (it returns the error and keeps its state).
          }
        }
      }
      if (lastIndex === 0)
        throw new InitError('ERR_INVALID_INPUT', `${opts.stateDir} has an empty log and no snapshot`);
      const next = plan({ latestConfiguration, latestPayload });
      await stores.snapshots.save(
        {
          index: lastIndex,
          term: lastTerm,
          configuration: next.configuration,
          configurationIndex: lastIndex,
        },
        next.payload ?? new Uint8Array(0),
      );
      if (last >= 1) await stores.log.deleteRange(first, last);
      result = {
        backupPath: saved.path,
        snapshotIndex: lastIndex,
        snapshotTerm: lastTerm,
        configuration: next.configuration,
        unsafeHead: headOf(next.payload),
        droppedEntries: last >= 1 ? last - first + 1 : 0,
      };
    } finally {
      await stores.close();
    }
    await publishDir(tmp, opts.stateDir);
    return result;
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  } finally {
    lock.release();
  }
}

export async function recoverCluster(
  opts: SurgeryCommon & { readonly members: string },
): Promise<SurgeryResult> {
  const configuration = clusterFromMembers(opts.members);
  const self = basename(opts.stateDir);
  if (!configuration.servers.some((s) => s.id === self)) {
    throw new InitError(
      'ERR_INVALID_INPUT',
      `--members does not include this node ("${self}", the state dir's name)`,
    );
  }
  const result = await rewriteAsSnapshot(opts, (s) => ({ configuration, payload: s.latestPayload }));
  opts.logger.warn(
    { stateDir: opts.stateDir, members: opts.members, backup: result.backupPath },
    'recovered cluster configuration',
  );
  return result;
}

export async function editUnsafeHead(
  opts: SurgeryCommon & { readonly payloadFile: string },
): Promise<SurgeryResult> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(opts.payloadFile, 'utf8'));
  } catch (err) {
    throw new InitError(
      'ERR_INVALID_INPUT',
      `cannot read payload ${opts.payloadFile}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  let ssz: Uint8Array;
  try {
    ssz = encodePayloadForCommit(json).ssz;
  } catch (err) {
    throw new InitError(
      'ERR_INVALID_INPUT',
      `invalid payload in ${opts.payloadFile}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const result = await rewriteAsSnapshot(opts, (s) => {
    if (s.latestConfiguration === undefined) {
      throw new InitError(
        'ERR_INVALID_INPUT',
        'no configuration in the log or a snapshot; use recover instead',
      );
    }
    return { configuration: s.latestConfiguration, payload: ssz };
  });
  opts.logger.warn(
    { stateDir: opts.stateDir, head: result.unsafeHead, backup: result.backupPath },
    'replaced unsafe head',
  );
  return result;
}
