// Runs the one storage contract suite against every backend (memory, lmdb, file).
import { openNodeStores } from '../../src/raft/storage/open.ts';
import { runStorageContract } from './contract.ts';

runStorageContract({
  name: 'memory',
  durable: false,
  open: (dir) => openNodeStores({ dir, backend: 'memory' }),
});
runStorageContract({ name: 'lmdb', durable: true, open: (dir) => openNodeStores({ dir, backend: 'lmdb' }) });
// Small segments so rollover, multi-segment batches and whole-segment compaction are exercised.
runStorageContract({
  name: 'file',
  durable: true,
  open: (dir) => openNodeStores({ dir, backend: 'file', segmentBytes: 4096 }),
});
