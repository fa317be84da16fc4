/** Go's health/timeboundcounter_test.go. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeBoundCounter, TimeBoundCounterError } from '../../src/health/time-bound-counter.ts';
import { TimeProvider } from './fakes.ts';

describe('TestTimeBoundedRotatingCounterSetup', () => {
  it('fail with 0 interval seconds value', () => {
    assert.throws(() => new TimeBoundCounter(0, 0), TimeBoundCounterError);
  });
  it('succeed with 0 max value', () => {
    const c = new TimeBoundCounter(2, 0);
    assert.equal(c.increment().value, 1);
    assert.equal(c.increment().error, undefined, '0 = unlimited');
  });
});

it('TestTimeBoundedRotatingCounterIncrement', () => {
  // every clock read advances one second
  const tp = new TimeProvider(0);
  const c = new TimeBoundCounter(6, 2, tp.fn);
  const step = (expectValue: number, expectError: boolean, expectNext: number, expectCurrent: number) => {
    const r = c.increment();
    assert.equal(r.value, expectValue);
    assert.equal(r.error !== undefined, expectError);
    assert.equal(tp.now, expectNext);
    assert.equal(c.currentValue(), expectCurrent);
    assert.equal(tp.now, expectNext + 1);
  };
  assert.equal(c.currentValue(), 0);
  assert.equal(tp.now, 1);
  step(1, false, 2, 1);
  step(2, false, 4, 2);
  step(2, true, 6, 0); // at t=5 the limit is hit; at t=6 a new window starts at 0
  step(1, false, 8, 1);
  step(2, false, 10, 2);
  step(2, true, 12, 0);
});

it('TestTimeBoundedRotatingCounterIncrement error text', () => {
  const tp = new TimeProvider(7);
  const c = new TimeBoundCounter(6, 1, tp.fn);
  c.increment();
  assert.equal(c.increment().error?.message, 'counter at its max value, please wait 4s for it to be reset');
});

it('TestTimeBoundedRotatingCounterConcurrentAccess', async () => {
  // JS is single-threaded; interleave many async increments/reads to show the state stays consistent.
  const c = new TimeBoundCounter(1, 9, () => 0);
  const ops: Promise<void>[] = [];
  for (let i = 0; i < 9; i++) {
    ops.push(Promise.resolve().then(() => assert.equal(c.increment().error, undefined)));
    ops.push(Promise.resolve().then(() => void c.currentValue()));
  }
  await Promise.all(ops);
  assert.equal(c.currentValue(), 9);
});

it('TestTimeBoundedRotatingCounterLazyCleanup', () => {
  const tp = new TimeProvider(0);
  const c = new TimeBoundCounter(2, 9, tp.fn);
  for (let i = 0; i < 1000; i++) {
    assert.equal(c.increment().error, undefined);
    c.currentValue(); // one more second: the next increment lands in a new window
  }
  assert.equal(c.buckets.size, 1000);
  assert.equal(c.increment().error, undefined); // the 1001st window triggers the cleanup
  assert.equal(c.buckets.size, 1);
});
