/**
 * Checksums used on disk: CRC-32 (IEEE, zlib's native implementation) per file-store record, and
 * CRC-64/XZ (Go's crc64 with the ECMA table) for snapshot state, as hashicorp's FileSnapshotStore
 * writes it into meta.json (our snapshot store writes it; op-conductor-init checks it on Go snapshots).
 *
 * Invariant: crc64Ecma("123456789") === 0x995dc9bbdf1939fa (the catalogue check value; tested).
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

export function crc32(data: Uint8Array, initial = 0): number {
  return zlibCrc32(data, initial) >>> 0;
}

/** Reflected ECMA-182 polynomial as two 32-bit halves (0xC96C5795D7870F42). */
const polyHi = 0xc96c5795;
const polyLo = 0xd7870f42;

const [tableHi, tableLo] = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let h = 0;
    let l = n;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (carry) {
        h = (h ^ polyHi) >>> 0;
        l = (l ^ polyLo) >>> 0;
      }
    }
    hi[n] = h;
    lo[n] = l;
  }
  return [hi, lo] as const;
})();

/** CRC-64/XZ of `data` as 8 big-endian bytes (what Go's hash.Hash64.Sum appends). */
export function crc64Ecma(data: Uint8Array): Uint8Array {
  let h = 0xffffffff;
  let l = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const t = (l ^ data[i]!) & 0xff;
    l = (((l >>> 8) | (h << 24)) ^ tableLo[t]!) >>> 0;
    h = ((h >>> 8) ^ tableHi[t]!) >>> 0;
  }
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, ~h >>> 0);
  v.setUint32(4, ~l >>> 0);
  return out;
}
