import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { type FakeCluster, inlineFlags, opsToml, startFakeCluster } from './fake-cluster.ts';
import { ctl, fast } from './harness.ts';

let cluster: FakeCluster | undefined;
async function fresh(opts: Parameters<typeof startFakeCluster>[0] = {}): Promise<FakeCluster> {
  cluster = await startFakeCluster(opts);
  return cluster;
}
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const oneLine = (text: string) => {
  assert.equal(text.split('\n').filter((l) => l !== '').length, 1, `want one stderr line, got:\n${text}`);
};

describe('ctl transfer-leader', () => {
  it('--to: validates, sends the member address to the leader, polls until everyone names the target', async () => {
    const c = await fresh();
    const r = await ctl(['transfer-leader', '--to', 'seq-2', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /plan: transfer leadership from seq-1 to seq-2 \(127\.0\.0\.1:50051\)/);
    assert.match(r.out, /leader: seq-1 -> seq-2 \(\d+ ms\)/);
    assert.equal(c.leaderId, 'seq-2');
    assert.ok(c.calls.includes('seq-1 conductor_transferLeaderToServer ["seq-2","127.0.0.1:50051"]'));
    // It polled through the election gap (the fake has no leader for 300 ms).
    assert.ok(c.calls.filter((x) => x.endsWith('conductor_leaderWithID []')).length > 6);
  });

  it('without a target: conductor_transferLeader, then waits for whoever won', async () => {
    const c = await fresh();
    const r = await ctl(['transfer-leader', '-y', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /leader: seq-1 -> seq-2/);
    assert.ok(c.calls.includes('seq-1 conductor_transferLeader []'));
  });

  it('refuses a paused, unhealthy, nonvoter or already-leading target; --force skips the health checks', async () => {
    const c = await fresh({ nonvoters: ['seq-3'] });
    c.member('seq-2').paused = true;
    let r = await ctl(['transfer-leader', 'seq-2', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    assert.match(r.err, /seq-2's conductor is paused \(use --force\)/);
    oneLine(r.err);
    r = await ctl(['transfer-leader', 'seq-3', '--yes', ...inlineFlags(c), ...fast]);
    assert.match(r.err, /seq-3 is a nonvoter and cannot become leader/);
    r = await ctl(['transfer-leader', 'seq-1', '--yes', ...inlineFlags(c), ...fast]);
    assert.match(r.err, /seq-1 is already the leader/);
    c.member('seq-2').paused = false;
    c.member('seq-2').healthy = false;
    r = await ctl(['transfer-leader', 'seq-2', '--yes', ...inlineFlags(c), ...fast]);
    assert.match(r.err, /seq-2 is unhealthy/);
    assert.ok(!c.calls.some((x) => x.includes('transferLeader')), 'nothing sent while refusing');
    r = await ctl(['transfer-leader', 'seq-2', '--yes', '--force', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.equal(c.leaderId, 'seq-2');
  });

  it('a transfer that never completes times out with what was last seen', async () => {
    const c = await fresh();
    c.transferDelayMs = 60_000;
    const r = await ctl([
      'transfer-leader',
      '--to',
      'seq-3',
      '--yes',
      ...inlineFlags(c),
      '--timeout',
      '600ms',
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /timed out after 600 ms waiting for a leader other than seq-1 \(last seen: seq-1→none/,
    );
    oneLine(r.err);
  });

  it('asks for confirmation: "y" on stdin proceeds, anything else aborts, no stdin needs --yes', async () => {
    const c = await fresh();
    let r = await ctl(['transfer-leader', 'seq-2', ...inlineFlags(c), ...fast], { stdin: 'n\n' });
    assert.equal(r.code, 1);
    assert.match(r.err, /aborted: not confirmed/);
    r = await ctl(['transfer-leader', 'seq-2', ...inlineFlags(c), ...fast]);
    assert.match(r.err, /refusing to act without confirmation: pass --yes/);
    assert.equal(c.leaderId, 'seq-1');
    r = await ctl(['transfer-leader', 'seq-2', ...inlineFlags(c), ...fast], { stdin: 'y\n' });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Proceed\? \[y\/N\]/);
    assert.equal(c.leaderId, 'seq-2');
  });
});

describe('ctl pause / resume', () => {
  it('pause --all then resume --all, each confirmed by conductor_paused', async () => {
    const c = await fresh();
    let r = await ctl(['pause', '--all', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      c.members.map((m) => m.paused),
      [true, true, true],
    );
    assert.match(r.out, /3 of 3 paused/);
    r = await ctl(['resume', '--all', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      c.members.map((m) => m.paused),
      [false, false, false],
    );
  });

  it('named ids (and op-conductor-ops --sequencer-id) touch only those', async () => {
    const c = await fresh();
    const r = await ctl(['pause', 'seq-3', '--sequencer-id', 'seq-2', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      c.members.map((m) => m.paused),
      [false, true, true],
    );
  });

  it('one unreachable conductor: the others are paused, exit 1 with one line naming it', async () => {
    const c = await fresh();
    c.member('seq-3').conductorDown = true;
    const r = await ctl(['pause', '--all', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    oneLine(r.err);
    assert.match(r.err, /pause failed: seq-3 conductor: conductor_pause: /);
    assert.deepEqual(
      c.members.map((m) => m.paused),
      [true, true, false],
    );
  });

  it('needs --all or ids', async () => {
    const c = await fresh();
    const r = await ctl(['pause', '--yes', ...inlineFlags(c)]);
    assert.equal(r.code, 2);
    assert.match(r.err, /pause: name the sequencers or pass --all/);
  });
});

describe('ctl override-leader', () => {
  it('on --node sets both sides; off clears the conductor and reminds to restart op-node', async () => {
    const c = await fresh();
    let r = await ctl(['override-leader', 'seq-3', 'on', '--node', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.equal(c.member('seq-3').overridden, true);
    assert.equal(c.member('seq-3').nodeOverridden, true);
    r = await ctl(['override-leader', 'seq-3', '--remove', '--node', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.equal(c.member('seq-3').overridden, false);
    assert.match(r.out, /restart its op-node/);
    assert.ok(c.calls.includes('seq-3 conductor_overrideLeader [false]'));
  });

  it('rejects a bad state word', async () => {
    const c = await fresh();
    const r = await ctl(['override-leader', 'seq-3', 'maybe', '--yes', ...inlineFlags(c)]);
    assert.equal(r.code, 2);
    assert.match(r.err, /want on or off, got "maybe"/);
  });
});

describe('ctl membership', () => {
  it('remove-server sends the version it read; a concurrent change in between is refused by the server', async () => {
    const c = await fresh();
    // Another operator's change lands between ctl's read and its remove.
    let bumped = false;
    c.onCall = (method) => {
      if (method === 'conductor_removeServer' && !bumped) {
        bumped = true;
        c.version += 1;
      }
    };
    const r = await ctl(['remove-server', 'seq-3', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    oneLine(r.err);
    assert.match(
      r.err,
      /seq-1 conductor: conductor_removeServer: configuration changed since 7 \(latest is 8\)/,
    );
    assert.ok(
      c.servers.some((s) => s.id === 'seq-3'),
      'member kept',
    );
  });

  it('remove-server with a stale --version is refused; with the current one it removes and polls', async () => {
    const c = await fresh();
    let r = await ctl(['remove-server', 'seq-3', '--version', '3', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    assert.match(r.err, /configuration changed since 3 \(latest is 7\)/);
    r = await ctl(['remove-server', 'seq-3', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /seq-3 removed \(membership v8/);
    assert.ok(c.calls.includes('seq-1 conductor_removeServer ["seq-3",7]'));
    r = await ctl(['remove-server', 'seq-3', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    assert.match(r.err, /seq-3 is not a cluster member/);
  });

  it('add-voter adds with the raft address from the config; again is a no-op', async () => {
    const c = await fresh();
    c.servers = c.servers.filter((s) => s.id !== 'seq-3');
    let r = await ctl(['add-voter', 'seq-3', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.ok(c.calls.includes('seq-1 conductor_addServerAsVoter ["seq-3","127.0.0.1:50052",7]'));
    assert.match(r.out, /seq-3 is now a voter \(membership v8/);
    r = await ctl(['add-voter', 'seq-3', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0);
    assert.match(r.out, /already a voter/);
    assert.equal(c.version, 8);
  });

  it('update-cluster-membership reconciles to the config and is idempotent', async () => {
    const c = await fresh();
    c.servers = c.servers.filter((s) => s.id !== 'seq-2');
    c.servers.push({ id: 'old-seq', addr: '10.0.0.9:50050', suffrage: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'ctl-members-'));
    const cfg = join(dir, 'config.toml');
    writeFileSync(cfg, opsToml(c, 'devnet', { 'seq-3': false }));
    let r = await ctl(['update-cluster-membership', 'devnet', '-c', cfg, '--yes', ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /note: member old-seq .* remove-server old-seq/);
    assert.deepEqual(c.servers.map((s) => [s.id, s.suffrage]).sort(), [
      ['old-seq', 0],
      ['seq-1', 0],
      ['seq-2', 0],
      ['seq-3', 1],
    ]);
    const version = c.version;
    r = await ctl(['update-cluster-membership', '-c', cfg, '--yes', ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /already matches the config/);
    assert.equal(c.version, version);
  });
});

describe('ctl disaster recovery', () => {
  it('halt-sequencer refuses unless every conductor is paused, then stops the active one', async () => {
    const c = await fresh();
    let r = await ctl(['halt-sequencer', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /needs every conductor paused first \(not paused or unreachable: seq-1, seq-2, seq-3\)/,
    );
    for (const m of c.members) m.paused = true;
    r = await ctl(['halt-sequencer', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /seq-1: sequencer stopped at 0x0+64/);
    assert.equal(c.member('seq-1').sequencing, false);
  });

  it('force-active-sequencer stops the active one and starts the target at its hash', async () => {
    const c = await fresh();
    for (const m of c.members) m.paused = true;
    let r = await ctl(['force-active-sequencer', 'seq-2', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    assert.match(r.err, /seq-2's conductor is not leader/);
    c.member('seq-2').overridden = true;
    r = await ctl(['force-active-sequencer', 'seq-2', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.equal(c.member('seq-1').sequencing, false);
    assert.equal(c.member('seq-2').sequencing, true);
    assert.ok(c.calls.some((x) => x.startsWith('seq-2 admin_startSequencer ["0x')));
  });
});

describe('ctl admin JWT', () => {
  it('sends a Bearer token signed with --admin-jwt-secret; without it the refusal says what to pass', async () => {
    const secretHex = 'ab'.repeat(32);
    const c = await fresh({ secret: Uint8Array.from(Buffer.from(secretHex, 'hex')) });
    let r = await ctl(['pause', 'seq-2', '--yes', ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 1);
    assert.match(r.err, /unauthorized: missing token \(pass --admin-jwt-secret FILE\)/);
    const dir = mkdtempSync(join(tmpdir(), 'ctl-jwt-'));
    const file = join(dir, 'jwt.hex');
    writeFileSync(file, `0x${secretHex}\n`);
    r = await ctl(['pause', 'seq-2', '--yes', '--admin-jwt-secret', file, ...inlineFlags(c), ...fast]);
    assert.equal(r.code, 0, r.err);
    assert.equal(c.member('seq-2').paused, true);
    r = await ctl(['resume', 'seq-2', '--yes', ...inlineFlags(c), ...fast], {
      env: { OP_CONDUCTOR_CTL_ADMIN_JWT_SECRET: file },
    });
    assert.equal(r.code, 0, r.err);
    assert.equal(c.member('seq-2').paused, false);
  });
});
