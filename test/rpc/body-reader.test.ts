// Request body reading: the three destinations give the same bytes, fastify's errors and statuses on bad
// lengths and stream errors, and scratch buffers are reused and handed back on failure.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { type BodyDestination, readBody } from '../../src/rpc/body-reader.ts';
import { LeasedBody, ScratchBuffers, scratchGranuleBytes } from '../../src/rpc/offload/scratch-buffers.ts';

const LIMIT = 4 * 1024 * 1024;

function chunked(bytes: Buffer, size = 65536): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks, { objectMode: false });
}

function bodyBytes(b: Buffer | LeasedBody): Buffer {
  return b instanceof LeasedBody ? b.bytes : b;
}

const payload = Buffer.from(Array.from({ length: 300_001 }, (_, i) => (i * 7) & 0xff));

test('every destination yields the body bytes; exact has its own buffer of exactly that size', async () => {
  const scratch = new ScratchBuffers();
  for (const destination of ['exact', 'scratch', 'concat'] as BodyDestination[]) {
    for (const contentLength of [String(payload.length), undefined]) {
      const b = await readBody(chunked(payload), { destination, contentLength, limit: LIMIT, scratch });
      assert.deepEqual(bodyBytes(b), payload, `${destination} ${contentLength}`);
      if (destination === 'exact' && contentLength !== undefined) {
        assert.ok(b instanceof Buffer);
        assert.equal(b.buffer.byteLength, payload.length);
      }
      if (destination === 'scratch' && contentLength !== undefined) {
        assert.ok(b instanceof LeasedBody);
        assert.ok(b.bytes.buffer instanceof SharedArrayBuffer);
        b.release();
      }
    }
  }
});

test('chunks of any size and alignment, empty ones included, land byte for byte in a reused buffer', async () => {
  // Socket chunks start at arbitrary offsets of their own memory and land at arbitrary offsets of the
  // scratch buffer; the copy into shared memory must not depend on either being aligned.
  const scratch = new ScratchBuffers();
  const dirty = scratch.take(payload.length);
  new Uint8Array(dirty).fill(0xee);
  scratch.giveBack(dirty);
  const sizes = [1, 0, 7, 4093, 0, 65535, 3, 65537, 12345];
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < payload.length; i++) {
    const n = Math.min(sizes[i % sizes.length] as number, payload.length - at);
    const lead = i % 5; // the chunk's own byteOffset inside its memory
    const own = Buffer.alloc(lead + n, 0x55);
    payload.copy(own, lead, at, at + n);
    chunks.push(own.subarray(lead));
    at += n;
  }
  const b = await readBody(Readable.from(chunks, { objectMode: false }), {
    destination: 'scratch',
    contentLength: String(payload.length),
    limit: LIMIT,
    scratch,
  });
  assert.ok(b instanceof LeasedBody);
  assert.equal(b.bytes.buffer, dirty, 'the reused buffer');
  assert.ok(b.bytes.equals(payload));
  b.release();
});

test('a released scratch buffer is reused; retained buffers are bounded', async () => {
  const scratch = new ScratchBuffers();
  const opts = {
    destination: 'scratch' as const,
    contentLength: String(payload.length),
    limit: LIMIT,
    scratch,
  };
  const a = await readBody(chunked(payload), opts);
  assert.ok(a instanceof LeasedBody);
  const first = a.bytes.buffer;
  assert.equal(first.byteLength, scratchGranuleBytes);
  a.release();
  a.release();
  const b = await readBody(chunked(payload), opts);
  assert.ok(b instanceof LeasedBody);
  assert.equal(b.bytes.buffer, first, 'the same shared buffer');
  const c = await readBody(chunked(payload), opts);
  assert.ok(c instanceof LeasedBody);
  assert.notEqual(c.bytes.buffer, first, 'a leased buffer is never handed out twice');
  b.release();
  c.release();
  const taken = [scratch.take(1), scratch.take(1), scratch.take(1)];
  assert.equal(new Set(taken).size, 3);
  assert.ok(taken.includes(first as SharedArrayBuffer));
});

test("fastify's errors: declared or received over the limit → 413, wrong length → 400", async () => {
  const scratch = new ScratchBuffers();
  const fails = async (
    stream: Readable,
    contentLength: string | undefined,
    code: string,
    status: number,
    destination: BodyDestination = 'exact',
  ) => {
    await assert.rejects(
      readBody(stream, { destination, contentLength, limit: 1000, scratch }),
      (e: Error & { code?: string; statusCode?: number }) => e.code === code && e.statusCode === status,
    );
  };
  const small = Buffer.alloc(800, 1);
  await fails(chunked(small), '1001', 'FST_ERR_CTP_BODY_TOO_LARGE', 413);
  await fails(chunked(Buffer.alloc(1001, 1), 100), undefined, 'FST_ERR_CTP_BODY_TOO_LARGE', 413);
  await fails(chunked(small), '900', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400);
  await fails(chunked(small), '700', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400);
  for (const destination of ['scratch', 'concat'] as BodyDestination[]) {
    await fails(chunked(small), '900', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, destination);
  }
  // The scratch buffer taken for the failed read went back to the pool.
  const again = await readBody(chunked(small), {
    destination: 'scratch',
    contentLength: '800',
    limit: 1000,
    scratch,
  });
  assert.ok(again instanceof LeasedBody);
  assert.equal(scratch.take(1) === again.bytes.buffer, false);
});

test('a stream error is passed on with status 400 unless it carries one', async () => {
  for (const [statusCode, want] of [
    [undefined, 400],
    [413, 413],
    [302, 400],
  ] as const) {
    const stream = new Readable({
      read() {
        this.destroy(Object.assign(new Error('aborted'), statusCode === undefined ? {} : { statusCode }));
      },
    });
    await assert.rejects(
      readBody(stream, { destination: 'exact', contentLength: '10', limit: 100 }),
      (e: Error & { statusCode?: number }) => e.message === 'aborted' && e.statusCode === want,
    );
  }
});
