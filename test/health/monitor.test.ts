/**
 * Go's health/monitor_test.go HealthMonitorTestSuite, test by test (same scripted inputs and
 * expectations), with a short tick so the suite runs in well under a second per test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthError } from '../../src/health/errors.ts';
import {
  HealthMonitor,
  type HealthMonitorOptions,
  type MonitorThresholds,
} from '../../src/health/monitor.ts';
import { TimeBoundCounter } from '../../src/health/time-bound-counter.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import {
  FakeElP2p,
  FakeNode,
  FakeRollupBoost,
  FakeSupervisor,
  mockSyncStatus,
  nextVerdicts,
  TimeProvider,
} from './fakes.ts';

const tickSec = 0.015;
const minPeerCount = 1;
const unhealthyPeerCount = 0;
const minElP2pPeerCount = 2;
const healthyElP2pPeerCount = 3;
const unhealthyElP2pPeerCount = 1;

function thresholds(unsafeIntervalSec: number, safeIntervalSec: number): MonitorThresholds {
  return {
    unsafeIntervalSec,
    safeIntervalSec,
    safeEnabled: true,
    minPeerCount,
    elMinPeerCount: minElP2pPeerCount,
  };
}

function setupMonitor(
  now: number,
  th: MonitorThresholds,
  parts: Omit<HealthMonitorOptions, 'logger' | 'metrics' | 'intervalSec' | 'thresholds' | 'now'>,
) {
  const metrics = createMetrics();
  const tp = new TimeProvider(now);
  const monitor = new HealthMonitor({
    logger: silentLogger(),
    metrics,
    intervalSec: tickSec,
    thresholds: th,
    now: tp.fn,
    ...parts,
  });
  monitor.start();
  return { monitor, metrics, tp };
}

const nowSec = () => Math.floor(Date.now() / 1000);
const isCode = (err: HealthError | null, code: HealthError['code']) =>
  err instanceof HealthError && err.code === code;

describe('HealthMonitorTestSuite', () => {
  it('TestUnhealthyLowPeerCount', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)], [{ connected: unhealthyPeerCount }]);
    const { monitor } = setupMonitor(now, thresholds(60, 60), { node });
    try {
      const [v] = await nextVerdicts(monitor, 1);
      assert.ok(isCode(v?.err ?? null, 'SEQUENCER_NOT_HEALTHY'));
    } finally {
      await monitor.stop();
    }
  });

  it('TestUnhealthyLowElP2pPeerCount', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)], [{ connected: 2 }]);
    const el = new FakeElP2p([unhealthyElP2pPeerCount]);
    const { monitor } = setupMonitor(now, thresholds(60, 60), { node, el });
    try {
      const [v] = await nextVerdicts(monitor, 1);
      assert.ok(isCode(v?.err ?? null, 'SEQUENCER_NOT_HEALTHY'));
    } finally {
      await monitor.stop();
    }
  });

  it('TestUnhealthyUnsafeHeadNotProgressing', async () => {
    const now = nowSec();
    const unsafeBlocksInterval = 10;
    const node = new FakeNode([mockSyncStatus(now, 5, now - 8, 1)]);
    const el = new FakeElP2p([healthyElP2pPeerCount]);
    const { monitor } = setupMonitor(now, thresholds(unsafeBlocksInterval, 60), { node, el });
    try {
      // Lag 0..10 s is healthy (lag == interval included); at 11 s the head is falling behind.
      const vs = await nextVerdicts(monitor, unsafeBlocksInterval + 2);
      vs.forEach((v, i) => {
        if (i <= unsafeBlocksInterval) {
          assert.equal(v.err, null, `check ${i}`);
          assert.equal(v.lastSeenUnsafeTime, now);
          assert.equal(v.lastSeenUnsafeNum, 5);
        } else {
          assert.ok(isCode(v.err, 'SEQUENCER_NOT_HEALTHY'), `check ${i}`);
        }
      });
    } finally {
      await monitor.stop();
    }
  });

  it('TestUnhealthySafeHeadNotProgressing', async () => {
    const now = nowSec();
    const node = new FakeNode([
      mockSyncStatus(now, 1, now, 1),
      mockSyncStatus(now, 1, now, 1),
      mockSyncStatus(now + 2, 2, now, 1),
      mockSyncStatus(now + 2, 2, now, 1),
      mockSyncStatus(now + 4, 3, now, 1),
      mockSyncStatus(now + 4, 3, now, 1),
    ]);
    const th = { ...thresholds(60, 3) } as { -readonly [K in keyof MonitorThresholds]: MonitorThresholds[K] };
    const { monitor } = setupMonitor(now, th, { node });
    try {
      const vs = await nextVerdicts(monitor, 5);
      vs.forEach((v, i) => {
        if (i < 4) assert.equal(v.err, null, `check ${i}`);
        else assert.ok(isCode(v.err, 'SEQUENCER_NOT_HEALTHY'), `check ${i}`);
      });
      // the safeEnabled flag works
      th.safeEnabled = false;
      node.statuses.splice(0, node.statuses.length, mockSyncStatus(now + 6, 4, now, 1));
      const [after] = await nextVerdicts(monitor, 1);
      assert.equal(after?.err, null);
    } finally {
      await monitor.stop();
    }
  });

  it('TestHealthyWithUnsafeLag', async () => {
    const now = nowSec();
    const node = new FakeNode([
      mockSyncStatus(now - 10, 1, now, 1),
      mockSyncStatus(now - 10, 1, now, 1),
      mockSyncStatus(now - 8, 2, now, 1),
      // the clock is behind the unsafe head: still healthy
      mockSyncStatus(now + 5, 2, now, 1),
    ]);
    const el = new FakeElP2p([healthyElP2pPeerCount]);
    const { monitor } = setupMonitor(now, thresholds(60, 60), { node, el });
    try {
      assert.equal(monitor.lastSeenUnsafeNum, 0);
      assert.equal(monitor.lastSeenUnsafeTime, 0);
      const [a, b, c, d] = await nextVerdicts(monitor, 4);
      assert.ok(a && b && c && d);
      for (const v of [a, b, c, d]) assert.equal(v.err, null);
      const first = a.lastSeenUnsafeTime;
      assert.notEqual(first, 0);
      assert.equal(a.lastSeenUnsafeNum, 1);
      assert.equal(b.lastSeenUnsafeTime, first);
      assert.equal(b.lastSeenUnsafeNum, 1);
      assert.equal(c.lastSeenUnsafeTime, first + 2);
      assert.equal(c.lastSeenUnsafeNum, 2);
      assert.equal(d.lastSeenUnsafeTime, first + 2);
      assert.equal(d.lastSeenUnsafeNum, 2);
    } finally {
      await monitor.stop();
    }
  });

  it('TestHealthySupervisor', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)]);
    const { monitor } = setupMonitor(now, thresholds(60, 60), { node, supervisor: new FakeSupervisor([{}]) });
    try {
      const [v] = await nextVerdicts(monitor, 1);
      assert.equal(v?.err, null);
    } finally {
      await monitor.stop();
    }
  });

  it('TestUnhealthySupervisorConnectionDown', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)]);
    const supervisor = new FakeSupervisor([new Error('supervisor connection down')]);
    const { monitor } = setupMonitor(now, thresholds(60, 60), { node, supervisor });
    try {
      const [v] = await nextVerdicts(monitor, 1);
      assert.ok(isCode(v?.err ?? null, 'SUPERVISOR_CONNECTION_DOWN'));
      assert.equal(v?.err?.message, 'cannot connect to supervisor rpc endpoint');
      assert.equal(node.peerCalls, 0, 'later checks are not called after a failure');
    } finally {
      await monitor.stop();
    }
  });

  const rbCase = (name: string, rb: FakeRollupBoost | undefined, expect: (err: HealthError | null) => void) =>
    it(name, async () => {
      const now = nowSec();
      const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)]);
      const { monitor } = setupMonitor(now, thresholds(60, 60), { node, ...(rb && { rollupBoost: rb }) });
      try {
        const [v] = await nextVerdicts(monitor, 1);
        expect(v?.err ?? null);
      } finally {
        await monitor.stop();
      }
    });

  rbCase('TestRollupBoostConnectionDown', new FakeRollupBoost([new Error('connection refused')]), (err) => {
    assert.ok(isCode(err, 'ROLLUP_BOOST_CONNECTION_DOWN'));
    assert.equal(err?.message, 'cannot connect to rollup boost rpc endpoints');
  });
  rbCase('TestRollupBoostNotHealthy', new FakeRollupBoost(['unhealthy']), (err) => {
    assert.ok(isCode(err, 'ROLLUP_BOOST_NOT_HEALTHY'));
    assert.equal(err?.message, 'rollup boost is not healthy');
  });
  rbCase('TestRollupBoostPartialStatus', new FakeRollupBoost(['partial']), (err) => {
    assert.ok(isCode(err, 'ROLLUP_BOOST_PARTIALLY_HEALTHY'));
  });
  rbCase('TestRollupBoostHealthy', new FakeRollupBoost(['healthy'], 30), (err) => assert.equal(err, null));
  rbCase('TestRollupBoostNilClient', undefined, (err) => assert.equal(err, null));

  it('TestRollupBoostPartialStatusWithTolerance', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)]);
    const tp = new TimeProvider(1758792282);
    const counter = new TimeBoundCounter(6, 2, tp.fn);
    for (let i = 0; i < 999; i++) counter.buckets.set(i, 1);
    const { monitor } = setupMonitor(now, thresholds(60, 60), {
      node,
      rollupBoost: new FakeRollupBoost(['partial']),
      partialToleranceCounter: counter,
    });
    try {
      const [a, b, c] = await nextVerdicts(monitor, 3);
      assert.equal(a?.err, null);
      assert.equal(b?.err, null);
      assert.ok(isCode(c?.err ?? null, 'ROLLUP_BOOST_PARTIALLY_HEALTHY'));
      assert.equal(counter.buckets.size, 1000);
      tp.fn();
      const [d, e, f] = await nextVerdicts(monitor, 3);
      assert.equal(d?.err, null);
      assert.equal(e?.err, null);
      assert.ok(isCode(f?.err ?? null, 'ROLLUP_BOOST_PARTIALLY_HEALTHY'));
      assert.equal(counter.buckets.size, 1, 'lazy cleanup kept only the current window');
    } finally {
      await monitor.stop();
    }
  });

  it('TestElP2pHealthy', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)]);
    const el = new FakeElP2p([healthyElP2pPeerCount]);
    const { monitor } = setupMonitor(now, thresholds(60, 60), {
      node,
      el,
      rollupBoost: new FakeRollupBoost(['healthy'], 30),
    });
    try {
      const [v] = await nextVerdicts(monitor, 1);
      assert.equal(v?.err, null);
      assert.equal(el.calls, 1);
    } finally {
      await monitor.stop();
    }
  });

  it('TestElP2pHealthyNilClient', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now - 1, 1, now - 3, 0)]);
    const { monitor } = setupMonitor(now, thresholds(60, 60), { node });
    try {
      const [v] = await nextVerdicts(monitor, 1);
      assert.equal(v?.err, null);
    } finally {
      await monitor.stop();
    }
  });
});

describe('health monitor scheduling, metrics and errors', () => {
  it('the EL p2p call error is returned raw; sync status failure is connection-down', async () => {
    const now = nowSec();
    const node = new FakeNode([new Error('dial tcp: connection refused'), mockSyncStatus(now, 1, now, 1)]);
    const el = new FakeElP2p([new Error('the method admin_peers does not exist')]);
    const { monitor, metrics } = setupMonitor(now, thresholds(60, 60), { node, el });
    try {
      const [a, b] = await nextVerdicts(monitor, 2);
      assert.ok(isCode(a?.err ?? null, 'SEQUENCER_CONNECTION_DOWN'));
      assert.ok(isCode(b?.err ?? null, 'EXECUTION_P2P_RPC'));
      assert.equal(b?.err?.message, 'the method admin_peers does not exist');
      const text = await metrics.registry.getSingleMetricAsString('op_conductor_healthchecks_count');
      assert.match(text, /success="false",error="cannot connect to sequencer rpc endpoints"} 1/);
      assert.match(text, /success="false",error="the method admin_peers does not exist"} 1/);
    } finally {
      await monitor.stop();
    }
  });

  it('records success with an empty error label', async () => {
    const now = nowSec();
    const { monitor, metrics } = setupMonitor(now, thresholds(60, 60), {
      node: new FakeNode([mockSyncStatus(now, 1, now, 1)]),
    });
    try {
      await nextVerdicts(monitor, 2);
    } finally {
      await monitor.stop();
    }
    const text = await metrics.registry.getSingleMetricAsString('op_conductor_healthchecks_count');
    assert.match(text, /success="true",error=""} [2-9]/);
  });

  it('first check runs one interval after start, and stop() ends polling', async () => {
    const now = nowSec();
    const node = new FakeNode([mockSyncStatus(now, 1, now, 1)]);
    const monitor = new HealthMonitor({
      logger: silentLogger(),
      metrics: createMetrics(),
      intervalSec: 0.2,
      node,
      thresholds: thresholds(60, 60),
    });
    monitor.start();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(node.syncCalls, 0, 'no check before the first interval');
    await nextVerdicts(monitor, 1);
    await monitor.stop();
    const calls = node.syncCalls;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(node.syncCalls, calls, 'no checks after stop');
  });

  it('checks never overlap while a slow source is pending', async () => {
    const now = nowSec();
    let inFlight = 0;
    let maxInFlight = 0;
    const node = new FakeNode([mockSyncStatus(now, 1, now, 1)]);
    const slow = {
      healthcheck: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 60));
        inFlight--;
        return 'healthy' as const;
      },
    };
    const { monitor } = setupMonitor(now, thresholds(60, 60), { node, rollupBoost: slow });
    try {
      await nextVerdicts(monitor, 3);
      assert.equal(maxInFlight, 1);
    } finally {
      await monitor.stop();
    }
  });
});
