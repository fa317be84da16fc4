/**
 * FNV-1a 64-bit hash, the checksum bbolt stores in each meta page over the meta's first 56 bytes.
 * Computed with bigint: it runs twice per opened file, so speed does not matter.
 */

const FNV64_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const U64_MASK = 0xffffffffffffffffn;

export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV64_OFFSET_BASIS;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * FNV64_PRIME) & U64_MASK;
  }
  return h;
}
