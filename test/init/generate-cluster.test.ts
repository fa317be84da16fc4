/**
 * Acceptance for generate: 3 real conductor daemons (src/cli/main.ts, real stores, TCP Raft on
 * 127.0.0.1) started paused with raft.bootstrap=false on state from `generate --strict-initial-leader`
 * must elect the chosen initial leader (seq2, deliberately not the first started), report the full
 * membership, and after that leader is killed elect another node (the configuration was replicated,
 * so any node can lead thereafter). The L2 is the simulator's op-node/EL stand-in.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConductorProcess } from '../../sim/devnet/conductor-process.ts';
import { freePort } from '../../sim/devnet/fault-proxy.ts';
import { rpcCall } from '../../sim/l2/json-rpc-http.ts';
import { SimL2 } from '../../sim/l2/network.ts';
import { runCli } from './cli-harness.ts';

const HOST = '127.0.0.1';
const IDS = ['seq1', 'seq2', 'seq3'];
const INITIAL_LEADER = 'seq2';
const ELECTION_WAIT_MS = 120_000;
const POLL_MS = 250;
const RPC_TIMEOUT_MS = 2_000;

async function leaders(cs: readonly ConductorProcess[]): Promise<string[]> {
  const out: string[] = [];
  for (const c of cs) {
    if (!c.running) continue;
    const l = await rpcCall<boolean>(c.rpcUrl, 'conductor_leader', [], RPC_TIMEOUT_MS).catch(() => false);
    if (l) out.push(c.opts.id);
  }
  return out;
}

async function waitLeader(cs: readonly ConductorProcess[]): Promise<string> {
  const deadline = Date.now() + ELECTION_WAIT_MS;
  while (Date.now() < deadline) {
    const l = await leaders(cs);
    if (l.length > 0) return l[0]!;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error('no leader elected in time');
}

describe('generate → 3 daemons without bootstrap', () => {
  let dir: string;
  let l2: SimL2;
  const conductors: ConductorProcess[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'init-cluster-'));
    l2 = new SimL2({ nodeIds: IDS, blockTimeMs: 1000, payloadBytes: 100 });
    await l2.start();
  });
  after(async () => {
    for (const c of conductors) await c.close();
    await l2.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('elects the initial leader first, then any node', async () => {
    const raftPorts = await Promise.all(IDS.map(() => freePort(HOST)));
    const g = await runCli([
      'generate',
      '--nodes',
      raftPorts.map((p) => `${HOST}:${p}`).join(','),
      '--server-ids',
      IDS.join(','),
      '--initial-leader',
      INITIAL_LEADER,
      '--output-dir',
      join(dir, 'raft'),
      '--strict-initial-leader',
    ]);
    assert.equal(g.code, 0, g.err);
    for (const [i, id] of IDS.entries()) {
      const n = l2.node(id);
      const c = new ConductorProcess({
        id,
        host: HOST,
        raftPort: raftPorts[i]!,
        advertised: `${HOST}:${raftPorts[i]}`,
        rpcPort: await freePort(HOST),
        metricsPort: await freePort(HOST),
        nodeRpc: n.url,
        executionRpc: n.url,
        dataDir: join(dir, 'raft'),
        logDir: join(dir, 'logs'),
        bootstrap: false,
        paused: true,
      });
      conductors.push(c);
      c.start();
    }
    const first = await waitLeader(conductors);
    assert.equal(first, INITIAL_LEADER);
    const leader = conductors.find((c) => c.opts.id === first)!;
    const membership = await rpcCall<{ servers: Array<{ id: string; suffrage: number }> }>(
      leader.rpcUrl,
      'conductor_clusterMembership',
      [],
      RPC_TIMEOUT_MS,
    );
    assert.deepEqual(membership.servers.map((s) => s.id).sort(), IDS);
    assert.ok(membership.servers.every((s) => s.suffrage === 0));
    // Give the leader a moment to replicate the configuration, then kill it: another node must win.
    const deadline = Date.now() + ELECTION_WAIT_MS;
    for (;;) {
      const ms = await Promise.all(
        conductors
          .filter((c) => c !== leader)
          .map((c) =>
            rpcCall<{ servers: unknown[] }>(
              c.rpcUrl,
              'conductor_clusterMembership',
              [],
              RPC_TIMEOUT_MS,
            ).catch(() => ({ servers: [] })),
          ),
      );
      if (ms.every((m) => m.servers.length === 3)) break;
      assert.ok(Date.now() < deadline, 'configuration replicated to the followers');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    await leader.kill();
    const next = await waitLeader(conductors);
    assert.notEqual(next, INITIAL_LEADER);
  });
});
