import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { reconcile } from '../../src/ctl/commands/membership.ts';
import type { SequencerConfig } from '../../src/ctl/config.ts';
import { RpcEndpoints, tokenRefreshSec } from '../../src/ctl/rpc.ts';
import type { ClusterSnapshot, SequencerStatus } from '../../src/ctl/status-model.ts';
import { renderStatus } from '../../src/ctl/table.ts';
import { judge, unsafeHeadStaleSec } from '../../src/ctl/verdict.ts';

const nowMs = 1_800_000_000_000;
function seq(
  id: string,
  over: Partial<SequencerStatus['conductor']> = {},
  node: Partial<SequencerStatus['node']> = {},
): SequencerStatus {
  return {
    id,
    config: {
      id,
      conductorRpcUrl: `http://${id}`,
      nodeRpcUrl: `http://${id}-node`,
      raftAddr: `${id}:50050`,
      voting: true,
    },
    conductor: {
      reachable: true,
      leader: false,
      leaderId: 'a',
      overridden: false,
      active: true,
      paused: false,
      stopped: false,
      healthy: true,
      ...over,
    },
    node: {
      configured: true,
      reachable: true,
      sequencing: false,
      unsafe: { number: 10, hash: `0x${'ab'.repeat(32)}`, timestamp: nowMs / 1000 - 1 },
      ...node,
    },
  };
}
const membership = {
  from: 'a',
  value: { version: 3, servers: ['a', 'b', 'c'].map((id) => ({ id, addr: `${id}:50050`, suffrage: 0 })) },
};
const snap = (sequencers: SequencerStatus[]): ClusterSnapshot => ({ atMs: nowMs, sequencers, membership });
const healthy = () => [seq('a', { leader: true }, { sequencing: true }), seq('b'), seq('c')];

describe('ctl verdict', () => {
  it('healthy, then each single fault gives its own headline', () => {
    assert.equal(judge(snap(healthy())).headline, 'healthy cluster');
    const noLeader = healthy().map((s) => ({
      ...s,
      conductor: { ...s.conductor, leader: false, leaderId: '' },
    }));
    assert.equal(judge(snap(noLeader)).headline, 'no leader');
    const [a, b, c] = healthy() as [SequencerStatus, SequencerStatus, SequencerStatus];
    assert.equal(judge(snap([a, seq('b', { leader: true, leaderId: 'b' }), c])).headline, 'split view');
    assert.equal(judge(snap([a, b, seq('c', {}, { sequencing: true })])).headline, 'two active sequencers');
    const down = judge(
      snap([
        a,
        b,
        seq('c', { reachable: false, leaderId: undefined }, { reachable: false, sequencing: undefined }),
      ]),
    );
    assert.deepEqual([down.level, down.headline], ['degraded', 'node unreachable']);
    const stale = seq(
      'c',
      {},
      { unsafe: { number: 1, hash: '0x01', timestamp: nowMs / 1000 - unsafeHeadStaleSec - 5 } },
    );
    assert.equal(judge(snap([a, b, stale])).headline, 'unsafe head stale');
    assert.equal(
      judge(snap([a, b, seq('c', { overridden: true, leader: true, leaderId: 'N/A (Leader overridden)' })]))
        .level,
      'critical',
    );
  });

  it('renders aligned columns without colour and shortens hashes', () => {
    const text = renderStatus(snap(healthy()), judge(snap(healthy())), false);
    const lines = text.split('\n');
    const header = lines[1] as string;
    const row = lines[2] as string;
    assert.equal(row.indexOf('0xabababab…abab'), header.indexOf('UNSAFE HASH'));
    assert.equal(row.indexOf('1s'), header.indexOf('AGE'));
  });
});

describe('ctl reconcile', () => {
  const cfg = (id: string, voting: boolean): SequencerConfig => ({
    id,
    conductorRpcUrl: 'http://x',
    raftAddr: `${id}:1`,
    voting,
  });
  it('adds missing, promotes, demotes by remove+add, fixes addresses, leaves correct members alone', () => {
    const m = {
      version: 9,
      servers: [
        { id: 'a', addr: 'a:1', suffrage: 0 },
        { id: 'b', addr: 'b:1', suffrage: 1 },
        { id: 'c', addr: 'c:1', suffrage: 0 },
        { id: 'd', addr: 'old:1', suffrage: 0 },
      ],
    };
    const steps = reconcile(
      [cfg('a', true), cfg('b', true), cfg('c', false), cfg('d', true), cfg('e', false)],
      m,
      'a',
    );
    assert.deepEqual(
      steps.map((s) => `${s.kind} ${s.seq.id} ${s.voter ? 'voter' : 'nonvoter'}`),
      ['add b voter', 'remove c voter', 'add c nonvoter', 'add d voter', 'add e nonvoter'],
    );
    assert.deepEqual(reconcile([cfg('a', true)], m, 'a'), []);
    assert.throws(() => reconcile([cfg('a', false)], m, 'a'), /should be a nonvoter but is the leader/);
  });
});

describe('ctl admin token', () => {
  it(`is sent on conductor calls only and renewed once older than ${tokenRefreshSec}s`, async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString('utf8');
      });
      req.on('end', () => {
        const { id } = JSON.parse(body) as { id: number };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id, result: true }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let clock = nowMs;
    const rpc = new RpcEndpoints({ adminJwtSecret: new Uint8Array(32).fill(7), nowMs: () => clock });
    try {
      await rpc.conductor('a', url).call('conductor_leader');
      clock += 10_000;
      await rpc.conductor('a', url).call('conductor_leader');
      clock += (tokenRefreshSec - 5) * 1000;
      await rpc.conductor('a', url).call('conductor_leader');
      await rpc.node('a', url).call('admin_sequencerActive');
    } finally {
      await rpc.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    const iat = (h: string | undefined) => {
      const payload = (h ?? '').replace('Bearer ', '').split('.')[1] ?? '';
      return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iat: number }).iat;
    };
    assert.equal(seen.length, 4);
    assert.equal(iat(seen[0]), nowMs / 1000);
    assert.equal(seen[1], seen[0], 'reused while fresh');
    assert.equal(iat(seen[2]), nowMs / 1000 + 10 + tokenRefreshSec - 5, 'renewed when old');
    assert.equal(seen[3], undefined, 'op-node calls carry no token');
  });
});
