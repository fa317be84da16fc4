/**
 * `--help` and `--version` text, generated from the flag schema in urfave/cli v2's layout: NAME, USAGE,
 * VERSION, DESCRIPTION, COMMANDS, GLOBAL OPTIONS, each flag as `--name value  usage (default: x) [$ENV]`
 * aligned like Go's tabwriter (padding 2). Flags are listed as Go lists them: required flags first,
 * then the rest in schema order. Pure.
 */
import { formatGoDurationMs } from '../config/duration.ts';
import { envVarFor, FLAGS, type FlagSpec } from '../config/schema.ts';

export const APP_NAME = 'op-conductor';
export const APP_USAGE = 'Optimism Sequencer Conductor Service';
export const APP_DESCRIPTION = 'op-conductor help sequencer to run in highly available mode';
const INDENT = '   ';
const TABWRITER_PADDING = 2;

/** urfave's `GetDefaultText()` for each flag type. */
export function flagDefaultText(spec: FlagSpec): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  const v = spec.default;
  switch (spec.type) {
    case 'string':
      return v === undefined || v === '' ? '' : JSON.stringify(v);
    case 'enum':
      return v === undefined ? '' : String(v);
    case 'bool':
      return String(v ?? false);
    case 'duration':
      return formatGoDurationMs((v as number | undefined) ?? 0);
    default:
      return String(v ?? 0);
  }
}

function flagCells(spec: FlagSpec): [string, string] {
  const names = `--${spec.name}${spec.type === 'bool' ? '' : ' value'}`;
  const def = flagDefaultText(spec);
  const usage = `${spec.usage}${def === '' ? '' : ` (default: ${def})`} [$${envVarFor(spec.name)}]`;
  return [names, usage];
}

function alignColumns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([a]) => INDENT.length + a.length)) + TABWRITER_PADDING;
  return rows.map(([a, b]) => `${`${INDENT}${a}`.padEnd(width)}${b}`);
}

/** Go's order: the CheckRequired list first, then every other flag. */
export function helpFlagOrder(): FlagSpec[] {
  return [...FLAGS.filter((f) => f.required), ...FLAGS.filter((f) => !f.required)];
}

export function renderHelp(version: string): string {
  const flagRows: (readonly [string, string])[] = helpFlagOrder().map(flagCells);
  flagRows.push(['--help, -h', 'show help'], ['--version, -v', 'print the version']);
  const lines = [
    'NAME:',
    `${INDENT}${APP_NAME} - ${APP_USAGE}`,
    '',
    'USAGE:',
    `${INDENT}${APP_NAME} [global options] command [command options] [arguments...]`,
    '',
    'VERSION:',
    `${INDENT}${version}`,
    '',
    'DESCRIPTION:',
    `${INDENT}${APP_DESCRIPTION}`,
    '',
    'COMMANDS:',
    ...alignColumns([['help, h', 'Shows a list of commands or help for one command']]),
    '',
    'GLOBAL OPTIONS:',
    ...alignColumns(flagRows),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderVersion(version: string): string {
  return `${APP_NAME} version ${version}\n`;
}
