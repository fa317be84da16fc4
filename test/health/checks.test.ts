/** The pure verdict: Go's check order, exact errors and boundaries (spec §6.2). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHealth, diagnoseHealth, type HealthThresholds, timeDiffSec } from '../../src/health/checks.ts';
import { mockSyncStatus } from './fakes.ts';

const th: HealthThresholds = {
  unsafeIntervalSec: 10,
  safeEnabled: true,
  safeIntervalSec: 100,
  minPeerCount: 3,
  elMinPeerCount: 2,
};
const now = 1_000_000;
const ok = <T>(value: T) => ({ ok: true as const, value });
const bad = (m: string) => ({ ok: false as const, error: new Error(m) });
const healthy = {
  syncStatus: ok(mockSyncStatus(now, 10, now, 5)),
  peerStats: ok({ connected: 3 }),
};

describe('checkHealth', () => {
  it('healthy when every collected observation passes', () => {
    assert.equal(checkHealth(healthy, now, th), null);
    assert.equal(checkHealth({}, now, th), null, 'nothing collected yet');
  });

  it('unsafe lag == interval is healthy, > interval is not', () => {
    assert.equal(
      checkHealth({ ...healthy, syncStatus: ok(mockSyncStatus(now - 10, 1, now, 1)) }, now, th),
      null,
    );
    const f = diagnoseHealth({ ...healthy, syncStatus: ok(mockSyncStatus(now - 11, 1, now, 1)) }, now, th);
    assert.equal(f?.error.code, 'SEQUENCER_NOT_HEALTHY');
    assert.equal(f?.error.message, 'sequencer is not healthy');
    assert.equal(f?.log, 'unsafe head is falling behind the unsafe interval');
  });

  it('future timestamps count as fresh', () => {
    assert.equal(timeDiffSec(5, 9), 0);
    assert.equal(
      checkHealth({ ...healthy, syncStatus: ok(mockSyncStatus(now + 500, 1, now + 500, 1)) }, now, th),
      null,
    );
  });

  it('safe lag: == interval healthy, > interval unhealthy, ignored when disabled', () => {
    const at = (safe: number) => ({ ...healthy, syncStatus: ok(mockSyncStatus(now, 1, safe, 1)) });
    assert.equal(checkHealth(at(now - 100), now, th), null);
    assert.equal(diagnoseHealth(at(now - 101), now, th)?.log, 'safe head is not progressing as expected');
    assert.equal(checkHealth(at(now - 101), now, { ...th, safeEnabled: false }), null);
  });

  it('peer counts: equal to the minimum is healthy', () => {
    assert.equal(checkHealth({ ...healthy, peerStats: ok({ connected: 3 }) }, now, th), null);
    assert.equal(
      checkHealth({ ...healthy, peerStats: ok({ connected: 2 }) }, now, th)?.code,
      'SEQUENCER_NOT_HEALTHY',
    );
    assert.equal(checkHealth({ ...healthy, elPeerCount: ok(2) }, now, th), null);
    assert.equal(checkHealth({ ...healthy, elPeerCount: ok(1) }, now, th)?.code, 'SEQUENCER_NOT_HEALTHY');
  });

  it('call failures map to Go errors; the EL p2p error stays raw', () => {
    assert.equal(
      checkHealth({ syncStatus: bad('x') }, now, th)?.message,
      'cannot connect to sequencer rpc endpoints',
    );
    assert.equal(
      checkHealth({ ...healthy, supervisor: bad('x') }, now, th)?.message,
      'cannot connect to supervisor rpc endpoint',
    );
    assert.equal(
      checkHealth({ ...healthy, peerStats: bad('x') }, now, th)?.message,
      'cannot connect to sequencer rpc endpoints',
    );
    const el = checkHealth({ ...healthy, elPeerCount: bad('raw el failure') }, now, th);
    assert.equal(el?.code, 'EXECUTION_P2P_RPC');
    assert.equal(el?.message, 'raw el failure');
    assert.equal(
      checkHealth({ ...healthy, rollupBoost: bad('x') }, now, th)?.message,
      'cannot connect to rollup boost rpc endpoints',
    );
  });

  it('rollup-boost statuses', () => {
    assert.equal(checkHealth({ ...healthy, rollupBoost: ok('healthy' as const) }, now, th), null);
    assert.equal(checkHealth({ ...healthy, rollupBoost: ok('partial-tolerated' as const) }, now, th), null);
    assert.equal(
      checkHealth({ ...healthy, rollupBoost: ok('partial' as const) }, now, th)?.message,
      'rollup boost is partially healthy, meaning that rbuilder is not healthy but the execution client is healthy',
    );
    assert.equal(
      checkHealth({ ...healthy, rollupBoost: ok('unhealthy' as const) }, now, th)?.message,
      'rollup boost is not healthy',
    );
  });

  it('first failure wins, in Go order', () => {
    const everythingBad = {
      syncStatus: ok(mockSyncStatus(now - 1000, 1, now - 1000, 1)),
      supervisor: bad('sup'),
      peerStats: ok({ connected: 0 }),
      elPeerCount: ok(0),
      rollupBoost: ok('unhealthy' as const),
    };
    assert.equal(checkHealth(everythingBad, now, th)?.code, 'SUPERVISOR_CONNECTION_DOWN');
    const { supervisor: _s, ...noSup } = everythingBad;
    assert.equal(diagnoseHealth(noSup, now, th)?.log, 'unsafe head is falling behind the unsafe interval');
    const fresh = { ...noSup, syncStatus: ok(mockSyncStatus(now, 1, now, 1)) };
    assert.equal(diagnoseHealth(fresh, now, th)?.log, 'peer count is below minimum');
    assert.equal(
      diagnoseHealth({ ...fresh, peerStats: ok({ connected: 9 }) }, now, th)?.log,
      'el p2p peer count is below minimum',
    );
    assert.equal(
      checkHealth({ ...fresh, peerStats: ok({ connected: 9 }), elPeerCount: ok(9) }, now, th)?.code,
      'ROLLUP_BOOST_NOT_HEALTHY',
    );
  });
});
