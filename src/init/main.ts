/**
 * op-conductor-init: the command-line entry. Parses `<command> [flags]` (every flag also as an
 * OP_CONDUCTOR_INIT_* environment variable), runs the command against our stores (openNodeStores), and
 * prints text (or JSON with --json) on stdout.
 *
 * Invariants: every failure ends as exactly one line `op-conductor-init: <message>` on stderr and a
 * non-zero exit (2 for usage errors, 1 otherwise, including verify finding problems); logs go to
 * stderr at warn level unless OP_CONDUCTOR_INIT_LOG_LEVEL says otherwise; main() never calls
 * process.exit itself, so it can be tested in-process.
 */
import { dirname, join } from 'node:path';
import pino from 'pino';
import { readLine } from '../cli/read-line.ts';
import type { Logger } from '../logging/logger.ts';
import { openNodeStores } from '../raft/storage/open.ts';
import { backup, restore } from './backup.ts';
import { type FlagSpec, type ParsedFlags, parseFlags, usageLines } from './cli-args.ts';
import { parseTerm } from './cluster-spec.ts';
import { errorLine, InitError } from './errors.ts';
import { generate } from './generate.ts';
import { importBolt } from './import-bolt.ts';
import { formatInfo, infoToJson, inspectState } from './inspect.ts';
import { type OpenStores, parseBackend, STORE_BACKEND_DEFAULT } from './node-stores.ts';
import { editUnsafeHead, recoverCluster, SURGERY_WARNING, type SurgeryResult } from './surgery.ts';

/** How long restore waits for a confirmation line on a non-terminal stdin before refusing. */
export const CONFIRM_TIMEOUT_MS = 60_000;

export interface MainIo {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly confirm: (question: string) => Promise<string | undefined>;
  readonly logger: Logger;
  readonly openStores: OpenStores;
  readonly now: () => Date;
}

const store: FlagSpec = {
  name: 'store',
  kind: 'string',
  help: 'store backend: lmdb or file (default: detected)',
};
const stateDir: FlagSpec = {
  name: 'state-dir',
  kind: 'string',
  required: true,
  help: 'node raft state directory',
};
const force: FlagSpec = { name: 'force', kind: 'bool', help: 'overwrite / do not ask' };
const json: FlagSpec = { name: 'json', kind: 'bool', help: 'print JSON' };
const backupDirOpt: FlagSpec = {
  name: 'backup-dir',
  kind: 'string',
  help: 'where the safety backup goes (default: <state-dir>/../raft-backups)',
};

const COMMANDS: Record<string, { readonly help: string; readonly flags: readonly FlagSpec[] }> = {
  generate: {
    help: 'write pre-seeded raft state for every server of a new cluster',
    flags: [
      { name: 'nodes', kind: 'string', required: true, help: 'comma-separated raft addresses host:port' },
      {
        name: 'server-ids',
        kind: 'string',
        required: true,
        help: 'comma-separated server ids, same order as --nodes',
      },
      { name: 'initial-leader', kind: 'string', required: true, help: 'server id of the initial leader' },
      { name: 'output-dir', kind: 'string', default: './raft-state', help: 'output directory' },
      { name: 'initial-term', kind: 'string', default: '1', help: 'initial raft term' },
      { name: 'network', kind: 'string', help: 'network name (informational)' },
      { ...store, help: 'store backend: lmdb or file', default: STORE_BACKEND_DEFAULT },
      force,
      {
        name: 'strict-initial-leader',
        kind: 'bool',
        help: 'configuration on the initial leader only, so it surely wins the first election',
      },
    ],
  },
  info: {
    help: "show a node state dir (ours or a Go conductor's)",
    flags: [
      stateDir,
      store,
      json,
      { name: 'server-id', kind: 'string', help: "this node's id (default: dir name)" },
    ],
  },
  verify: {
    help: 'like info, exit non-zero on inconsistencies',
    flags: [
      stateDir,
      store,
      json,
      { name: 'server-id', kind: 'string', help: "this node's id (default: dir name)" },
    ],
  },
  backup: {
    help: 'timestamped copy of a state dir (refused while a daemon holds it)',
    flags: [
      { ...stateDir, help: 'node state dir, or a dir of node dirs' },
      { name: 'backup-dir', kind: 'string', required: true, help: 'where raft-backup-<ts> is created' },
    ],
  },
  restore: {
    help: 'replace a state dir with a backup',
    flags: [
      { name: 'backup-dir', kind: 'string', required: true, help: 'the raft-backup-<ts> directory' },
      { ...stateDir, help: 'state dir to replace' },
      force,
    ],
  },
  recover: {
    help: 'DISASTER RECOVERY: rewrite the membership so survivors can form a new cluster',
    flags: [
      stateDir,
      { name: 'members', kind: 'string', required: true, help: 'id=host:port,...' },
      backupDirOpt,
      store,
    ],
  },
  'edit-unsafehead': {
    help: 'DISASTER RECOVERY: replace the stored unsafe payload',
    flags: [
      stateDir,
      { name: 'payload', kind: 'string', required: true, help: 'JSON ExecutionPayloadEnvelope file' },
      backupDirOpt,
      store,
    ],
  },
  'import-bolt': {
    help: "import a Go op-conductor's raft-boltdb state",
    flags: [
      {
        name: 'from',
        kind: 'string',
        required: true,
        help: 'Go state dir (raft-log.db, raft-stable.db, snapshots/)',
      },
      stateDir,
      { ...store, help: 'store backend: lmdb or file', default: STORE_BACKEND_DEFAULT },
      force,
    ],
  },
};

function usage(): string[] {
  const lines = ['usage: op-conductor-init <command> [flags]', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${c.help}`);
  lines.push('run `op-conductor-init <command> --help` for its flags');
  return lines;
}

function explicitStore(f: ParsedFlags): 'lmdb' | 'file' | undefined {
  const v = f.optional('store');
  if (v === undefined) return undefined;
  const b = parseBackend(v);
  return b === 'memory' ? undefined : b;
}

function printSurgery(io: MainIo, r: SurgeryResult): void {
  io.out(`backup:        ${r.backupPath}`);
  io.out(
    `snapshot:      index ${r.snapshotIndex}, term ${r.snapshotTerm} (${r.droppedEntries} log entries folded in)`,
  );
  io.out(`configuration: ${r.configuration.servers.map((s) => `${s.id}=${s.address}`).join(',')}`);
  io.out(`unsafe head:   ${r.unsafeHead ? `block ${r.unsafeHead.number} ${r.unsafeHead.hash}` : 'none'}`);
}

async function run(command: string, f: ParsedFlags, io: MainIo): Promise<number> {
  const { logger, openStores } = io;
  switch (command) {
    case 'generate': {
      const r = await generate({
        nodes: f.str('nodes'),
        serverIds: f.str('server-ids'),
        initialLeader: f.str('initial-leader'),
        outputDir: f.str('output-dir'),
        initialTerm: parseTerm(f.str('initial-term'), '--initial-term'),
        network: f.optional('network'),
        backend: parseBackend(f.str('store')),
        force: f.bool('force'),
        strictInitialLeader: f.bool('strict-initial-leader'),
        openStores,
        logger,
      });
      io.out(
        `generated raft state for ${r.configuration.servers.length} servers (term ${r.term}, initial leader ${r.initialLeader}${r.network ? `, network ${r.network}` : ''}):`,
      );
      for (const d of r.dirs) io.out(`  ${d}`);
      io.out('start every conductor with --raft.bootstrap=false');
      return 0;
    }
    case 'info':
    case 'verify': {
      const info = await inspectState({
        stateDir: f.str('state-dir'),
        serverId: f.optional('server-id'),
        explicitBackend: explicitStore(f),
        openStores,
      });
      if (f.bool('json')) io.out(infoToJson(info));
      else for (const l of formatInfo(info)) io.out(l);
      if (command === 'verify' && info.issues.length > 0) {
        throw new InitError(
          'ERR_VERIFY',
          `verify: ${info.issues.length} problem(s): ${info.issues[0]}${info.issues.length > 1 ? ' …' : ''}`,
        );
      }
      return 0;
    }
    case 'backup': {
      const r = await backup({
        stateDir: f.str('state-dir'),
        backupDir: f.str('backup-dir'),
        now: io.now(),
        logger,
      });
      io.out(`backup created: ${r.path}`);
      return 0;
    }
    case 'restore': {
      const r = await restore({
        backupDir: f.str('backup-dir'),
        stateDir: f.str('state-dir'),
        force: f.bool('force'),
        confirm: io.confirm,
        logger,
      });
      io.out(`restored ${f.str('backup-dir')} to ${r.stateDir}`);
      return 0;
    }
    case 'recover':
    case 'edit-unsafehead': {
      const dir = f.str('state-dir');
      io.err(SURGERY_WARNING);
      const common = {
        stateDir: dir,
        backupDir: f.optional('backup-dir') ?? join(dirname(dir), 'raft-backups'),
        explicitBackend: explicitStore(f),
        openStores,
        logger,
        now: io.now(),
      };
      const r =
        command === 'recover'
          ? await recoverCluster({ ...common, members: f.str('members') })
          : await editUnsafeHead({ ...common, payloadFile: f.str('payload') });
      printSurgery(io, r);
      return 0;
    }
    case 'import-bolt': {
      const r = await importBolt({
        from: f.str('from'),
        stateDir: f.str('state-dir'),
        backend: parseBackend(f.str('store')),
        force: f.bool('force'),
        openStores,
        logger,
      });
      io.out(`imported ${r.entries} entries (index ${r.firstIndex}..${r.lastIndex}) into ${r.stateDir}`);
      io.out(
        `term ${r.hardState.currentTerm}, vote term ${r.hardState.lastVoteTerm} for ${r.hardState.lastVoteCandidateAddr || '(none)'}`,
      );
      io.out(
        r.snapshot
          ? `snapshot at index ${r.snapshot.index}, term ${r.snapshot.term} (${r.snapshot.bytes} bytes)`
          : 'no snapshot',
      );
      for (const s of r.skippedSnapshots) io.err(`skipped Go snapshot ${s.name}: ${s.reason}`);
      return 0;
    }
    default:
      throw new InitError('ERR_USAGE', `unknown command "${command}"`);
  }
}

export async function main(io: MainIo): Promise<number> {
  const [command, ...rest] = io.argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    for (const l of usage()) (command === undefined ? io.err : io.out)(l);
    return command === undefined ? 2 : 0;
  }
  const spec = COMMANDS[command];
  try {
    if (spec === undefined) throw new InitError('ERR_USAGE', `unknown command "${command}" (see --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      for (const l of usageLines(command, spec.flags)) io.out(l);
      return 0;
    }
    return await run(command, parseFlags(command, spec.flags, rest, io.env), io);
  } catch (err) {
    io.err(`op-conductor-init: ${errorLine(err)}`);
    return err instanceof InitError && err.code === 'ERR_USAGE' ? 2 : 1;
  }
}

/** One line from stdin (TTY or pipe), undefined on EOF or after CONFIRM_TIMEOUT_MS. */
export function stdinConfirm(question: string): Promise<string | undefined> {
  // Prompt only a human: with piped stdin the answer is scripted and stderr stays one error line.
  if (process.stdin.isTTY) process.stderr.write(question);
  return readLine(process.stdin, CONFIRM_TIMEOUT_MS);
}

/** Runs the tool on this process's argv/env/stdio and sets process.exitCode (used by the bin). */
export async function runMain(): Promise<void> {
  const logger = pino({ level: process.env.OP_CONDUCTOR_INIT_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  try {
    process.exitCode = await main({
      argv: process.argv.slice(2),
      env: process.env,
      out: (l) => process.stdout.write(`${l}\n`),
      err: (l) => process.stderr.write(`${l}\n`),
      confirm: stdinConfirm,
      logger,
      openStores: (dir, backend) => openNodeStores({ dir, backend, logger }),
      now: () => new Date(),
    });
  } catch (err) {
    process.stderr.write(`op-conductor-init: ${errorLine(err)}\n`);
    process.exitCode = 1;
  }
}

// Run directly (`node --import tsx src/init/main.ts …`, as the tests do) as well as through the bin.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await runMain();
}
