// Child process for the crash tests: opens the stores, then appends / truncates / compacts / votes in a
// loop, printing one line per operation *after* it resolved (and "will-…" lines before a deletion), so the
// parent knows exactly what was acknowledged when it kill -9's this process.
// argv: <dir> <backend> <run> <seed>
import { openNodeStores, type StorageBackend } from '../../src/raft/storage/open.ts';
import { crashEntry, mulberry32 } from './crash-model.ts';

const opsMax = 100_000;
const trailingKept = 32;

const [dir = '', backendArg = 'file', runArg = '1', seedArg = '1'] = process.argv.slice(2);
const backend = backendArg as StorageBackend;
const run = Number(runArg);
const rand = mulberry32(Number(seedArg));
const out = (line: string) => process.stdout.write(`${line}\n`);

const s = await openNodeStores({ dir, backend, segmentBytes: 256 * 1024 });
let term = run * 1000;
out(`open ${s.log.firstIndex()} ${s.log.lastIndex()}`);
for (let op = 0; op < opsMax; op++) {
  const r = rand();
  const first = s.log.firstIndex();
  const last = s.log.lastIndex();
  if (r < 0.08 && last - first > 2 * trailingKept) {
    const max = last - trailingKept;
    out(`will-compact ${max}`);
    await s.log.deleteRange(first, max);
    out(`compact ${max}`);
  } else if (r < 0.15 && last - first > 10) {
    const min = last - Math.floor(rand() * 5);
    out(`will-trunc ${min}`);
    await s.log.deleteRange(min, last);
    term++;
    out(`trunc ${min}`);
  } else if (r < 0.2) {
    await s.stable.setHardState({
      currentTerm: term,
      lastVoteTerm: term,
      lastVoteCandidateAddr: '127.0.0.1:1',
      lastVoteCandidateId: 'n1',
    });
    out(`hs ${term}`);
  } else {
    const count = 1 + Math.floor(rand() * 8);
    const lo = last + 1;
    const batch = Array.from({ length: count }, (_, i) => crashEntry(lo + i, term));
    await s.log.storeLogs(batch);
    out(`ack ${lo} ${lo + count - 1} ${term}`);
  }
}
await s.close();
out('done');
