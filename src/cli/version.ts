/**
 * The version string, built like op-service `FormatVersion`: `v<package.json version>` then
 * `-<first 8 hex of the git commit>` when known. The commit comes from `GIT_COMMIT` (set by image
 * builds, where there is no .git) or from the checkout's `.git` files, read directly (no `git`
 * subprocess, so `--version` stays instant). Any failure just omits the commit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GIT_COMMIT_SHORT_CHARS = 8;

export function packageVersion(root: string = PACKAGE_ROOT): string {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function readGitCommit(root: string): string {
  try {
    const head = readFileSync(join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice('ref: '.length);
    try {
      return readFileSync(join(root, '.git', ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(join(root, '.git', 'packed-refs'), 'utf8');
      const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
      return line ? line.split(' ')[0]! : '';
    }
  } catch {
    return '';
  }
}

export function formatVersion(version: string, gitCommit: string): string {
  let v = version;
  if (gitCommit !== '') v += `-${gitCommit.slice(0, GIT_COMMIT_SHORT_CHARS)}`;
  return v;
}

/** `v0.1.0-1a2b3c4d`, or `v0.1.0` when the commit is unknown. */
export function appVersion(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const commit = env['GIT_COMMIT'] ?? readGitCommit(PACKAGE_ROOT);
  return formatVersion(`v${packageVersion()}`, /^[0-9a-f]{7,}$/i.test(commit) ? commit : '');
}
