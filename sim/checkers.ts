/**
 * Safety checkers shared by the simulator and the scripted interaction tests. Each observation is
 * cheap, so the simulator calls `observe` after every input to a core. Properties:
 * - election safety: at most one leader per term;
 * - leader completeness: a new leader holds every committed and every acknowledged entry it has not
 *   compacted into its snapshot;
 * - committed entries never change: all servers agree on the term at each committed index;
 * - state-machine safety: every server applies the same entry, with the same FSM hash, at each index;
 * - log matching: two logs with the same term at an index agree on every earlier index;
 * - monotonic commit and apply within one incarnation of a server.
 */
import type { LogEntry } from '../src/raft/core/types.ts';
import type { SimNode } from './sim-node.ts';

export class SafetyChecker {
  readonly violations: string[] = [];
  private readonly leaderOfTerm = new Map<number, string>();
  private readonly appliedAt = new Map<number, { key: string; hash: number }>();
  private readonly acked: { index: number; term: number }[] = [];
  private readonly committedTerm = new Map<number, number>();
  private readonly lastSeen = new Map<string, { inc: number; commit: number; applied: number }>();

  constructor(private readonly onViolation: (what: string) => void = () => undefined) {}

  /** Check a server after an input; returns true when it just became the first leader of its term. */
  observe(n: SimNode): boolean {
    const core = n.core;
    if (!core) return false;
    const s = core.status();
    let newLeader = false;
    if (s.role === 'leader') {
      const prev = this.leaderOfTerm.get(s.term);
      if (prev === undefined) {
        this.leaderOfTerm.set(s.term, n.id);
        newLeader = true;
      } else if (prev !== n.id)
        this.violate(`election safety: ${prev} and ${n.id} both leader in term ${s.term}`);
    }
    const last = this.lastSeen.get(n.id);
    const sameIncarnation = last !== undefined && last.inc === n.incarnation;
    if (sameIncarnation && s.commitIndex < last.commit)
      this.violate(`${n.id} commit went back ${last.commit} -> ${s.commitIndex}`);
    if (sameIncarnation && s.appliedIndex < last.applied)
      this.violate(`${n.id} applied went back ${last.applied} -> ${s.appliedIndex}`);
    this.recordCommitted(n, sameIncarnation ? last.commit : s.snapshotIndex, s.commitIndex);
    this.lastSeen.set(n.id, { inc: n.incarnation, commit: s.commitIndex, applied: s.appliedIndex });
    if (newLeader) this.checkLeaderCompleteness(n);
    return newLeader;
  }

  applied(n: SimNode, e: LogEntry, hash: number): void {
    const key = `${e.term}:${e.type}:${e.data.length}`;
    const seen = this.appliedAt.get(e.index);
    if (!seen) this.appliedAt.set(e.index, { key, hash });
    else if (seen.key !== key || seen.hash !== hash)
      this.violate(
        `state-machine safety: ${n.id} applied ${e.index} as ${key}#${hash}, others ${seen.key}#${seen.hash}`,
      );
  }

  /** A client was told its entry committed. */
  acknowledged(index: number, term: number): void {
    this.acked.push({ index, term });
  }

  ackCount(): number {
    return this.acked.length;
  }

  logMatching(nodes: readonly SimNode[]): void {
    const alive = nodes.filter((n) => n.core);
    for (let i = 0; i < alive.length; i++)
      for (let j = i + 1; j < alive.length; j++) this.checkPair(alive[i]!, alive[j]!);
  }

  private recordCommitted(n: SimNode, from: number, to: number): void {
    const core = n.core!;
    for (let i = from + 1; i <= to; i++) {
      const t = core.termAt(i);
      if (t === undefined) continue;
      const seen = this.committedTerm.get(i);
      if (seen === undefined) this.committedTerm.set(i, t);
      else if (seen !== t)
        this.violate(`committed entry changed: ${n.id} committed ${i}/${t}, earlier ${i}/${seen}`);
    }
  }

  private checkLeaderCompleteness(n: SimNode): void {
    const core = n.core!;
    const snapshotIndex = core.status().snapshotIndex;
    const check = (index: number, term: number, what: string): void => {
      const t = core.termAt(index);
      if (t === undefined && index <= snapshotIndex) return;
      if (t !== term)
        this.violate(`leader completeness: ${n.id} leads without ${what} entry ${index}/${term} (has ${t})`);
    };
    for (const a of this.acked) check(a.index, a.term, 'acknowledged');
    for (const [index, term] of this.committedTerm) check(index, term, 'committed');
  }

  private checkPair(a: SimNode, b: SimNode): void {
    const ca = a.core!;
    const cb = b.core!;
    const sa = ca.status();
    const sb = cb.status();
    const lo = Math.max(sa.firstLogIndex, sb.firstLogIndex);
    let matched = false;
    for (let i = Math.min(sa.lastLogIndex, sb.lastLogIndex); i >= lo; i--) {
      const ta = ca.termAt(i);
      const tb = cb.termAt(i);
      if (ta === undefined || tb === undefined) return;
      if (ta === tb) matched = true;
      else if (matched) {
        this.violate(`log matching: ${a.id} and ${b.id} differ at ${i} below a match`);
        return;
      }
    }
  }

  private violate(what: string): void {
    this.violations.push(what);
    this.onViolation(what);
  }
}
