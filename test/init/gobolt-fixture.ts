/**
 * Test fixture: builds test/init/gobolt (a real hashicorp raft 1.1.2 + raft-boltdb cluster, Go from
 * Debian, offline GOPATH build) once per checkout and runs it to produce Go conductor state dirs plus
 * Go's own dump of every bucket (expected.json). Build output and Go cache live in the git-ignored
 * test/interop/bin/. Returns undefined when Go is not installed so tests can skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const SRC_DIR = join(ROOT, 'test/init/gobolt');
const BIN_DIR = join(ROOT, 'test/interop/bin/init-gobolt');
const BIN = join(BIN_DIR, 'gobolt');
const GO_BUILD_TIMEOUT_MS = 180_000;
const GO_RUN_TIMEOUT_MS = 60_000;

export interface GoKv {
  readonly key: string;
  readonly value: string;
}
export interface GoDbDump {
  readonly logs: readonly GoKv[];
  readonly conf: readonly GoKv[];
}
export type GoDump = Record<string, { readonly log: GoDbDump; readonly stable: GoDbDump }>;

function goAvailable(): boolean {
  return spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
}

export function buildGobolt(): string | undefined {
  if (!goAvailable()) return undefined;
  const src = join(SRC_DIR, 'main.go');
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= statSync(src).mtimeMs) return BIN;
  mkdirSync(BIN_DIR, { recursive: true });
  execFileSync('go', ['build', '-o', BIN, '.'], {
    cwd: SRC_DIR,
    timeout: GO_BUILD_TIMEOUT_MS,
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: '/usr/share/gocode',
      GOPROXY: 'off',
      GOFLAGS: '-mod=mod',
      GOCACHE: join(BIN_DIR, 'cache'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return BIN;
}

/**
 * Runs the Go cluster; returns the output dir (with n1/n2/n3 state dirs) and Go's dump. Commands are
 * deterministic binary blobs, or `payloads` (applied in order, cycled) when given.
 */
export function runGobolt(
  applies: number,
  payloads?: readonly Uint8Array[],
): { dir: string; dump: GoDump } | undefined {
  const bin = buildGobolt();
  if (bin === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'init-gobolt-'));
  const args = ['-dir', dir, '-applies', String(applies)];
  if (payloads !== undefined) {
    const file = join(dir, 'payloads.hex');
    writeFileSync(file, payloads.map((p) => Buffer.from(p).toString('hex')).join('\n'));
    args.push('-payloads', file);
  }
  execFileSync(bin, args, { timeout: GO_RUN_TIMEOUT_MS, stdio: 'pipe' });
  return { dir, dump: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as GoDump };
}
