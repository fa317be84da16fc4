/**
 * ctl against real conductor processes: the 3-node devnet (real stores, TCP Raft, simulated op-nodes).
 * One devnet for the whole file (3 processes on a shared machine); each step waits with a bound.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Devnet, waitFor } from '../../sim/devnet/devnet.ts';
import { type CtlRun, ctl } from './harness.ts';

const settleTimeoutMs = 20_000;

describe('ctl on the devnet', { timeout: 180_000 }, () => {
  let devnet: Devnet;
  let flags: string[];
  before(async () => {
    devnet = new Devnet({ blockTimeMs: 250, payloadBytes: 1024 });
    await devnet.start();
    const list = (f: (m: Devnet['members'][number]) => string) =>
      devnet.members.map((m) => `${m.id}=${f(m)}`).join(',');
    flags = [
      '--conductors',
      list((m) => m.conductor.rpcUrl),
      '--nodes',
      list((m) => m.l2.url),
      '--raft-addrs',
      list((m) => m.conductor.opts.advertised),
      '--timeout',
      '20s',
    ];
  });
  after(async () => {
    await devnet?.close();
  });

  /** status until it is healthy (the cluster settles after each change), bounded. */
  async function healthyStatus(): Promise<CtlRun> {
    let last: CtlRun | undefined;
    await waitFor('a healthy status verdict', settleTimeoutMs, async () => {
      last = await ctl(['status', ...flags]);
      return last.code === 0 ? true : undefined;
    }).catch(() => undefined);
    assert.ok(last);
    assert.equal(last.code, 0, `${last.out}${last.err}`);
    return last;
  }

  function leaderRow(out: string): string {
    const rows = out.split('\n').filter((l) => /^seq\d\s/.test(l));
    const leaders = rows.filter((r) => r.trim().split(/\s{2,}/)[2] === 'yes');
    assert.equal(leaders.length, 1, out);
    return (leaders[0] as string).split(/\s+/)[0] as string;
  }

  it('status of the healthy 3-node cluster, transfer-leader, status again', async (t) => {
    const before = await healthyStatus();
    t.diagnostic(`status before:\n${before.out}`);
    assert.match(before.out, /verdict: healthy cluster/);
    const from = leaderRow(before.out);
    const to = devnet.members.map((m) => m.id).find((id) => id !== from) as string;
    const r = await ctl(['transfer-leader', '--to', to, '--yes', ...flags]);
    t.diagnostic(`transfer-leader:\n${r.out}${r.err}`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`leader: ${from} -> ${to} \\(\\d+ ms\\)`));
    const afterStatus = await healthyStatus();
    t.diagnostic(`status after:\n${afterStatus.out}`);
    assert.equal(leaderRow(afterStatus.out), to);
  });

  it('pause --all and resume --all on real conductors', async () => {
    let r = await ctl(['pause', '--all', '--yes', ...flags]);
    assert.equal(r.code, 0, r.err);
    const s = await ctl(['status', '--json', ...flags]);
    const doc = JSON.parse(s.out) as { sequencers: { conductor: { paused: boolean; active: boolean } }[] };
    assert.deepEqual(
      doc.sequencers.map((x) => [x.conductor.paused, x.conductor.active]),
      [
        [true, false],
        [true, false],
        [true, false],
      ],
    );
    r = await ctl(['resume', '--all', '--yes', ...flags]);
    assert.equal(r.code, 0, r.err);
    await healthyStatus();
  });

  it('remove-server with a stale membership version is refused by the real leader', async () => {
    const r = await ctl(['remove-server', 'seq3', '--version', '1', '--yes', ...flags]);
    assert.equal(r.code, 1);
    assert.match(r.err, /conductor_removeServer: configuration changed since 1 \(latest is \d+\)/);
    const s = await ctl(['status', '--json', ...flags]);
    const doc = JSON.parse(s.out) as { membership: { value: { servers: { id: string }[] } } };
    assert.deepEqual(doc.membership.value.servers.map((x) => x.id).sort(), ['seq1', 'seq2', 'seq3']);
  });

  it('a killed conductor shows as down with verdict node unreachable', async () => {
    const leader = await devnet.leader();
    const victim = devnet.members.find((m) => m !== leader) as Devnet['members'][number];
    await victim.conductor.kill();
    const r = await ctl(['status', ...flags, '--rpc-timeout', '1s']);
    assert.equal(r.code, 3, r.out);
    assert.match(r.out, new RegExp(`! node unreachable: ${victim.id} conductor`));
    assert.match(r.out, new RegExp(`^${victim.id}\\s+down`, 'm'));
  });
});
