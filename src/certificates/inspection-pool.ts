/**
 * A small pool of worker threads running the certificate inspector, so its CPU work (PBKDF2, RSA
 * key parsing and a signature check: about 4 ms per upload) does not block the event loop that
 * serves everyone else. The inspector itself stays a pure function (inspection.ts); this only
 * moves where it runs, with two guarantees the inspector cannot give itself (issue 9, item 1):
 *
 * - Every task has a deadline. A worker that overruns it is terminated and replaced, and its
 *   task resolves with the problem `certificate_check_timeout` (the upload page shows it, 422).
 *   The inspector bounds every cost a file can choose (key-encryption-parameters.ts,
 *   rsa-key-bounds.ts), so this is the second line: for whatever we did not foresee.
 * - Fair queueing: tasks wait in one queue per owner (the signed-in user) and workers serve the
 *   owners round-robin, so one person's twenty uploads delay someone else's by at most one task.
 *
 * Why hand-written rather than piscina or tinypool: they are as fast (scripts/bench/pool-comparison:
 * one worker, 64 in flight, the SAT test CSD, 2026-12-02: 2.19–2.62 ms per task here, 2.18–2.61
 * with piscina 4, 2.41–3.04 with tinypool 1, all within this host's noise), but neither gives the
 * two guarantees above. Their deadline is an AbortSignal that runs from submission, so time spent
 * queued behind others would count against a file; and a worker terminated during a native call
 * (which goes on until OpenSSL returns) is replaced at once, so files that defeat the deadline
 * could multiply threads, where `refill` here waits. Neither queues per owner either (piscina takes
 * a custom queue, which would be this code again).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CsdInput } from './inspection.js';
import type { Inspection } from './types.js';

/** Who a task is for; tasks of one owner queue behind each other, not behind everyone's. */
export interface InspectTask {
  /** The signed-in user's id. Tasks without an owner share one queue. */
  owner?: string;
}

/** What the upload use case calls; `inspectCsd` itself fits too. */
export type InspectFn = (input: CsdInput, task?: InspectTask) => Promise<Inspection> | Inspection;

export interface InspectionPool {
  inspect(input: CsdInput, task?: InspectTask): Promise<Inspection>;
  /** Tasks waiting for a worker (for metrics). */
  readonly queued: number;
  /** Tasks stopped at the deadline since the pool started (for metrics and tests). */
  readonly timedOut: number;
  /**
   * Terminated workers whose thread has not exited yet. `terminate()` stops JavaScript at once
   * but cannot interrupt a native call already running (OpenSSL deriving a key): such a thread
   * finishes that call first. Measured: 3.3 s after terminate() for 5,000,000 iterations.
   */
  readonly retiring: number;
  close(): Promise<void>;
}

/**
 * Per task, counted from when a worker starts it (time spent queued is not the file's fault).
 * The costliest key the inspector accepts (100,000 PBKDF2 iterations, two SHA-1 blocks) takes
 * 60–160 ms on the development machine, a SAT key about 4 ms: 3 s is some 20 times the worst
 * honest case on a loaded machine, and short enough that a person waiting sees an answer.
 */
export const INSPECTION_DEADLINE_MS = 3_000;

/** One worker per spare core, at least one, at most four: the main thread keeps a core. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export interface InspectionPoolOptions {
  size?: number;
  /** Defaults to INSPECTION_DEADLINE_MS. */
  deadlineMs?: number;
  /** The worker module; tests substitute one that stalls. Defaults to inspection-worker. */
  workerUrl?: URL;
}

interface Pending {
  id: number;
  owner: string;
  input: CsdInput;
  resolve: (inspection: Inspection) => void;
  reject: (error: Error) => void;
}

/** What a task overrunning its deadline resolves with: a refusal the upload page can show. */
const timedOutInspection = (): Inspection => ({ ok: false, problems: [{ code: 'certificate_check_timeout', field: null }], facts: null });

const asBuffer = (u8: Uint8Array) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

/** Structured clone turns Buffers into Uint8Arrays; give the caller Buffers back. */
function revive(inspection: Inspection): Inspection {
  return inspection.ok ? { ...inspection, cerDer: asBuffer(inspection.cerDer), keyDer: asBuffer(inspection.keyDer) } : inspection;
}

function defaultWorkerUrl(): URL {
  // Under tsx/vitest this module is TypeScript and so is its worker; built, both are JavaScript.
  const typescript = import.meta.url.endsWith('.ts');
  return new URL(typescript ? './inspection-worker.ts' : './inspection-worker.js', import.meta.url);
}

/**
 * A check allocates a few small objects (the crypto is native memory): a small young generation
 * is plenty, and keeps each worker's heap from growing like the main thread's under load
 * (issue 14; measured on peak RSS it was within noise). Only the young generation: an
 * old-generation cap could end a check with an OOM.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 6 };

function spawn(url: URL): Worker {
  // A TypeScript worker first registers tsx's loader in its own thread (tsx is a dev dependency).
  const worker = url.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, resourceLimits: WORKER_LIMITS })
    : new Worker(url, { resourceLimits: WORKER_LIMITS });
  // An idle worker must not keep the process alive (the pool is closed at shutdown anyway).
  worker.unref();
  return worker;
}

/**
 * Round-robin over owners. A Map keeps insertion order: the next task is the first owner's, and
 * an owner with more waiting goes back to the end of the rotation.
 */
class FairQueue {
  private readonly byOwner = new Map<string, Pending[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(task: Pending): void {
    const queue = this.byOwner.get(task.owner);
    if (queue) queue.push(task);
    else this.byOwner.set(task.owner, [task]);
    this.count += 1;
  }

  shift(): Pending | undefined {
    const first = this.byOwner.entries().next();
    if (first.done) return undefined;
    const [owner, queue] = first.value;
    const task = queue.shift()!;
    this.byOwner.delete(owner);
    if (queue.length > 0) this.byOwner.set(owner, queue);
    this.count -= 1;
    return task;
  }

  drain(): Pending[] {
    const all = [...this.byOwner.values()].flat();
    this.byOwner.clear();
    this.count = 0;
    return all;
  }
}

export function createInspectionPool(options: InspectionPoolOptions = {}): InspectionPool {
  const size = Math.max(1, options.size ?? defaultPoolSize());
  const deadlineMs = options.deadlineMs ?? INSPECTION_DEADLINE_MS;
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const queue = new FairQueue();
  const busy = new Map<Worker, { task: Pending; timer: NodeJS.Timeout }>();
  const idle: Worker[] = [];
  const live = new Set<Worker>();
  const retiring = new Set<Worker>();
  const booted = new WeakSet<Worker>();
  let nextId = 1;
  let timedOut = 0;
  let closed = false;

  const dispatch = () => {
    while (idle.length > 0 && queue.size > 0) {
      const worker = idle.pop()!;
      const task = queue.shift()!;
      busy.set(worker, { task, timer: setTimeout(() => overrun(worker), deadlineMs) });
      worker.ref();
      const { cer, key, password, now, expect } = task.input;
      // Structured clone copies a view's whole backing ArrayBuffer (multer's and Node's pooled
      // buffers are far larger than a 2 KB file), so each file is copied once into an
      // ArrayBuffer of its own size, which is then moved to the worker (transferred), not copied again.
      const files = [new Uint8Array(cer), new Uint8Array(key)] as const;
      worker.postMessage({ id: task.id, cer: files[0], key: files[1], password, now, expect }, [files[0].buffer, files[1].buffer]);
    }
  };

  const overrun = (worker: Worker) => {
    const entry = busy.get(worker);
    if (!entry) return;
    busy.delete(worker);
    timedOut += 1;
    entry.task.resolve(timedOutInspection());
    live.delete(worker);
    retiring.add(worker);
    worker.unref();
    void worker.terminate();
    refill();
  };

  // Replace lost workers, but never run more than twice `size` threads counting the retiring
  // ones, so files that defeat the deadline cannot multiply threads: past that, a replacement
  // waits until a retiring thread exits.
  const refill = () => {
    while (!closed && live.size < size && live.size + retiring.size < 2 * size) start();
  };

  const start = () => {
    const worker = spawn(workerUrl);
    live.add(worker);
    worker.on('message', (message: { ready?: true; id?: number; inspection?: Inspection; error?: string }) => {
      // A worker takes tasks once its modules are loaded, so its first deadline is not spent booting.
      if (message.ready) return ready(worker);
      const entry = busy.get(worker);
      if (!entry || entry.task.id !== message.id) return;
      clearTimeout(entry.timer);
      busy.delete(worker);
      if (message.inspection) entry.task.resolve(revive(message.inspection));
      else entry.task.reject(new Error(`certificate inspection failed: ${message.error}`));
      worker.unref();
      ready(worker);
    });
    // 'error' (an uncaught exception in the worker) is always followed by 'exit'.
    let failure: Error | null = null;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', () => {
      if (retiring.delete(worker)) return refill();
      const entry = busy.get(worker);
      if (entry) {
        clearTimeout(entry.timer);
        busy.delete(worker);
        entry.task.reject(failure ?? new Error(closed ? 'inspection pool is closed' : 'certificate inspection worker exited'));
      }
      live.delete(worker);
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
      if (booted.has(worker)) return refill();
      // It died loading (a broken build): fail what waits, and retry on the next task rather
      // than respawning in a loop.
      if (live.size === 0) for (const task of queue.drain()) task.reject(failure ?? new Error('certificate inspection worker failed to start'));
    });
  };

  const ready = (worker: Worker) => {
    if (closed || !live.has(worker)) return;
    booted.add(worker);
    idle.push(worker);
    dispatch();
  };
  refill();

  return {
    inspect(input, task = {}) {
      if (closed) return Promise.reject(new Error('inspection pool is closed'));
      return new Promise<Inspection>((resolve, reject) => {
        queue.push({ id: nextId++, owner: task.owner ?? '', input, resolve, reject });
        refill();
        dispatch();
      });
    },
    get queued() {
      return queue.size;
    },
    get timedOut() {
      return timedOut;
    },
    get retiring() {
      return retiring.size;
    },
    async close() {
      closed = true;
      for (const task of queue.drain()) task.reject(new Error('inspection pool is closed'));
      // Retiring threads are not waited for: they are unref'd and end with their native call.
      await Promise.all([...live].map((w) => w.terminate()));
    },
  };
}
