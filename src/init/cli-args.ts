/**
 * Flag parsing for op-conductor-init: `<command> --flag value | --flag=value | --bool-flag`, and every
 * flag also as an environment variable `OP_CONDUCTOR_INIT_<FLAG>` (upper case, '-' → '_'), as the Go
 * tool's urfave/cli setup does. A command-line flag wins over the environment.
 *
 * Invariants: unknown flags, missing values and missing required flags are ERR_USAGE with a one-line
 * message naming the flag; boolean env values accept true/false/1/0 only.
 */
import { InitError } from './errors.ts';

export const ENV_PREFIX = 'OP_CONDUCTOR_INIT_';

export interface FlagSpec {
  readonly name: string;
  readonly kind: 'string' | 'bool';
  readonly required?: boolean;
  readonly default?: string;
  readonly help: string;
}

export interface ParsedFlags {
  str(name: string): string;
  optional(name: string): string | undefined;
  bool(name: string): boolean;
}

export function envName(flag: string): string {
  return ENV_PREFIX + flag.toUpperCase().replace(/-/g, '_');
}

function parseBool(value: string, source: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new InitError('ERR_USAGE', `invalid boolean value "${value}" for ${source}`);
}

export function parseFlags(
  command: string,
  specs: readonly FlagSpec[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new InitError('ERR_USAGE', `${command}: unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = byName.get(name);
    if (spec === undefined)
      throw new InitError('ERR_USAGE', `${command}: flag provided but not defined: -${name}`);
    if (spec.kind === 'bool') {
      values.set(name, eq === -1 ? 'true' : String(parseBool(arg.slice(eq + 1), `--${name}`)));
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined)
      throw new InitError('ERR_USAGE', `${command}: flag needs an argument: --${name}`);
    values.set(name, value);
  }
  for (const spec of specs) {
    if (values.has(spec.name)) continue;
    const fromEnv = env[envName(spec.name)];
    if (fromEnv !== undefined && fromEnv !== '') {
      values.set(spec.name, spec.kind === 'bool' ? String(parseBool(fromEnv, envName(spec.name))) : fromEnv);
    } else if (spec.default !== undefined) values.set(spec.name, spec.default);
    else if (spec.required) {
      throw new InitError(
        'ERR_USAGE',
        `${command}: required flag --${spec.name} not set (or set ${envName(spec.name)})`,
      );
    }
  }
  return {
    str(name) {
      const v = values.get(name);
      if (v === undefined || v === '')
        throw new InitError('ERR_USAGE', `${command}: --${name} must not be empty`);
      return v;
    },
    optional(name) {
      return values.get(name);
    },
    bool(name) {
      return values.get(name) === 'true';
    },
  };
}

export function usageLines(command: string, specs: readonly FlagSpec[]): string[] {
  return [
    `op-conductor-init ${command}`,
    ...specs.map(
      (s) =>
        `  --${s.name}${s.kind === 'string' ? ' VALUE' : ''}  ${s.help}${s.required ? ' (required)' : ''}` +
        `${s.default !== undefined ? ` (default ${s.default})` : ''} [$${envName(s.name)}]`,
    ),
  ];
}
