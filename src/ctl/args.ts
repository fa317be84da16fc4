/**
 * Command-line parsing for `op-conductor ctl <command> [positional...] [flags]`. Flags may come before or
 * after the command, as `--flag value`, `--flag=value`, or bare for booleans; `-c` = `--config` and
 * `-y` = `--yes` as in op-conductor-ops. Durations take Go syntax (`2s`, `500ms`) or bare milliseconds.
 *
 * Invariant: an unknown flag, a missing value or a bad number is a CtlError(ERR_USAGE) naming the flag.
 */
import { DurationSyntaxError, NS_PER_MS, parseGoDurationNs } from '../config/duration.ts';
import { CtlError, CtlErrorCode } from './errors.ts';

type Kind = 'string' | 'bool' | 'duration' | 'int';

export const flagKinds = {
  config: 'string',
  network: 'string',
  conductors: 'string',
  nodes: 'string',
  'raft-addrs': 'string',
  nonvoters: 'string',
  'admin-jwt-secret': 'string',
  'rpc-timeout': 'duration',
  timeout: 'duration',
  interval: 'duration',
  iterations: 'int',
  version: 'int',
  to: 'string',
  'sequencer-id': 'string',
  yes: 'bool',
  force: 'bool',
  json: 'bool',
  watch: 'bool',
  all: 'bool',
  node: 'bool',
  remove: 'bool',
  color: 'bool',
  'no-color': 'bool',
  help: 'bool',
} as const satisfies Record<string, Kind>;

export type FlagName = keyof typeof flagKinds;

const shortFlags: Record<string, FlagName> = { '-c': 'config', '-y': 'yes', '-h': 'help' };
/** op-conductor-ops' `override-leader --y`. */
const aliases: Record<string, FlagName> = { y: 'yes', 'sequencer-id': 'sequencer-id' };

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positional: readonly string[];
  str(name: FlagName): string | undefined;
  bool(name: FlagName): boolean;
  /** Milliseconds. */
  duration(name: FlagName): number | undefined;
  int(name: FlagName): number | undefined;
}

function usage(message: string): CtlError {
  return new CtlError(CtlErrorCode.Usage, message);
}

function parseDurationMs(flag: string, text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  try {
    const ns = parseGoDurationNs(text);
    if (ns <= 0) throw usage(`--${flag}: must be positive, got "${text}"`);
    return Math.ceil(ns / NS_PER_MS);
  } catch (e) {
    if (e instanceof DurationSyntaxError) throw usage(`--${flag}: invalid duration "${text}"`);
    throw e;
  }
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<FlagName, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    let name: FlagName | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const raw = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) inline = arg.slice(eq + 1);
      name = raw in flagKinds ? (raw as FlagName) : aliases[raw];
      if (name === undefined) throw usage(`unknown flag --${raw} (see --help)`);
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      name = shortFlags[arg];
      if (name === undefined) throw usage(`unknown flag ${arg} (see --help)`);
    } else {
      positional.push(arg);
      continue;
    }
    const kind: Kind = flagKinds[name];
    if (kind === 'bool') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        throw usage(`--${name}: want true or false, got "${inline}"`);
      }
      values.set(name, inline ?? 'true');
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw usage(`--${name} needs a value`);
    values.set(name, v);
  }
  const [command, ...rest] = positional;
  return {
    command,
    positional: rest,
    str: (n) => values.get(n),
    bool: (n) => values.get(n) === 'true',
    duration: (n) => {
      const v = values.get(n);
      return v === undefined ? undefined : parseDurationMs(n, v);
    },
    int: (n) => {
      const v = values.get(n);
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
        throw usage(`--${n}: want a non-negative integer, got "${v}"`);
      }
      return Number(v);
    },
  };
}
