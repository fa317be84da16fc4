// There is no Docker engine on CI machines, so the image cannot be built here. This test checks the
// Dockerfile's instructions for what operators rely on: a pinned multi-stage build, a non-root runtime user,
// tini as PID 1 (SIGTERM reaches the daemon), a /healthz HEALTHCHECK, the Raft volume, and no secrets baked in.
// scripts/runtime-stage.sh (tested in runtime-stage.test.ts) reproduces the runtime stage's content.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DAEMON_NODE_OPTIONS } from '../../src/cli/node-options.ts';

const DOCKERFILE = new URL('../../docker/Dockerfile', import.meta.url);

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Parses Dockerfile instructions: joins continuation lines, drops comments. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let acc = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (acc === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      acc += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (acc + line).trim();
    acc = '';
    const m = /^(\w+)\s+(.*)$/s.exec(full);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]! });
  }
  return out;
}

function stages(ins: Instruction[]): Instruction[][] {
  const out: Instruction[][] = [];
  for (const i of ins) {
    if (i.op === 'FROM') out.push([]);
    out.at(-1)?.push(i);
  }
  return out;
}

const ins = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const all = stages(ins);
const runtime = all.at(-1) ?? [];

test('multi-stage build on a pinned Node 20 slim base', () => {
  const froms = ins.filter((i) => i.op === 'FROM');
  assert.ok(froms.length >= 2, 'build and runtime stages');
  for (const f of froms) {
    assert.match(
      f.args,
      /^node:20\.\d+\.\d+-\w+-slim(@sha256:[0-9a-f]{64})?\b/,
      `base image pinned to an exact version: ${f.args}`,
    );
    assert.doesNotMatch(f.args, /:latest\b/);
  }
});

test('runtime stage: production deps only, non-root, tini, healthcheck, volume', () => {
  const build = all[0] ?? [];
  assert.ok(
    build.some((i) => i.op === 'RUN' && /npm prune --omit=dev/.test(i.args)),
    'dev dependencies pruned before copying',
  );
  const user = runtime.filter((i) => i.op === 'USER').at(-1);
  assert.ok(user, 'runtime sets a USER');
  assert.doesNotMatch(user.args, /^(0|root)(:|$)/, 'runtime user is not root');
  const entry = runtime.find((i) => i.op === 'ENTRYPOINT');
  assert.match(entry?.args ?? '', /tini/, 'tini is PID 1');
  const hc = runtime.find((i) => i.op === 'HEALTHCHECK');
  assert.match(hc?.args ?? '', /\/healthz/, 'healthcheck probes /healthz');
  assert.ok(
    runtime.some((i) => i.op === 'VOLUME' && /\/raft/.test(i.args)),
    'raft state on a volume',
  );
  assert.ok(
    !runtime.some((i) => i.op === 'COPY' && /\bsrc\b/.test(i.args)),
    'no TypeScript sources in the runtime image',
  );
});

test('runtime NODE_OPTIONS are the daemon flags the benchmarks measure (src/cli/node-options.ts)', () => {
  const env = runtime.filter((i) => i.op === 'ENV' && /^NODE_OPTIONS=/.test(i.args)).at(-1);
  assert.equal(env?.args, `NODE_OPTIONS="${DAEMON_NODE_OPTIONS}"`);
});

test('no secrets baked into the image', () => {
  for (const i of ins.filter((x) => x.op === 'ENV' || x.op === 'ARG')) {
    assert.doesNotMatch(
      i.args,
      /(SECRET|TOKEN|PASSWORD|PRIVATE_KEY|JWT)\s*=/i,
      `secret-like ${i.op}: ${i.args}`,
    );
  }
  for (const i of ins.filter((x) => x.op === 'COPY' || x.op === 'ADD')) {
    assert.doesNotMatch(i.args, /\.(pem|key|hex)\b|\.env\b|id_rsa/, `secret-like file copied: ${i.args}`);
  }
});

test('the parser sees through continuations and comments (the checks can fail)', () => {
  const p = parseDockerfile('# c\nFROM node:latest\nRUN a \\\n  b\nUSER root\n');
  assert.deepEqual(p, [
    { op: 'FROM', args: 'node:latest' },
    { op: 'RUN', args: 'a    b' },
    { op: 'USER', args: 'root' },
  ]);
});
