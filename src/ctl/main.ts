/**
 * Entry of `op-conductor ctl` (and the `op-conductor-ctl` bin): parse the command line, load the cluster
 * (op-conductor-ops' TOML or --conductors), read the admin JWT secret, run one command, and turn every
 * failure into one line on stderr with a non-zero exit (2 usage, 1 other failures, 3 = status not healthy).
 *
 * Invariants: all RPC clients are closed before returning; a SIGINT handler is only installed for
 * --watch and removed afterwards; nothing here reads process state except through `io` defaults.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseAdminJwtSecret } from '../rpc/auth/admin-jwt.ts';
import { type ParsedArgs, parseArgs } from './args.ts';
import { overrideLeader, transferLeader } from './commands/leadership.ts';
import { addServer, removeServer, updateClusterMembership } from './commands/membership.ts';
import { pauseOrResume } from './commands/pause.ts';
import { forceActiveSequencer, haltSequencer } from './commands/recovery.ts';
import { status } from './commands/status.ts';
import { type ClusterConfig, parseInlineCluster, parseOpsConfig, selectNetwork } from './config.ts';
import { confirmPlan } from './confirm.ts';
import type { CtlContext } from './context.ts';
import { CtlError, CtlErrorCode, exitCodeOf, oneLine } from './errors.ts';
import { helpText } from './help.ts';
import { pollIntervalMsDefault, pollTimeoutMsDefault } from './poll.ts';
import { RpcEndpoints } from './rpc.ts';

export interface CtlIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin?: NodeJS.ReadableStream;
  readonly env?: NodeJS.ProcessEnv;
}

export const configEnv = 'CONDUCTOR_CONFIG';
export const adminJwtSecretEnv = 'OP_CONDUCTOR_CTL_ADMIN_JWT_SECRET';
export const defaultConfigPath = './config.toml';
const prefix = 'op-conductor ctl';

const commands = new Set([
  'status',
  'list-networks',
  'transfer-leader',
  'pause',
  'resume',
  'override-leader',
  'add-voter',
  'add-nonvoter',
  'remove-server',
  'update-cluster-membership',
  'halt-sequencer',
  'force-active-sequencer',
]);

interface Loaded {
  readonly cluster: ClusterConfig;
  readonly args: ParsedArgs;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new CtlError(CtlErrorCode.Config, `cannot read ${what} ${path}: ${code}`);
  }
}

async function loadCluster(
  args: ParsedArgs,
  env: NodeJS.ProcessEnv,
  listNetworks: boolean,
): Promise<Loaded & { networks?: string[] }> {
  const conductors = args.str('conductors');
  const explicitConfig = args.str('config') ?? env[configEnv];
  if (conductors !== undefined) {
    if (args.str('config') !== undefined)
      throw new CtlError(CtlErrorCode.Usage, '--config and --conductors are exclusive');
    const nodes = args.str('nodes');
    const raftAddrs = args.str('raft-addrs');
    const nonvoters = args.str('nonvoters');
    return {
      cluster: parseInlineCluster({
        conductors,
        ...(nodes !== undefined ? { nodes } : {}),
        ...(raftAddrs !== undefined ? { raftAddrs } : {}),
        ...(nonvoters !== undefined ? { nonvoters } : {}),
      }),
      args,
    };
  }
  const path = explicitConfig ?? defaultConfigPath;
  if (explicitConfig === undefined && !existsSync(path)) {
    throw new CtlError(
      CtlErrorCode.Config,
      `no cluster given: pass --config FILE (op-conductor-ops config.toml) or --conductors id=url,...`,
    );
  }
  const ops = parseOpsConfig(await readText(path, 'config'), path, dirname(resolve(path)));
  if (listNetworks) return { cluster: { sequencers: [] }, args, networks: [...ops.networks.keys()] };
  let network = args.str('network');
  let rest = args;
  const first = args.positional[0];
  if (network === undefined && first !== undefined && ops.networks.has(first)) {
    network = first;
    rest = { ...args, positional: args.positional.slice(1) };
  }
  return { cluster: selectNetwork(ops, network, path), args: rest };
}

async function loadSecret(args: ParsedArgs, env: NodeJS.ProcessEnv): Promise<Uint8Array | undefined> {
  const path = args.str('admin-jwt-secret') ?? env[adminJwtSecretEnv];
  if (path === undefined || path === '') return undefined;
  try {
    return parseAdminJwtSecret(await readText(path, 'admin JWT secret'));
  } catch (e) {
    if (e instanceof CtlError) throw e;
    throw new CtlError(CtlErrorCode.Config, `${path}: ${(e as Error).message}`);
  }
}

function isTty(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}

async function dispatch(command: string, ctx: CtlContext, colour: boolean): Promise<number> {
  switch (command) {
    case 'status':
      return status(ctx, colour);
    case 'transfer-leader':
      return transferLeader(ctx);
    case 'pause':
      return pauseOrResume(ctx, true);
    case 'resume':
      return pauseOrResume(ctx, false);
    case 'override-leader':
      return overrideLeader(ctx);
    case 'add-voter':
      return addServer(ctx, true);
    case 'add-nonvoter':
      return addServer(ctx, false);
    case 'remove-server':
      return removeServer(ctx);
    case 'update-cluster-membership':
      return updateClusterMembership(ctx);
    case 'halt-sequencer':
      return haltSequencer(ctx);
    case 'force-active-sequencer':
      return forceActiveSequencer(ctx);
    default:
      throw new CtlError(CtlErrorCode.Usage, `unknown command "${command}" (see --help)`);
  }
}

export async function runCtl(argv: readonly string[], io?: CtlIo): Promise<number> {
  const stdout = io?.stdout ?? process.stdout;
  const stderr = io?.stderr ?? process.stderr;
  const stdin = io ? io.stdin : process.stdin;
  const env = io?.env ?? process.env;
  const errLine = (l: string) => void stderr.write(`${l}\n`);
  let rpc: RpcEndpoints | undefined;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  let sigintInstalled = false;
  try {
    const parsed = parseArgs(argv);
    if (parsed.bool('help') || parsed.command === undefined || parsed.command === 'help') {
      (parsed.command === undefined && !parsed.bool('help') ? stderr : stdout).write(helpText);
      return parsed.command === undefined && !parsed.bool('help') ? 2 : 0;
    }
    const command = parsed.command;
    if (!commands.has(command))
      throw new CtlError(CtlErrorCode.Usage, `unknown command "${command}" (see --help)`);
    const loaded = await loadCluster(parsed, env, command === 'list-networks');
    if (command === 'list-networks') {
      for (const n of loaded.networks ?? []) stdout.write(`${n}\n`);
      return 0;
    }
    const { cluster, args } = loaded;
    if (cluster.certPath !== undefined && env.NODE_EXTRA_CA_CERTS === undefined) {
      errLine(
        `${prefix}: note: cert_path is not applied by itself; export NODE_EXTRA_CA_CERTS=${cluster.certPath}`,
      );
    }
    const secret = await loadSecret(args, env);
    const statusTimeoutMs = args.duration('rpc-timeout');
    rpc = new RpcEndpoints({
      ...(secret ? { adminJwtSecret: secret } : {}),
      ...(statusTimeoutMs !== undefined ? { statusTimeoutMs } : {}),
    });
    const tty = isTty(stdout);
    const colour = args.bool('no-color') ? false : args.bool('color') || (tty && !env.NO_COLOR);
    if (args.bool('watch')) {
      process.once('SIGINT', onSigint);
      sigintInstalled = true;
    }
    const yes = args.bool('yes');
    const ctx: CtlContext = {
      cluster,
      rpc,
      args,
      out: (l) => void stdout.write(`${l}\n`),
      write: (t) => void stdout.write(t),
      err: errLine,
      confirm: (plan) =>
        confirmPlan(
          { yes, stdin, out: (l) => void stdout.write(`${l}\n`), prompt: (t) => void stderr.write(t) },
          plan,
        ),
      tty,
      nowMs: () => Date.now(),
      sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined),
      pollTimeoutMs: args.duration('timeout') ?? pollTimeoutMsDefault,
      pollIntervalMs: pollIntervalMsDefault,
      signal: abort.signal,
    };
    return await dispatch(command, ctx, colour);
  } catch (e) {
    const code = e instanceof CtlError ? e.code : undefined;
    errLine(`${prefix}: ${oneLine(e instanceof Error ? e.message : String(e))}`);
    return code !== undefined ? exitCodeOf(code) : 1;
  } finally {
    if (sigintInstalled) process.off('SIGINT', onSigint);
    await rpc?.close();
  }
}
