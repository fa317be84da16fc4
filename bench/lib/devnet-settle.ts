/**
 * Waits until a devnet is in steady state before a measurement starts: every conductor answers and reports a
 * healthy sequencer, exactly one leads, exactly one op-node sequences; then a short grace so a restarted
 * node's log and heartbeats settle. (Right after the devnet starts, the conductors may still move leadership
 * once while the followers' health settles; measuring then would time a leader that is about to change.)
 */
import type { Devnet, DevnetMember } from '../../sim/devnet/devnet.ts';
import { sleep, waitUntil } from './stats.ts';

const SETTLE_TIMEOUT_MS = 60_000;
const SETTLE_POLL_MS = 100;
/** After the cluster reports healthy, let heartbeats and any restarted node's catch-up settle. */
const SETTLE_GRACE_MS = 1_500;

export async function settleDevnet(devnet: Devnet): Promise<DevnetMember> {
  await waitUntil(
    'a settled devnet',
    SETTLE_TIMEOUT_MS,
    async () => {
      const st = await devnet.status();
      const ok = st.every((s) => s.up && s.healthy === true) && st.filter((s) => s.leader).length === 1;
      const seq = devnet.members.filter((m) => m.l2.sequencerActive);
      return ok && seq.length === 1 ? true : undefined;
    },
    SETTLE_POLL_MS,
  );
  await sleep(SETTLE_GRACE_MS);
  const leader = await devnet.leader();
  if (!leader) throw new Error('devnet: no leader after settling');
  return leader;
}
