// CRC-64/XZ as hashicorp's snapshot store writes it: the slicing-by-8 implementation agrees with a bit-at-a-time
// reference (BigInt, straight from the reflected ECMA-182 polynomial, no tables) on every length 0..64 and on
// random buffers at random offsets; incremental updates split anywhere, and the yielding variant with any slice
// size, give the same digest; the catalogue check value holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRng } from '../../src/raft/core/rng.ts';
import { Crc64Ecma, crc64Ecma, crc64EcmaYielding } from '../../src/raft/storage/checksums.ts';

const POLY = 0xc96c5795d7870f42n;
const MASK = 0xffffffffffffffffn;
const RANDOM_CASES = 200;

function referenceCrc64(data: Uint8Array): string {
  let crc = MASK;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
  }
  return (crc ^ MASK).toString(16).padStart(16, '0');
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function randomBytes(rng: SeededRng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

test('check value: CRC-64/XZ("123456789") = 995dc9bbdf1939fa', () => {
  assert.equal(hex(crc64Ecma(new TextEncoder().encode('123456789'))), '995dc9bbdf1939fa');
  assert.equal(referenceCrc64(new TextEncoder().encode('123456789')), '995dc9bbdf1939fa');
});

test('agrees with the bitwise reference on every short length and on random buffers at random offsets', () => {
  const rng = new SeededRng(64);
  const pool = randomBytes(rng, 8192);
  for (let n = 0; n <= 64; n++)
    assert.equal(hex(crc64Ecma(pool.subarray(3, 3 + n))), referenceCrc64(pool.subarray(3, 3 + n)));
  for (let c = 0; c < RANDOM_CASES; c++) {
    const off = rng.int(16);
    const len = rng.int(pool.length - off);
    const piece = pool.subarray(off, off + len);
    assert.equal(hex(crc64Ecma(piece)), referenceCrc64(piece), `offset ${off} length ${len}`);
  }
});

test('incremental updates split anywhere and the yielding variant give the one-shot digest', async () => {
  const rng = new SeededRng(65);
  for (let c = 0; c < 50; c++) {
    const data = randomBytes(rng, 1 + rng.int(5000));
    const whole = hex(crc64Ecma(data));
    const crc = new Crc64Ecma();
    for (let at = 0; at < data.length; ) {
      const next = Math.min(data.length, at + 1 + rng.int(40));
      crc.update(data.subarray(at, next));
      at = next;
    }
    assert.equal(hex(crc.digest()), whole);
    assert.equal(hex(await crc64EcmaYielding(data, 1 + rng.int(700))), whole);
  }
  assert.equal(hex(await crc64EcmaYielding(new Uint8Array(0))), hex(crc64Ecma(new Uint8Array(0))));
});

test('crc64EcmaYielding gives the event loop back once its time budget is spent, and only then', async () => {
  const data = randomBytes(new SeededRng(66), 64 * 1024);
  const whole = hex(crc64Ecma(data));
  const turnsDuring = async (budgetMs: number): Promise<number> => {
    let turns = 0;
    let stop = false;
    const spin = () => {
      if (stop) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    // 1 KiB steps: 64 of them. A zero budget yields before every step after the first.
    const crc = await crc64EcmaYielding(data, 1024, budgetMs);
    stop = true;
    assert.equal(hex(crc), whole);
    return turns;
  };
  assert.ok((await turnsDuring(0)) >= 63, 'a spent budget yields between steps');
  assert.equal(await turnsDuring(60_000), 0, 'an unspent budget hashes in one go');
});
