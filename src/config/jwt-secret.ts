/**
 * Reads the admin JWT secret named by `rpc.admin-jwt-secret` (ours): a file holding 32 bytes as hex,
 * optionally `0x`-prefixed, surrounding whitespace ignored — the same shape op-node/op-geth use for
 * their engine-API secrets, so operators can reuse their tooling. Read once at startup; a bad file is
 * a configuration error (one line, exit 1).
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from './errors.ts';

export const JWT_SECRET_BYTES = 32;

export function decodeJwtSecret(text: string, path: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '');
  if (hex.length !== JWT_SECRET_BYTES * 2 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new ConfigError(
      'ERR_JWT_SECRET',
      `invalid admin JWT secret in ${path}: expected ${JWT_SECRET_BYTES} bytes of hex`,
    );
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export async function readJwtSecret(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      'ERR_JWT_SECRET',
      `failed to read admin JWT secret: ${(e as Error).message}`,
      undefined,
      {
        cause: e,
      },
    );
  }
  return decodeJwtSecret(text, path);
}
