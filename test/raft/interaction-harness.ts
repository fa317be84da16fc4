// Scripted interaction harness in the style of etcd's datadriven tests: a text file of commands, each
// followed by `----` and its expected output. The servers are the simulator's (real core + mini host
// with durable/volatile state), messages move only when the script says `deliver`/`stabilize`, so every
// interleaving is explicit. The safety checkers of the simulator watch every step; `check` prints them.
import { readFileSync, writeFileSync } from 'node:fs';
import { SafetyChecker } from '../../sim/checkers.ts';
import { SimNode } from '../../sim/sim-node.ts';
import { RAFT_CORE_DEFAULTS, type RaftMutations } from '../../src/raft/core/config.ts';
import { describeEntry, describeMessage } from '../../src/raft/core/describe.ts';
import type { RaftMessage, RpcFailure } from '../../src/raft/core/messages.ts';
import type { Notification } from '../../src/raft/core/ready.ts';
import { type Server, Suffrage } from '../../src/raft/core/types.ts';

const ROUNDS_MAX = 200;
const FLUSH_MAX = 100;

export interface Block {
  readonly comments: string[];
  readonly command: string;
  readonly expected: string;
}

export function parseScript(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const comments: string[] = [];
    while (i < lines.length && (lines[i]!.startsWith('#') || lines[i]!.trim() === '')) {
      if (lines[i]!.startsWith('#')) comments.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) break;
    const command = lines[i++]!;
    if (lines[i] !== '----') throw new Error(`line ${i + 1}: expected ---- after "${command}"`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') out.push(lines[i++]!);
    blocks.push({ comments, command, expected: out.join('\n') });
  }
  return blocks;
}

export function renderScript(
  blocks: readonly { comments: string[]; command: string; expected: string }[],
): string {
  return `${blocks
    .map((b) => [...b.comments, b.command, '----', ...(b.expected === '' ? [] : [b.expected])].join('\n'))
    .join('\n\n')}\n`;
}

/** Run a script file; returns blocks with actual output. `mutations` overrides the cluster's. */
export function runScriptFile(
  path: string,
  mutations?: RaftMutations,
): { blocks: Block[]; actual: string[] } {
  const blocks = parseScript(readFileSync(path, 'utf8'));
  const h = new InteractionCluster(mutations);
  return { blocks, actual: blocks.map((b) => h.exec(b.command)) };
}

export function updateScriptFile(path: string, blocks: readonly Block[], actual: readonly string[]): void {
  writeFileSync(path, renderScript(blocks.map((b, i) => ({ ...b, expected: actual[i]! }))));
}

export class InteractionCluster {
  private nodes = new Map<string, SimNode>();
  private queue: RaftMessage[] = [];
  private readonly blocked = new Set<string>();
  private checker = new SafetyChecker();
  private out: string[] = [];
  private nextRequestId = 1;
  private quiet = false;

  constructor(private readonly mutationOverride?: RaftMutations) {}

  exec(line: string): string {
    this.out = [];
    const [cmd, ...rest] = line.trim().split(/\s+/);
    const kv = new Map<string, string>();
    const args: string[] = [];
    for (const a of rest) {
      const m = /^([\w-]+)=(.*)$/.exec(a);
      if (m) kv.set(m[1]!, m[2]!);
      else args.push(a);
    }
    try {
      this.dispatch(cmd ?? '', args, kv);
    } catch (e) {
      this.print(`error: ${(e as Error).message}`);
    }
    return this.out.join('\n');
  }

  private dispatch(cmd: string, args: string[], kv: Map<string, string>): void {
    switch (cmd) {
      case 'cluster':
        this.cluster(kv);
        return;
      case 'campaign':
        for (const id of args) this.core(id).campaign();
        return;
      case 'tick':
        for (const id of this.ids(args))
          for (let i = 0; i < Number(kv.get('n') ?? 1); i++) this.core(id).tick();
        this.observeAll();
        return;
      case 'deliver':
        for (let r = 0; r < Number(kv.get('n') ?? 1); r++) this.round();
        return;
      case 'run':
        // Time passes with a working network: every live server ticks once, then messages settle.
        // Only notifications are printed, so long runs stay readable.
        this.quiet = true;
        try {
          for (let i = 0; i < Number(kv.get('n') ?? 1); i++) {
            for (const n of this.nodes.values()) n.core?.tick();
            this.stabilize();
          }
        } finally {
          this.quiet = false;
        }
        return;
      case 'stabilize':
        this.stabilize();
        return;
      case 'propose': {
        const r = this.core(args[0]!).propose(this.nextRequestId++, new TextEncoder().encode(args[1] ?? 'x'));
        this.print(r.ok ? `ok index=${r.index}` : `error: ${r.error.message}`);
        return;
      }
      case 'transfer': {
        const target = args[1] ? { id: args[1], addr: this.addr(args[1]) } : undefined;
        const err = this.core(args[0]!).transferLeadership(this.nextRequestId++, target);
        this.print(err ? `error: ${err.message}` : 'ok');
        return;
      }
      case 'add-voter':
      case 'add-nonvoter':
      case 'demote':
      case 'remove':
        this.membership(cmd, args, kv);
        return;
      case 'rpc-fail': {
        // The transport reports that `from` failed our request: `rpc-fail <to> <from> <request> <error…>`.
        const [to, from, request, ...words] = args as [string, string, RaftMessage['type'], ...string[]];
        const failure: RaftMessage = {
          type: 'rpcFailure',
          from: { id: from, addr: this.addr(from) },
          to: { id: to, addr: this.addr(to) },
          term: 0,
          request: request as RpcFailure['request'],
          error: words.join(' '),
        };
        this.print(describeMessage(failure));
        this.core(to).step(failure);
        return;
      }
      case 'partition':
        for (const a of args) for (const b of this.nodes.keys()) if (!args.includes(b)) this.cut(a, b);
        return;
      case 'block':
        this.blocked.add(`${args[0]}>${args[1]}`);
        return;
      case 'heal':
        this.blocked.clear();
        return;
      case 'crash':
        for (const id of args) this.node(id).crash();
        return;
      case 'restart':
        for (const id of args) {
          this.node(id).crash();
          this.node(id).start(0);
        }
        return;
      case 'snapshot':
        for (const id of args) {
          this.flush(this.node(id));
          this.print(
            this.node(id).takeSnapshot()
              ? `${id} snapshot at ${this.core(id).status().snapshotIndex}`
              : 'none',
          );
        }
        return;
      case 'status':
        for (const id of this.ids(args)) this.print(this.describe(id));
        return;
      case 'log':
        for (const id of args) this.print(`${id}: ${this.describeLog(id)}`);
        return;
      case 'check':
        this.checker.logMatching([...this.nodes.values()]);
        this.print(this.checker.violations.length === 0 ? 'ok' : this.checker.violations.join('\n'));
        return;
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  }

  private cluster(kv: Map<string, string>): void {
    const n = Number(kv.get('nodes') ?? 3);
    const voters = Number(kv.get('voters') ?? n);
    const servers: Server[] = Array.from({ length: n }, (_, i) => ({
      suffrage: Suffrage.Voter,
      id: `n${i + 1}`,
      address: `n${i + 1}:50050`,
    }));
    this.nodes.clear();
    this.queue = [];
    this.blocked.clear();
    this.checker = new SafetyChecker();
    const mutations =
      this.mutationOverride ??
      (kv.get('mutation') === 'commit-previous-term'
        ? { commitPreviousTermByCounting: true }
        : kv.get('mutation') === 'skip-vote-term-check'
          ? { skipVoteTermCheck: true }
          : undefined);
    const hooks = {
      send: (_now: number, m: RaftMessage) => this.queue.push(m),
      applied: (node: SimNode, e: Parameters<SafetyChecker['applied']>[1], hash: number) =>
        this.checker.applied(node, e, hash),
      notified: (node: SimNode, note: Notification) => this.onNotification(node, note),
    };
    servers.forEach((s, i) => {
      const config = {
        ...RAFT_CORE_DEFAULTS,
        id: s.id,
        addr: s.address,
        heartbeatTimeoutTicks: Number(kv.get('heartbeat') ?? 10),
        electionTimeoutTicks: Number(kv.get('election') ?? 10),
        leaseTimeoutTicks: Number(kv.get('lease') ?? 5),
        heartbeatIntervalTicks: 1,
        // 0 (the scripts' default): a commit index is sent alone at once; commit-timeout.txt sets it.
        commitTimeoutTicks: Number(kv.get('commit-timeout') ?? 0),
        maxAppendEntries: Number(kv.get('max-append') ?? 64),
        trailingLogs: Number(kv.get('trailing') ?? 1000),
        preVote: kv.get('prevote') !== 'false',
        ...(mutations ? { mutations } : {}),
      };
      const node = new SimNode(s.id, config, 1, 1000 + i, hooks);
      node.start(0);
      if (i < voters) node.core!.bootstrap({ servers: servers.slice(0, voters) });
      this.nodes.set(s.id, node);
    });
    this.print(
      `${n} nodes, voters ${servers
        .slice(0, voters)
        .map((s) => s.id)
        .join(',')}`,
    );
  }

  private membership(cmd: string, args: string[], kv: Map<string, string>): void {
    const [leader, id] = args as [string, string];
    const prev = Number(kv.get('prev') ?? 0);
    const change =
      cmd === 'add-voter'
        ? ({ kind: 'addVoter', id, address: this.addr(id) } as const)
        : cmd === 'add-nonvoter'
          ? ({ kind: 'addNonvoter', id, address: this.addr(id) } as const)
          : cmd === 'demote'
            ? ({ kind: 'demoteVoter', id } as const)
            : ({ kind: 'removeServer', id } as const);
    const err = this.core(leader).changeConfiguration(this.nextRequestId++, change, prev);
    this.print(err ? `error: ${err.message}` : 'ok');
  }

  private onNotification(node: SimNode, n: Notification): void {
    switch (n.kind) {
      case 'roleChanged':
        this.print(`${node.id}: ${n.role} t${n.term}`);
        return;
      case 'committed':
        this.checker.acknowledged(n.index, node.core?.termAt(n.index) ?? 0);
        this.print(`${node.id}: request ${n.requestId} committed at ${n.index}`);
        return;
      case 'failed':
        this.print(`${node.id}: request ${n.requestId} failed: ${n.error.message}`);
        return;
      case 'transferred':
        this.print(`${node.id}: transfer ${n.requestId} done`);
        return;
      case 'removed':
        this.print(`${node.id}: removed`);
        return;
      case 'leaderChanged':
        return;
    }
  }

  private flush(node: SimNode): void {
    for (let i = 0; i < FLUSH_MAX && node.core; i++) {
      node.process(0, 0);
      if (node.idle() && !node.core?.hasReady()) return;
    }
  }

  private round(): boolean {
    for (const n of this.nodes.values()) this.flush(n);
    const batch = this.queue;
    this.queue = [];
    for (const m of batch) {
      const target = this.nodes.get(m.to.id);
      if (!target?.core || this.blocked.has(`${m.from.id}>${m.to.id}`)) {
        if (!this.quiet) this.print(`dropped ${describeMessage(m)}`);
        continue;
      }
      if (!this.quiet) this.print(describeMessage(m));
      target.core.step(m);
      this.checker.observe(target);
    }
    this.observeAll();
    return batch.length > 0;
  }

  private stabilize(): void {
    for (let r = 0; r < ROUNDS_MAX; r++) {
      const moved = this.round();
      const busy = [...this.nodes.values()].some((n) => n.core && (!n.idle() || n.core.hasReady()));
      if (!moved && !busy && this.queue.length === 0) return;
    }
    throw new Error(`not stable after ${ROUNDS_MAX} rounds`);
  }

  private observeAll(): void {
    for (const n of this.nodes.values()) this.checker.observe(n);
  }

  private cut(a: string, b: string): void {
    this.blocked.add(`${a}>${b}`);
    this.blocked.add(`${b}>${a}`);
  }

  private ids(args: string[]): string[] {
    return args.length === 0 || args[0] === 'all' ? [...this.nodes.keys()] : args;
  }

  private node(id: string): SimNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  private core(id: string) {
    const c = this.node(id).core;
    if (!c) throw new Error(`${id} is down`);
    return c;
  }

  private addr(id: string): string {
    return `${id}:50050`;
  }

  private describe(id: string): string {
    const c = this.nodes.get(id)?.core;
    if (!c) return `${id} down`;
    const s = c.status();
    const conf = s.latestConfiguration.configuration.servers
      .map((x) => `${x.id}${x.suffrage === Suffrage.Voter ? '' : '(nv)'}`)
      .join(',');
    return `${id} ${s.role} t${s.term} leader=${s.leader.id || '-'} last=${s.lastLogIndex}/${s.lastLogTerm} commit=${s.commitIndex} applied=${s.appliedIndex} snap=${s.snapshotIndex} conf@${s.latestConfiguration.index}=[${conf}]`;
  }

  private describeLog(id: string): string {
    const c = this.core(id);
    const s = c.status();
    const parts: string[] = [];
    if (s.snapshotIndex > 0) parts.push(`snap@${s.snapshotIndex}`);
    for (let i = s.firstLogIndex; i <= s.lastLogIndex; i++) {
      const e = c.entryAt(i);
      if (e) parts.push(describeEntry(e));
    }
    return parts.join(' ');
  }

  private print(line: string): void {
    this.out.push(line);
  }
}
