/**
 * generate: pre-seeded Raft state for every server of a new cluster, so all conductors can start with
 * raft.bootstrap=false and none needs to be special (the op-conductor-init workflow).
 *
 * Per server, `<output-dir>/<id>/` holds (in our store format): one LogConfiguration entry at index 1,
 * term = initial term, data = the msgpack Configuration with every server a Voter, byte-identical to
 * what hashicorp raft writes; CurrentTerm = initial term; and on the initial leader only, its
 * self-vote (LastVoteTerm = initial term, LastVoteCand = its address, as hashicorp stores votes).
 *
 * With strictInitialLeader, followers get no configuration entry (see the option) so that the initial
 * leader is certain to win the first election.
 *
 * Invariants: all inputs are validated before anything is written; existing non-empty server dirs are
 * refused without --force; every server dir is built in a temporary sibling and renamed only after all
 * of them were written, so a failure leaves no partial server dir.
 */
import { join } from 'node:path';
import type { Logger } from '../logging/logger.ts';
import { type Configuration, type HardState, LogType, type Term } from '../raft/core/types.ts';
import { clusterFromLists } from './cluster-spec.ts';
import { InitError } from './errors.ts';
import type { OpenStores, StoreBackend } from './node-stores.ts';
import { encodeConfiguration } from './raftcodec/configuration-codec.ts';
import { assertTargetFree, makeTempSibling, publishDir, removeQuietly } from './state-dirs.ts';
import { lockStateDirs } from './state-locks.ts';

export interface GenerateOptions {
  readonly nodes: string;
  readonly serverIds: string;
  readonly initialLeader: string;
  readonly outputDir: string;
  readonly initialTerm: Term;
  readonly network: string | undefined;
  readonly backend: StoreBackend;
  readonly force: boolean;
  /**
   * Write the configuration entry on the initial leader only (followers get just the term). A node with
   * no configuration never campaigns but does vote, so the initial leader is the only possible winner of
   * the first election; it then replicates the configuration and any node can lead thereafter. Trade-off:
   * the cluster cannot elect anyone until the initial leader is up.
   */
  readonly strictInitialLeader: boolean;
  readonly openStores: OpenStores;
  readonly logger: Logger;
}

export interface GenerateResult {
  readonly configuration: Configuration;
  readonly initialLeader: string;
  readonly term: Term;
  readonly network: string | undefined;
  readonly dirs: readonly string[];
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const cfg = clusterFromLists(opts.nodes, opts.serverIds);
  const leader = cfg.servers.find((s) => s.id === opts.initialLeader);
  if (leader === undefined) {
    throw new InitError(
      'ERR_INVALID_INPUT',
      `--initial-leader "${opts.initialLeader}" is not one of the --server-ids`,
    );
  }
  const dirs = cfg.servers.map((s) => join(opts.outputDir, s.id));
  for (const d of dirs) assertTargetFree(d, opts.force);
  const data = encodeConfiguration(cfg);
  const locks = lockStateDirs(dirs, opts.logger);
  const temps: string[] = [];
  try {
    for (const s of cfg.servers) {
      const tmp = makeTempSibling(join(opts.outputDir, s.id), 'generate');
      temps.push(tmp);
      const stores = await opts.openStores(tmp, opts.backend);
      try {
        const isLeader = s.id === leader.id;
        if (isLeader || !opts.strictInitialLeader) {
          await stores.log.storeLogs([
            { index: 1, term: opts.initialTerm, type: LogType.Configuration, data },
          ]);
        }
        const hs: HardState = {
          currentTerm: opts.initialTerm,
          lastVoteTerm: isLeader ? opts.initialTerm : 0,
          lastVoteCandidateAddr: isLeader ? leader.address : '',
          lastVoteCandidateId: isLeader ? leader.id : '',
        };
        await stores.stable.setHardState(hs);
      } finally {
        await stores.close();
      }
    }
    for (let i = 0; i < dirs.length; i++) {
      await publishDir(temps[i]!, dirs[i]!);
    }
  } catch (err) {
    for (const t of temps) removeQuietly(t);
    throw err;
  } finally {
    for (const l of locks) l.release();
  }
  opts.logger.info(
    { outputDir: opts.outputDir, servers: cfg.servers.length, network: opts.network },
    'generated raft state',
  );
  return {
    configuration: cfg,
    initialLeader: leader.id,
    term: opts.initialTerm,
    network: opts.network,
    dirs,
  };
}
