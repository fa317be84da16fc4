/**
 * A small pool of decode workers for large request bodies (see decode-worker.ts).
 *
 * Invariants:
 * - Workers start lazily and are unref'd while idle, so an idle pool never keeps the process alive; a
 *   worker with work in flight is ref'd so the answer always arrives.
 * - A worker that dies rejects its in-flight requests (callers fall back to decoding on the RPC thread)
 *   and is replaced on next use.
 * - A body in a SharedArrayBuffer (the server's scratch buffers) is shared with the worker, not copied; any
 *   other body is copied once into a transferred buffer. Either way the caller keeps its bytes and can
 *   always fall back to decoding inline; it may reuse a shared buffer once `decode` has settled.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodeRequest, DecodeResponse } from './protocol.ts';

/** Bodies below this are decoded inline: a worker round trip costs more than parsing them. */
export const offloadBodyBytesMin = 256 * 1024;
export const decodeWorkersDefault = 1;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: DecodeResponse) => void; reject: (e: Error) => void }>;
}

function spawnWorker(): Worker {
  // Built output is .js and loads directly. Under tsx (tests, benches) the .ts worker needs tsx's loader,
  // which Node 20 does not carry into workers, so a tiny bootstrap registers it first.
  const ext = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./decode-worker${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(url);
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class DecodePool {
  readonly #size: number;
  readonly #slots: (Slot | undefined)[];
  #seq = 0;
  #next = 0;
  #closed = false;

  constructor(size = decodeWorkersDefault) {
    this.#size = Math.max(1, size);
    this.#slots = new Array<Slot | undefined>(this.#size).fill(undefined);
  }

  #slot(i: number): Slot {
    const existing = this.#slots[i];
    if (existing) return existing;
    const worker = spawnWorker();
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (res: DecodeResponse) => {
      const p = slot.pending.get(res.seq);
      if (!p) return;
      slot.pending.delete(res.seq);
      if (slot.pending.size === 0) worker.unref();
      p.resolve(res);
    });
    const fail = (err: Error) => {
      if (this.#slots[i] === slot) this.#slots[i] = undefined;
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`decode worker exited with code ${code}`)));
    this.#slots[i] = slot;
    return slot;
  }

  /** Parse a JSON-RPC body (and SSZ-encode a commit payload in it) in a worker. */
  decode(body: Uint8Array): Promise<DecodeResponse> {
    if (this.#closed) return Promise.reject(new Error('decode pool closed'));
    const i = this.#next;
    this.#next = (this.#next + 1) % this.#size;
    const slot = this.#slot(i);
    const seq = ++this.#seq;
    const shared = body.buffer instanceof SharedArrayBuffer;
    const bytes = shared ? body : new Uint8Array(body);
    return new Promise<DecodeResponse>((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      slot.worker.ref();
      const req: DecodeRequest = { seq, body: bytes };
      slot.worker.postMessage(req, shared ? [] : [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots.filter((s): s is Slot => s !== undefined);
    this.#slots.fill(undefined);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
