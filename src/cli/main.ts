/**
 * Composition root of the `op-conductor` daemon: flags → logger → config checks → metrics → services
 * → start → wait for SIGINT/SIGTERM → stop in reverse. Mirrors Go's `cmd/main.go` + op-service
 * `cliapp.LifecycleCmd`: the logger exists before the config is validated (so `Unknown env var`
 * warnings and the failure line use the configured format), a bad configuration is one `crit` line
 * on stderr and exit code 1 (never a stack trace), a second signal during shutdown forces exit 1.
 * `run` takes its process surface as a parameter so tests can drive it without spawning.
 */
import { pathToFileURL } from 'node:url';
import { checkGoConfig, checkStartup } from '../config/check.ts';
import type { ConductorConfig, LogConfig } from '../config/config.ts';
import { isConfigError } from '../config/errors.ts';
import { readJwtSecret } from '../config/jwt-secret.ts';
import {
  buildConfig,
  checkRequiredFlags,
  type Env,
  type ParsedFlags,
  parseFlags,
  unknownEnvVars,
} from '../config/parse.ts';
import { ENV_VAR_PREFIX } from '../config/schema.ts';
import { createLogger, type LogSink, renderLine } from '../logging/create-logger.ts';
import type { Logger } from '../logging/logger.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { renderHelp, renderVersion } from './help.ts';
import {
  type SignalSource,
  type StopSignal,
  startServices,
  stopServices,
  waitForStopSignal,
} from './lifecycle.ts';
import { applyDaemonHeapTuning } from './node-options.ts';
import { buildServices } from './services.ts';
import { runSubcommand, subcommandOf } from './subcommands.ts';
import { appVersion } from './version.ts';

export interface ProcessSurface {
  readonly argv: readonly string[];
  readonly env: Env;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly signals: SignalSource;
  /** Immediate exit, used only for the forced exit on a second signal. */
  readonly exit: (code: number) => void;
  readonly isTty: boolean;
  /** Log destination (default: stdout). */
  readonly logSink?: LogSink;
  /** Service builder (default: `buildServices`); tests pass their own to run the lifecycle in-process. */
  readonly buildServices?: typeof buildServices;
}

/** The Go conductor's fatal line: `lvl=crit msg="Application failed" message="..."` (here on stderr). */
function fatalLine(log: Pick<LogConfig, 'format' | 'color'>, message: string, isTty: boolean): string {
  return renderLine(
    log,
    { timeMs: Date.now(), level: 'crit', msg: 'Application failed', fields: [['message', message]] },
    isTty,
  );
}

/** Go's checks that fail in `NewConfig`/`Check` vs. those that only fail while building the conductor. */
async function validate(parsed: ParsedFlags, config: ConductorConfig): Promise<string | undefined> {
  try {
    checkRequiredFlags(parsed);
    checkGoConfig(config);
  } catch (e) {
    if (isConfigError(e)) return `failed to setup: failed to read config: ${e.message}`;
    throw e;
  }
  try {
    checkStartup(config);
    if (config.rpc.adminJwtSecretPath !== '') await readJwtSecret(config.rpc.adminJwtSecretPath);
  } catch (e) {
    if (isConfigError(e)) return `failed to setup: failed to create conductor: ${e.message}`;
    throw e;
  }
  return undefined;
}

function warnUnknownEnvVars(env: Env, logger: Logger): void {
  for (const envVar of unknownEnvVars(env)) {
    logger.warn({ prefix: ENV_VAR_PREFIX, env_var: envVar }, 'Unknown env var');
  }
}

export async function run(io: ProcessSurface): Promise<number> {
  const sub = subcommandOf(io.argv);
  if (sub !== undefined) return runSubcommand(sub, io.argv.slice(1));
  const version = appVersion(io.env);
  let parsed: ParsedFlags;
  try {
    parsed = parseFlags(io.argv, io.env);
  } catch (e) {
    if (!isConfigError(e)) throw e;
    io.stderr(`Incorrect Usage: ${e.message}\n`);
    return 1;
  }
  if (parsed.help) {
    io.stdout(renderHelp(version));
    return 0;
  }
  if (parsed.version) {
    io.stdout(renderVersion(version));
    return 0;
  }
  const config = buildConfig(parsed);
  const logger = createLogger(config.log, { isTty: io.isTty, ...(io.logSink ? { sink: io.logSink } : {}) });
  warnUnknownEnvVars(io.env, logger);
  const failure = await validate(parsed, config);
  if (failure !== undefined) {
    io.stderr(fatalLine(config.log, failure, io.isTty));
    return 1;
  }

  const metrics = createMetrics({ defaultMetrics: true });
  const services = await (io.buildServices ?? buildServices)(config, { logger, metrics });
  try {
    await startServices(services, logger);
  } catch (e) {
    io.stderr(
      fatalLine(config.log, `failed to start: ${e instanceof Error ? e.message : String(e)}`, io.isTty),
    );
    return 1;
  }
  metrics.info.set({ version }, 1);
  metrics.up.set(1);
  logger.info({ version }, 'op-conductor started');

  const waiter = waitForStopSignal(io.signals, (sig: StopSignal) => {
    logger.error({ signal: sig }, 'received second signal, forcing exit');
    io.exit(1);
  });
  const sig = await waiter.signal;
  logger.info({ signal: sig }, 'received signal, stopping');
  const result = await stopServices(services, logger);
  waiter.dispose();
  logger.info({ clean: result.clean }, 'op-conductor stopped');
  return result.clean ? 0 : 1;
}

/** Entry used by bin/op-conductor.mjs and by `node src/cli/main.ts`. */
export async function runMain(): Promise<void> {
  applyDaemonHeapTuning(); // process-wide V8 setting: here, not in run(), which tests call in-process
  const code = await run({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signals: process,
    exit: (c) => process.exit(c),
    isTty: process.stdout.isTTY === true,
  });
  // Services may leave handles (sockets, timers) behind after a bounded stop; do not wait for them.
  process.exit(code);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  runMain().catch((e: unknown) => {
    process.stderr.write(`op-conductor: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
