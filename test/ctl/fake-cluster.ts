/**
 * A stateful fake of a conductor cluster for ctl tests: per sequencer one node:http JSON-RPC server for the
 * conductor (conductor_* with raft-like leadership and membership, version compare-and-set, Go's error texts)
 * and one for the op-node (admin_*, optimism_syncStatus). Leadership transfers complete after
 * `transferDelayMs` with no leader in between (like an election), so ctl must poll.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyAdminJwt } from '../../src/rpc/auth/admin-jwt.ts';

export interface FakeMember {
  readonly id: string;
  conductorUrl: string;
  nodeUrl: string;
  raftAddr: string;
  paused: boolean;
  stopped: boolean;
  healthy: boolean;
  overridden: boolean;
  /** When set, this conductor's leaderWithID names this id (a split view). */
  viewOverride?: string;
  conductorDown: boolean;
  /** The conductor accepts the request and never answers. */
  conductorHangs: boolean;
  nodeDown: boolean;
  sequencing: boolean;
  nodeOverridden: boolean;
  head: { number: number; hash: string; timestamp: number };
}

export interface FakeCluster {
  readonly members: FakeMember[];
  leaderId: string;
  servers: { id: string; addr: string; suffrage: number }[];
  version: number;
  transferDelayMs: number;
  /** Every call as `<id> <method> <params-json>`. */
  readonly calls: string[];
  /** Runs before a method is served (tests simulate concurrent changes here). */
  onCall?: (method: string, params: unknown[]) => void;
  member(id: string): FakeMember;
  close(): Promise<void>;
}

type Reply = { result: unknown } | { error: { code: number; message: string } };

const errorReply = (message: string): Reply => ({ error: { code: -32000, message } });
const hashOf = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
/** Methods that need the admin JWT when a secret is configured (cluster-changing ones). */
const adminMethods = new Set([
  'conductor_pause',
  'conductor_resume',
  'conductor_overrideLeader',
  'conductor_transferLeader',
  'conductor_transferLeaderToServer',
  'conductor_addServerAsVoter',
  'conductor_addServerAsNonvoter',
  'conductor_removeServer',
]);

async function listen(
  handler: (method: string, params: unknown[], req: IncomingMessage) => Reply | undefined,
): Promise<{
  server: Server;
  url: string;
}> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      id: number;
      method: string;
      params: unknown[];
    };
    const reply = handler(body.method, body.params ?? [], req);
    if (reply === undefined) return; // hang or drop: handled by the caller
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ jsonrpc: '2.0', id: body.id, ...reply }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

export async function startFakeCluster(
  opts: { ids?: string[]; secret?: Uint8Array; nonvoters?: string[] } = {},
): Promise<FakeCluster> {
  const ids = opts.ids ?? ['seq-1', 'seq-2', 'seq-3'];
  const nowSec = () => Math.floor(Date.now() / 1000);
  const servers: Server[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hanging = new Set<IncomingMessage>();
  const members: FakeMember[] = ids.map((id, i) => ({
    id,
    conductorUrl: '',
    nodeUrl: '',
    raftAddr: `127.0.0.1:${50050 + i}`,
    paused: false,
    stopped: false,
    healthy: true,
    overridden: false,
    conductorDown: false,
    conductorHangs: false,
    nodeDown: false,
    sequencing: i === 0,
    nodeOverridden: false,
    head: { number: 100, hash: hashOf(100), timestamp: nowSec() },
  }));
  const cluster: FakeCluster = {
    members,
    leaderId: ids[0] as string,
    servers: members.map((m) => ({
      id: m.id,
      addr: m.raftAddr,
      suffrage: opts.nonvoters?.includes(m.id) ? 1 : 0,
    })),
    version: 7,
    transferDelayMs: 300,
    calls: [],
    member(id) {
      const m = members.find((x) => x.id === id);
      if (!m) throw new Error(`no fake member ${id}`);
      return m;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const req of hanging) req.socket.destroy();
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };

  const moveLeadership = (from: FakeMember, to: string) => {
    cluster.leaderId = '';
    const t = setTimeout(() => {
      timers.delete(t);
      cluster.leaderId = to;
      const next = cluster.member(to);
      // The control loops follow leadership (unless paused): the old sequencer stops, the new one starts.
      if (!from.paused) from.sequencing = false;
      if (!next.paused) next.sequencing = true;
    }, cluster.transferDelayMs);
    timers.add(t);
  };

  const changeMembership = (self: FakeMember, version: unknown, change: () => void): Reply => {
    if (cluster.leaderId !== self.id) return errorReply('node is not the leader');
    if (typeof version !== 'number')
      return { error: { code: -32602, message: 'missing value for required argument 2' } };
    if (version !== 0 && version !== cluster.version) {
      return errorReply(`configuration changed since ${version} (latest is ${cluster.version})`);
    }
    change();
    cluster.version += 1;
    return { result: null };
  };

  const conductor = (self: FakeMember, method: string, params: unknown[]): Reply => {
    const isLeader = cluster.leaderId === self.id;
    switch (method) {
      case 'conductor_leader':
        return { result: self.overridden || isLeader };
      case 'conductor_leaderWithID': {
        if (self.overridden) return { result: { id: 'N/A (Leader overridden)', addr: 'N/A', suffrage: 0 } };
        const id = self.viewOverride ?? cluster.leaderId;
        const addr = cluster.servers.find((s) => s.id === id)?.addr ?? '';
        return { result: { id, addr: id === '' ? '' : addr, suffrage: 0 } };
      }
      case 'conductor_leaderOverridden':
        return { result: self.overridden };
      case 'conductor_active':
        return { result: !self.paused && !self.stopped };
      case 'conductor_paused':
        return { result: self.paused };
      case 'conductor_stopped':
        return { result: self.stopped };
      case 'conductor_sequencerHealthy':
        return { result: self.healthy };
      case 'conductor_clusterMembership':
        return { result: { servers: cluster.servers.map((s) => ({ ...s })), version: cluster.version } };
      case 'conductor_pause':
        self.paused = true;
        return { result: null };
      case 'conductor_resume':
        self.paused = false;
        return { result: null };
      case 'conductor_overrideLeader':
        if (typeof params[0] !== 'boolean')
          return { error: { code: -32602, message: 'missing value for required argument 0' } };
        self.overridden = params[0];
        return { result: null };
      case 'conductor_transferLeader': {
        if (!isLeader) return { result: null };
        const to = cluster.servers.find((s) => s.id !== self.id && s.suffrage === 0);
        if (!to) return errorReply('cannot find peer');
        moveLeadership(self, to.id);
        return { result: null };
      }
      case 'conductor_transferLeaderToServer': {
        if (!isLeader) return errorReply('node is not the leader');
        const [id, addr] = params as [string, string];
        if (id === self.id) return errorReply('cannot transfer leadership to itself');
        const to = cluster.servers.find((s) => s.id === id && s.addr === addr);
        if (!to) return errorReply('cannot find peer');
        moveLeadership(self, id);
        return { result: null };
      }
      case 'conductor_addServerAsVoter':
      case 'conductor_addServerAsNonvoter': {
        const [id, addr, version] = params as [string, string, unknown];
        const voter = method === 'conductor_addServerAsVoter';
        return changeMembership(self, version, () => {
          const existing = cluster.servers.find((s) => s.id === id);
          if (existing) {
            existing.addr = addr;
            if (voter) existing.suffrage = 0; // raft: AddNonvoter never demotes a voter
          } else cluster.servers.push({ id, addr, suffrage: voter ? 0 : 1 });
        });
      }
      case 'conductor_removeServer': {
        const [id, version] = params as [string, unknown];
        return changeMembership(self, version, () => {
          cluster.servers = cluster.servers.filter((s) => s.id !== id);
        });
      }
      default:
        return { error: { code: -32601, message: `the method ${method} does not exist/is not available` } };
    }
  };

  const node = (self: FakeMember, method: string, params: unknown[]): Reply => {
    switch (method) {
      case 'admin_sequencerActive':
        return { result: self.sequencing };
      case 'optimism_syncStatus':
        return { result: { unsafe_l2: { ...self.head }, safe_l2: { number: 0 } } };
      case 'admin_stopSequencer':
        if (!self.sequencing) return errorReply('sequencer not running');
        self.sequencing = false;
        return { result: self.head.hash };
      case 'admin_startSequencer': {
        if (!self.nodeOverridden && !(self.overridden || cluster.leaderId === self.id)) {
          return errorReply('sequencer is not the leader, aborting');
        }
        if (self.sequencing) return errorReply('sequencer already running');
        if (params[0] !== self.head.hash)
          return errorReply(
            `block hash does not match: head ${self.head.hash}, received ${String(params[0])}`,
          );
        self.sequencing = true;
        return { result: null };
      }
      case 'admin_overrideLeader':
        self.nodeOverridden = true;
        return { result: null };
      default:
        return { error: { code: -32601, message: `the method ${method} does not exist/is not available` } };
    }
  };

  for (const m of members) {
    const c = await listen((method, params, req) => {
      if (m.conductorDown) {
        req.socket.destroy();
        return undefined;
      }
      if (m.conductorHangs) {
        hanging.add(req);
        return undefined;
      }
      cluster.calls.push(`${m.id} ${method} ${JSON.stringify(params)}`);
      cluster.onCall?.(method, params);
      if (opts.secret && adminMethods.has(method)) {
        const v = verifyAdminJwt(req.headers.authorization, opts.secret, nowSec());
        if (!v.ok) return errorReply(`unauthorized: ${v.reason}`);
      }
      return conductor(m, method, params);
    });
    const n = await listen((method, params, req) => {
      if (m.nodeDown) {
        req.socket.destroy();
        return undefined;
      }
      cluster.calls.push(`${m.id} ${method} ${JSON.stringify(params)}`);
      return node(m, method, params);
    });
    servers.push(c.server, n.server);
    m.conductorUrl = c.url;
    m.nodeUrl = n.url;
  }
  return cluster;
}

/** op-conductor-ops config.toml text for the fake cluster. */
export function opsToml(
  cluster: FakeCluster,
  network = 'devnet',
  voting: Record<string, boolean> = {},
): string {
  const lines = [
    `[networks.${network}]`,
    `sequencers = [${cluster.members.map((m) => `"${m.id}"`).join(', ')}]`,
    '',
  ];
  for (const m of cluster.members) {
    lines.push(
      `[sequencers.${m.id}]`,
      `raft_addr = "${m.raftAddr}"`,
      `conductor_rpc_url = "${m.conductorUrl}"`,
      `node_rpc_url = "${m.nodeUrl}"`,
      `voting = ${voting[m.id] ?? true}`,
      '',
    );
  }
  return lines.join('\n');
}

/** `--conductors/--nodes/--raft-addrs` flags for the fake cluster. */
export function inlineFlags(cluster: FakeCluster): string[] {
  const list = (f: (m: FakeMember) => string) => cluster.members.map((m) => `${m.id}=${f(m)}`).join(',');
  return [
    '--conductors',
    list((m) => m.conductorUrl),
    '--nodes',
    list((m) => m.nodeUrl),
    '--raft-addrs',
    list((m) => m.raftAddr),
  ];
}
