/**
 * Snapshot identity and retention shared by the memory and file snapshot stores.
 *
 * Invariants: an id is hashicorp's `<term>-<index>-<unixms>` (FileSnapshotStore's snapshotName), and
 * "newest" orders by (term, index, id) descending exactly as hashicorp's snapMetaSlice sorts, so both
 * stores pick the same snapshot as latest.
 */
import type { SnapshotMeta } from '../core/types.ts';

/** hashicorp keeps `retain` snapshots; op-conductor passes 1, the brief for this store asks for 2. */
export const snapshotRetainDefault = 2;

/** hashicorp's SnapshotVersionMax / the version every snapshot we write carries. */
export const snapshotVersion = 1;

export function snapshotId(term: number, index: number, unixMs: number): string {
  return `${term}-${index}-${unixMs}`;
}

/** Sort comparator: newest first (higher term, then higher index, then larger id string). */
export function newestFirst(a: SnapshotMeta, b: SnapshotMeta): number {
  if (a.term !== b.term) return b.term - a.term;
  if (a.index !== b.index) return b.index - a.index;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
