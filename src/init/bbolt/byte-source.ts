/**
 * Random-access byte sources for the bbolt reader. A Go conductor's raft-log.db can be large (bbolt
 * never shrinks a file), so the reader asks for page spans on demand instead of loading the file.
 * Invariant: read(offset, length) returns exactly `length` bytes or throws (a short read means the
 * file is truncated or changed under us).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InitError } from '../errors.ts';

export interface ByteSource {
  readonly byteLength: number;
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export function bufferSource(buf: Uint8Array): ByteSource {
  return {
    byteLength: buf.byteLength,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > buf.byteLength) {
        throw new InitError(
          'ERR_BBOLT_CORRUPT',
          `invalid database: read of ${length} bytes at ${offset} is beyond the end (${buf.byteLength} bytes; truncated?)`,
        );
      }
      return buf.subarray(offset, offset + length);
    },
    close() {},
  };
}

export function fileSource(path: string): ByteSource {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InitError('ERR_IO', `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  const byteLength = fstatSync(fd).size;
  return {
    byteLength,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > byteLength) {
        throw new InitError(
          'ERR_BBOLT_CORRUPT',
          `invalid database: ${path}: read of ${length} bytes at ${offset} is beyond the end (${byteLength} bytes; truncated?)`,
        );
      }
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0)
          throw new InitError('ERR_BBOLT_CORRUPT', `invalid database: ${path}: short read at ${offset}`);
        done += n;
      }
      return out;
    },
    close() {
      closeSync(fd);
    },
  };
}
