/**
 * FrameBuffer against a model (the plain list of unconsumed bytes): any interleaving of appends, reserves
 * and consumes keeps exactly the unconsumed bytes, a reserve makes room for the whole frame in one step,
 * and the byte limit holds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FrameBuffer } from '../../src/raft/transport/frame-buffer.ts';

const BYTES_MAX = 512 * 1024;

type Op =
  | { readonly kind: 'append'; readonly size: number; readonly fill: number }
  | { readonly kind: 'reserve'; readonly size: number }
  | { readonly kind: 'consume'; readonly fraction: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('append' as const),
    size: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 200_000 })),
    fill: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('reserve' as const), size: fc.integer({ min: 0, max: BYTES_MAX + 10 }) }),
  fc.record({ kind: fc.constant('consume' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function chunk(size: number, fill: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (fill + i) & 0xff);
}

describe('FrameBuffer', () => {
  it('keeps exactly the unconsumed bytes through appends, reserves and consumes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const fb = new FrameBuffer(BYTES_MAX);
        let model: number[] = [];
        for (const o of ops) {
          if (o.kind === 'append') {
            const c = chunk(o.size, o.fill);
            if (model.length + c.length > BYTES_MAX) {
              assert.throws(() => fb.append(c), /frame exceeds/);
              continue;
            }
            fb.append(c);
            model = model.concat(Array.from(c));
          } else if (o.kind === 'reserve') {
            fb.reserve(o.size);
            if (o.size <= BYTES_MAX) assert.ok(fb.bytes.length >= o.size, 'room for the whole frame');
          } else {
            const n = Math.floor(model.length * o.fraction);
            fb.consume(n);
            model = model.slice(n);
          }
          assert.equal(fb.length, model.length);
          assert.deepEqual(Array.from(fb.bytes.subarray(fb.begin, fb.finish)), model);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a reserved frame arrives in chunks without growing again', () => {
    const fb = new FrameBuffer(4 * 1024 * 1024);
    fb.append(chunk(10, 1));
    fb.reserve(1024 * 1024 + 10);
    const backing = fb.bytes;
    for (let i = 0; i < 16; i++) fb.append(chunk(64 * 1024, i));
    assert.equal(fb.bytes, backing, 'no reallocation after the reserve');
    assert.equal(fb.length, 1024 * 1024 + 10);
  });

  it('keeps a payload-sized backing store for the next frame, but drops a snapshot-sized one', () => {
    const fb = new FrameBuffer(64 * 1024 * 1024);
    fb.reserve(2_000_000);
    const kept = fb.bytes;
    fb.append(chunk(2_000_000, 3));
    fb.consume(fb.length);
    fb.reserve(2_000_000);
    assert.equal(fb.bytes, kept, 'a 2 MB payload frame reuses the same memory');
    fb.reserve(16 * 1024 * 1024);
    fb.append(chunk(16, 1));
    fb.consume(fb.length);
    assert.ok(fb.bytes.length <= 4 * 1024 * 1024, 'a 16 MiB snapshot frame is not pinned');
  });
});
