/**
 * Test helper: an OpenStores that hands out in-memory stores, one set per directory, kept open after
 * the command "closes" them so the test can inspect what was written.
 */
import type { OpenStores } from '../../src/init/node-stores.ts';
import { createMemoryNodeStores } from '../../src/raft/storage/memory-store.ts';
import type { NodeStores } from '../../src/raft/storage/storage.ts';

export function memoryOpener(): { open: OpenStores; byDir: Map<string, NodeStores> } {
  const byDir = new Map<string, NodeStores>();
  const open: OpenStores = async (dir) => {
    let s = byDir.get(dir);
    if (s === undefined) {
      s = createMemoryNodeStores();
      byDir.set(dir, s);
    }
    const stores = s;
    return { log: stores.log, stable: stores.stable, snapshots: stores.snapshots, close: async () => {} };
  };
  return { open, byDir };
}
