/**
 * Opt-in admin authentication (beyond Go, which has none): an HS256 JWT in `Authorization: Bearer`, checked
 * like go-ethereum's engine-API JWT handler (`node/jwt_handler.go`): valid HS256 signature over a 32-byte
 * secret, `iat` required and within ±60 s of now, `exp` honoured when present. The texts are geth's.
 *
 * Invariant: verification is constant-time in the signature comparison and never throws on hostile input.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const adminJwtSecretBytes = 32;
/** geth's `jwtExpiryTimeout`. */
export const iatToleranceSec = 60;
const authorizationHeaderBytesMax = 8192;

export type AdminAuthResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Parse the secret file's content: 32 bytes as hex, optional 0x, surrounding whitespace ignored. */
export function parseAdminJwtSecret(text: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== adminJwtSecretBytes * 2) {
    throw new Error(`invalid admin JWT secret: want ${adminJwtSecretBytes} bytes of hex`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function verifyAdminJwt(
  authorization: string | undefined,
  secret: Uint8Array,
  nowSec: number,
): AdminAuthResult {
  if (authorization === undefined || authorization.length > authorizationHeaderBytesMax) {
    return { ok: false, reason: 'missing token' };
  }
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) return { ok: false, reason: 'missing token' };
  const parts = (m[1] as string).split('.');
  if (parts.length !== 3) return { ok: false, reason: 'invalid token' };
  const [h, p, sig] = parts as [string, string, string];
  const header = decodeJsonPart(h);
  if (header?.alg !== 'HS256') return { ok: false, reason: 'invalid token' };
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'invalid token' };
  }
  const claims = decodeJsonPart(p);
  if (!claims) return { ok: false, reason: 'invalid token' };
  if (typeof claims.exp === 'number' && claims.exp < nowSec) return { ok: false, reason: 'token is expired' };
  if (typeof claims.iat !== 'number') return { ok: false, reason: 'missing issued-at' };
  if (nowSec - claims.iat > iatToleranceSec) return { ok: false, reason: 'stale token' };
  if (claims.iat - nowSec > iatToleranceSec) return { ok: false, reason: 'future token' };
  return { ok: true };
}

/** Build a token (for operators' tooling and tests). */
export function signAdminJwt(secret: Uint8Array, iatSec: number): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iat: iatSec })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
