/**
 * CRC-64/XZ (Go's crc64 with the ECMA table): the checksum hashicorp's FileSnapshotStore keeps in
 * meta.json (8 bytes big-endian, base64) over state.bin. Check value: "123456789" → 0x995DC9BBDF1939FA.
 */

const POLY_REFLECTED = 0xc96c5795d7870f42n;
const U64_MASK = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = (() => {
  const t: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY_REFLECTED : c >> 1n;
    t.push(c);
  }
  return t;
})();

export function crc64Ecma(data: Uint8Array, previous = 0n): bigint {
  let crc = ~previous & U64_MASK;
  for (const b of data) crc = TABLE[Number((crc ^ BigInt(b)) & 0xffn)]! ^ (crc >> 8n);
  return ~crc & U64_MASK;
}
