// The daemon as a process (`node --import tsx src/cli/main.ts`): no flags → exit 1 with Go's
// missing-flag text on one line and no stack; --help lists every schema flag with its env var;
// --version; a §2.3 error and a flag syntax error exit 1. The full start/stop path runs in-process
// through run() with stub services, so it does not depend on which services the integrator wires in.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { Service, StopSignal } from '../../src/cli/lifecycle.ts';
import { run } from '../../src/cli/main.ts';
import { envVarFor, FLAGS } from '../../src/config/schema.ts';
import type { Metrics } from '../../src/metrics/metrics.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PROCESS_TIMEOUT_MS = 20_000;

const REQUIRED = [
  '--consensus.addr=127.0.0.1',
  '--consensus.port=0',
  '--raft.server.id=seq-0',
  '--raft.storage.dir=/tmp/op-conductor-test-unused',
  '--node.rpc=http://127.0.0.1:1',
  '--execution.rpc=http://127.0.0.1:1',
  '--healthcheck.interval=1',
  '--healthcheck.unsafe-interval=5',
  '--healthcheck.min-peer-count=1',
];

/** Environment without the runner's OP_CONDUCTOR_* variables, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OP_CONDUCTOR')) env[k] = v;
  return { ...env, ...extra };
}

function start(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit within ${PROCESS_TIMEOUT_MS}ms; stderr: ${stderr}`));
    }, PROCESS_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('no flags: exit 1, Go missing-flag text, one line, no stack trace', async () => {
  const r = await collect(start([]));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing required flags: flag consensus\.addr is required/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.match(r.stderr, /lvl=crit msg="Application failed"/);
});

test('--help lists every flag with its env var; --version prints the version', async () => {
  const help = await collect(start(['--help']));
  assert.equal(help.code, 0);
  for (const f of FLAGS) {
    const flag = new RegExp(`^ {3}--${f.name.replace(/\./g, '\\.')}( value)? {2,}\\S`);
    const line = help.stdout.split('\n').find((l) => flag.test(l));
    assert.ok(line, `--help is missing --${f.name}`);
    assert.ok(line.endsWith(`[$${envVarFor(f.name)}]`), line);
  }
  assert.match(help.stdout, /^GLOBAL OPTIONS:$/m);
  assert.match(help.stdout, /--raft\.snapshot-interval value\s+.*\(default: 1s\)/);
  const version = await collect(start(['--version']));
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^op-conductor version v\d+\.\d+\.\d+(-[0-9a-f]{8})?\n$/);
});

test('a §2.3 validation error and a flag syntax error exit 1 with one line', async () => {
  const bad = await collect(start([...REQUIRED, '--healthcheck.interval=0']));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid health check config: missing health check interval/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  const syntax = await collect(start(['--nope']));
  assert.equal(syntax.code, 1);
  assert.equal(syntax.stderr, 'Incorrect Usage: flag provided but not defined: -nope\n');
});

test('run(): starts the built services, sets up/info, warns about unknown env vars, stops on SIGTERM', async () => {
  const emitter = new EventEmitter();
  const lines: string[] = [];
  const events: string[] = [];
  let metrics: Metrics | undefined;
  const svc = (name: string): Service => ({
    name,
    start: async () => void events.push(`start ${name}`),
    stop: async () => void events.push(`stop ${name}`),
  });
  const exited: number[] = [];
  const code = run({
    argv: [...REQUIRED, '--log.format=json'],
    env: { OP_CONDUCTOR_NOT_A_FLAG: 'x', OP_CONDUCTOR_RPC_PORT: '0' },
    stdout: () => {},
    stderr: (t) => lines.push(t),
    signals: {
      on: (s: StopSignal, l: () => void) => emitter.on(s, l),
      off: (s: StopSignal, l: () => void) => emitter.off(s, l),
    },
    exit: (c) => void exited.push(c),
    isTty: false,
    logSink: { write: (l) => lines.push(l) },
    buildServices: async (config, deps) => {
      assert.equal(config.rpc.port, 0);
      metrics = deps.metrics;
      return [svc('a'), svc('b')];
    },
  });
  const startedWithin = Date.now() + PROCESS_TIMEOUT_MS;
  while (!lines.some((l) => l.includes('op-conductor started'))) {
    assert.ok(Date.now() < startedWithin, 'not started');
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(metrics);
  const body = await metrics.registry.metrics();
  assert.match(body, /^op_conductor_up 1$/m);
  assert.match(body, /^op_conductor_info\{version="v[^"]+"\} 1$/m);
  emitter.emit('SIGTERM');
  assert.equal(await code, 0);
  assert.deepEqual(events, ['start a', 'start b', 'stop b', 'stop a']);
  assert.deepEqual(exited, []);
  const warn = lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((o) => o['msg'] === 'Unknown env var');
  assert.ok(warn);
  assert.equal(warn['lvl'], 'warn');
  assert.equal(warn['prefix'], 'OP_CONDUCTOR');
  assert.equal(warn['env_var'], 'OP_CONDUCTOR_NOT_A_FLAG=x');
});
