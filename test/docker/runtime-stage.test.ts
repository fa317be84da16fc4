// Reproduces the container image's runtime stage (scripts/runtime-stage.sh: compiled dist + production dependencies
// only, in a clean directory) and runs the daemon from it against a simulated op-node: it must start, bootstrap a
// single-node cluster, answer /healthz and conductor_leader, and stop cleanly on SIGTERM. This exercises what the
// image ships (including lmdb's native binding) without a Docker engine.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { waitFor } from '../../sim/devnet/devnet.ts';
import { freePort } from '../../sim/devnet/fault-proxy.ts';
import { rpcCall } from '../../sim/l2/json-rpc-http.ts';
import { SimL2 } from '../../sim/l2/network.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const STAGE_TIMEOUT_MS = 5 * 60_000;
const work = mkdtempSync(join(tmpdir(), 'runtime-stage-'));

after(() => rmSync(work, { recursive: true, force: true }));

test('the runtime stage runs the daemon: bootstrap, /healthz, conductor_leader, clean SIGTERM stop', async () => {
  const out = join(work, 'app');
  const printed = execFileSync('bash', [join(ROOT, 'scripts/runtime-stage.sh'), out], {
    encoding: 'utf8',
    timeout: STAGE_TIMEOUT_MS,
  });
  assert.match(printed, /op-conductor version v\d+\.\d+\.\d+/);

  const l2 = new SimL2({ nodeIds: ['seq1'], blockTimeMs: 1_000, payloadBytes: 0 });
  await l2.start();
  const rpcPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(out, 'bin/op-conductor.mjs'),
      '--consensus.addr=127.0.0.1',
      '--consensus.port=0',
      '--raft.server.id=rt',
      `--raft.storage.dir=${join(work, 'raft')}`,
      `--node.rpc=${l2.nodes[0]!.url}`,
      `--execution.rpc=${l2.nodes[0]!.url}`,
      '--healthcheck.interval=1',
      '--healthcheck.unsafe-interval=600',
      '--healthcheck.min-peer-count=1',
      '--rpc.addr=127.0.0.1',
      `--rpc.port=${rpcPort}`,
      '--raft.bootstrap',
    ],
    { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const url = `http://127.0.0.1:${rpcPort}`;
    await waitFor('the leader', 30_000, async () =>
      (await rpcCall<boolean>(url, 'conductor_leader', [], 1_000)) ? true : undefined,
    );
    const health = (await (await fetch(`${url}/healthz`)).json()) as { version: string };
    assert.match(health.version, /^v\d+/);
    assert.equal(
      await rpcCall<boolean>(url, 'conductor_paused', [], 1_000),
      true,
      'a fresh bootstrap starts paused',
    );
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
    if (code === 'timeout') child.kill('SIGKILL');
    await l2.close();
    assert.equal(code, 0, `clean stop; output:\n${output.slice(-2000)}`);
  }
  assert.match(output, /Raft cluster bootstrapped, pausing conductor\./);
});
