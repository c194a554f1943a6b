/**
 * A small pool of worker threads running the certificate inspector, so its CPU work (PBKDF2, RSA
 * key parsing and a signature check: about 4 ms per upload) does not block the event loop that
 * serves everyone else. The inspector itself stays a pure function (inspection.ts); this only
 * moves where it runs. Tasks queue in arrival order; a crashed worker is replaced and only its
 * task fails.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CsdInput } from './inspection.js';
import type { Inspection } from './types.js';

/** What the upload use case calls; `inspectCsd` itself fits too. */
export type InspectFn = (input: CsdInput) => Promise<Inspection> | Inspection;

export interface InspectionPool {
  inspect(input: CsdInput): Promise<Inspection>;
  /** Tasks waiting for a worker (for metrics). */
  readonly queued: number;
  close(): Promise<void>;
}

/** One worker per spare core, at least one, at most four: the main thread keeps a core. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

interface Pending {
  id: number;
  input: CsdInput;
  resolve: (inspection: Inspection) => void;
  reject: (error: Error) => void;
}

const asBuffer = (u8: Uint8Array) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

/** Structured clone turns Buffers into Uint8Arrays; give the caller Buffers back. */
function revive(inspection: Inspection): Inspection {
  return inspection.ok ? { ...inspection, cerDer: asBuffer(inspection.cerDer), keyDer: asBuffer(inspection.keyDer) } : inspection;
}

function spawn(): Worker {
  // Under tsx/vitest this module is TypeScript and so is its worker; built, both are JavaScript.
  const typescript = import.meta.url.endsWith('.ts');
  const url = new URL(typescript ? './inspection-worker.ts' : './inspection-worker.js', import.meta.url);
  // A TypeScript worker first registers tsx's loader in its own thread (tsx is a dev dependency).
  const worker = typescript
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`, { eval: true })
    : new Worker(url);
  // An idle worker must not keep the process alive (the pool is closed at shutdown anyway).
  worker.unref();
  return worker;
}

export function createInspectionPool(options: { size?: number } = {}): InspectionPool {
  const size = Math.max(1, options.size ?? defaultPoolSize());
  const queue: Pending[] = [];
  const busy = new Map<Worker, Pending>();
  const idle: Worker[] = [];
  let nextId = 1;
  let closed = false;

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const task = queue.shift()!;
      busy.set(worker, task);
      worker.ref();
      const { cer, key, password, now } = task.input;
      // Structured clone copies a view's whole backing ArrayBuffer (multer's and Node's pooled
      // buffers are far larger than a 2 KB file); fresh copies send only the file's bytes.
      worker.postMessage({ id: task.id, cer: new Uint8Array(cer), key: new Uint8Array(key), password, now });
    }
  };

  const settle = (worker: Worker) => {
    busy.delete(worker);
    worker.unref();
    if (!closed) idle.push(worker);
    dispatch();
  };

  const start = () => {
    const worker = spawn();
    worker.on('message', (message: { id: number; inspection?: Inspection; error?: string }) => {
      const task = busy.get(worker);
      if (!task || task.id !== message.id) return;
      if (message.inspection) task.resolve(revive(message.inspection));
      else task.reject(new Error(`certificate inspection failed: ${message.error}`));
      settle(worker);
    });
    worker.on('error', (error) => {
      busy.get(worker)?.reject(error);
      busy.delete(worker);
      if (!closed) start();
    });
    idle.push(worker);
    dispatch();
  };
  for (let i = 0; i < size; i++) start();

  return {
    inspect(input) {
      if (closed) return Promise.reject(new Error('inspection pool is closed'));
      return new Promise<Inspection>((resolve, reject) => {
        queue.push({ id: nextId++, input, resolve, reject });
        dispatch();
      });
    },
    get queued() {
      return queue.length;
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new Error('inspection pool is closed'));
      const workers = [...idle.splice(0), ...busy.keys()];
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
