import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseInlineCluster, parseOpsConfig, selectNetwork } from '../../src/ctl/config.ts';
import { CtlError } from '../../src/ctl/errors.ts';
import { ctl } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctl-input-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const opsExample = `
cert_path = "./cacert.pem"

[networks.op-mainnet]
sequencers = ["sequencer-0", "sequencer-1"]

[networks.op-sepolia]
sequencers = ["sequencer-2"]

[sequencers.sequencer-0]
raft_addr = "sequencer-0-op-conductor-raft.example:50050"
conductor_rpc_url = "https://sequencer-0-op-conductor.example"
node_rpc_url = "https://sequencer-0-op-node.example"
voting = true

[sequencers.sequencer-1]
raft_addr = "sequencer-1-op-conductor-raft.example:50050"
conductor_rpc_url = "https://sequencer-1-op-conductor.example"
node_rpc_url = "https://sequencer-1-op-node.example"
voting = false
builder_rpc_url = "https://builder.example"

[sequencers.sequencer-2]
raft_addr = "10.0.0.2:50050"
conductor_rpc_url = "http://10.0.0.2:8547"
node_rpc_url = "http://10.0.0.2:9545"
voting = true
`;

function throwsCtl(f: () => unknown, code: string, re: RegExp) {
  assert.throws(
    f,
    (e: unknown) =>
      e instanceof CtlError && e.code === code && re.test(e.message) && !e.message.includes('\n'),
  );
}

describe('ctl config', () => {
  it("reads op-conductor-ops' TOML unchanged and selects a network", () => {
    const cfg = parseOpsConfig(opsExample, 'config.toml', '/etc/ops');
    assert.equal(cfg.certPath, '/etc/ops/./cacert.pem');
    const main = selectNetwork(cfg, 'op-mainnet', 'config.toml');
    assert.deepEqual(
      main.sequencers.map((s) => [s.id, s.raftAddr, s.voting]),
      [
        ['sequencer-0', 'sequencer-0-op-conductor-raft.example:50050', true],
        ['sequencer-1', 'sequencer-1-op-conductor-raft.example:50050', false],
      ],
    );
    throwsCtl(
      () => selectNetwork(cfg, undefined, 'config.toml'),
      'ERR_CONFIG',
      /several networks configured.*op-mainnet, op-sepolia/,
    );
    throwsCtl(() => selectNetwork(cfg, 'nope', 'config.toml'), 'ERR_CONFIG', /unknown network "nope"/);
  });

  it('rejects the raft_addr typo of the upstream example, missing keys, and dangling network ids', () => {
    throwsCtl(
      () => parseOpsConfig(opsExample.replace('raft.example:50050', 'raft.example.50050'), 'c.toml'),
      'ERR_CONFIG',
      /\[sequencers\.sequencer-0\]: raft address must be host:port/,
    );
    throwsCtl(
      () => parseOpsConfig(opsExample.replace('voting = false', ''), 'c.toml'),
      'ERR_CONFIG',
      /\[sequencers\.sequencer-1\]: "voting" must be true or false/,
    );
    throwsCtl(
      () => parseOpsConfig(opsExample.replace('["sequencer-2"]', '["sequencer-9"]'), 'c.toml'),
      'ERR_CONFIG',
      /names "sequencer-9" but there is no \[sequencers\.sequencer-9\]/,
    );
    throwsCtl(() => parseOpsConfig('x = 1\n', 'c.toml'), 'ERR_CONFIG', /no \[sequencers/);
  });

  it('inline --conductors/--nodes/--raft-addrs', () => {
    const c = parseInlineCluster({
      conductors: 'a=http://h1:8547,b=http://h2:8547',
      nodes: 'a=http://h1:9545',
      raftAddrs: 'b=h2:50050',
      nonvoters: 'b',
    });
    assert.deepEqual(c.sequencers, [
      { id: 'a', conductorRpcUrl: 'http://h1:8547', nodeRpcUrl: 'http://h1:9545', voting: true },
      { id: 'b', conductorRpcUrl: 'http://h2:8547', raftAddr: 'h2:50050', voting: false },
    ]);
    throwsCtl(
      () => parseInlineCluster({ conductors: 'a=http://h1,zzz' }),
      'ERR_USAGE',
      /expected id=value, got "zzz"/,
    );
    throwsCtl(() => parseInlineCluster({ conductors: 'a=ftp://h1' }), 'ERR_CONFIG', /must be http or https/);
    throwsCtl(
      () => parseInlineCluster({ conductors: 'a=http://h1', nodes: 'b=http://h2' }),
      'ERR_USAGE',
      /"b" is not in --conductors/,
    );
  });
});

describe('ctl bad input → one line, non-zero exit', () => {
  const cases: [string, string[], number, RegExp][] = [
    [
      'malformed TOML',
      ['status', '-c', write('bad.toml', '[sequencers.a\nraft_addr = 1\n')],
      1,
      /bad\.toml: malformed TOML at line 1/,
    ],
    [
      'missing config file',
      ['status', '-c', join(dir, 'absent.toml')],
      1,
      /cannot read config .*absent\.toml: ENOENT/,
    ],
    [
      'unknown sequencer id',
      ['pause', 'seq-9', '--yes', '--conductors', 'seq-1=DEAD'],
      1,
      /unknown sequencer id "seq-9" \(configured: seq-1\)/,
    ],
    [
      'unreachable URL',
      ['pause', 'seq-1', '--yes', '--conductors', 'seq-1=DEAD'],
      1,
      /pause failed: seq-1 conductor: conductor_pause: .*ECONNREFUSED/,
    ],
    [
      'unreachable leader for an action',
      ['transfer-leader', '--yes', '--conductors', 'seq-1=DEAD'],
      1,
      /no conductor reachable: seq-1 conductor: conductor_\w+: .*ECONNREFUSED/,
    ],
    ['unknown command', ['frobnicate', '--conductors', 'a=DEAD'], 2, /unknown command "frobnicate"/],
    ['unknown flag', ['status', '--frob'], 2, /unknown flag --frob/],
    [
      'bad duration',
      ['status', '--timeout', 'soon', '--conductors', 'a=DEAD'],
      2,
      /--timeout: invalid duration "soon"/,
    ],
    [
      'bad JWT secret',
      ['status', '--admin-jwt-secret', write('jwt', 'abc'), '--conductors', 'a=DEAD'],
      1,
      /want 32 bytes of hex/,
    ],
    ['no cluster at all', ['status'], 1, /no cluster given: pass --config FILE/],
  ];
  let dead = '';
  before(async () => {
    // A port that was free a moment ago: nothing listens there (never a fixed port, other helpers run too).
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dead = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((r) => server.close(() => r()));
  });
  for (const [name, argv, code, re] of cases) {
    it(name, async () => {
      const r = await ctl(argv.map((a) => a.replace('DEAD', dead)));
      assert.equal(r.code, code, `${r.out}${r.err}`);
      assert.match(r.err, re);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
      assert.match(r.err, /^op-conductor ctl: /);
    });
  }

  it('--help prints usage and exits 0; no command exits 2', async () => {
    let r = await ctl(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: op-conductor ctl <command>/);
    r = await ctl([]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Usage:/);
  });

  it('the cli entry (node --import tsx src/ctl/cli.ts) prints one line and exits 1 on malformed TOML', () => {
    const cfg = write('cli-bad.toml', 'sequencers = [\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/ctl/cli.ts', 'status', '-c', cfg], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '' },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^op-conductor ctl: .*cli-bad\.toml: malformed TOML at line \d+, column \d+: .*\n$/,
    );
  });
});
