/**
 * How the tool opens our stores. Commands receive an `OpenStores` function instead of importing the
 * storage module, so tests can inject memory stores and the CLI wires in openNodeStores.
 */
import type { NodeStores } from '../raft/storage/storage.ts';
import { InitError } from './errors.ts';

export type StoreBackend = 'lmdb' | 'file' | 'memory';
export const STORE_BACKENDS: readonly StoreBackend[] = ['lmdb', 'file', 'memory'];
export const STORE_BACKEND_DEFAULT: StoreBackend = 'lmdb';

export type OpenStores = (dir: string, backend: StoreBackend) => Promise<NodeStores>;

export function parseBackend(value: string): StoreBackend {
  if (value === 'lmdb' || value === 'file') return value;
  throw new InitError('ERR_USAGE', `--store must be lmdb or file, got "${value}"`);
}
