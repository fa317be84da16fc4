/** Edge validation helpers for JSON-RPC results: throw RpcTransportError('invalid-response') naming the field. */
import { type Hex, hexToBigInt, isHex } from 'viem';
import { RpcTransportError } from './json-rpc-errors.ts';

export function invalidResult(method: string, what: string): RpcTransportError {
  return new RpcTransportError('invalid-response', `${method}: invalid result: ${what}`);
}

export function asObject(v: unknown, method: string, field = 'result'): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalidResult(method, `${field} is not an object`);
  return v as Record<string, unknown>;
}

export function asUint(v: unknown, method: string, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw invalidResult(method, `${field} is not a non-negative integer`);
  }
  return v;
}

export function asHash(v: unknown, method: string, field: string): Hex {
  if (typeof v !== 'string' || !isHex(v, { strict: true }) || v.length !== 66) {
    throw invalidResult(method, `${field} is not a 32-byte hex hash`);
  }
  return v.toLowerCase() as Hex;
}

export function asHexQuantity(v: unknown, method: string, field: string): bigint {
  if (typeof v !== 'string' || !isHex(v, { strict: true }) || v === '0x') {
    throw invalidResult(method, `${field} is not a hex quantity`);
  }
  return hexToBigInt(v as Hex);
}

export function asBool(v: unknown, method: string): boolean {
  if (typeof v !== 'boolean') throw invalidResult(method, 'result is not a boolean');
  return v;
}
