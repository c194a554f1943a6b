/**
 * Worker side of the inspection pool: runs the pure inspector on what the main thread posts and
 * posts the result back. Buffers arrive as Uint8Arrays (structured clone); the inspector wants
 * Buffers, so they are wrapped without copying. It says `ready` once loaded: the pool's deadline
 * for a task starts when a worker takes it, and must not include loading the inspector.
 */
import { parentPort } from 'node:worker_threads';
import { inspectCsd } from './inspection.js';

interface Task {
  id: number;
  cer: Uint8Array;
  key: Uint8Array;
  password: string;
  now: Date;
  expect?: 'CSD' | 'FIEL';
}

const asBuffer = (u8: Uint8Array) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

parentPort?.on('message', (task: Task) => {
  try {
    const inspection = inspectCsd({ cer: asBuffer(task.cer), key: asBuffer(task.key), password: task.password, now: task.now, ...(task.expect ? { expect: task.expect } : {}) });
    parentPort!.postMessage({ id: task.id, inspection });
  } catch (error) {
    parentPort!.postMessage({ id: task.id, error: (error as Error)?.message ?? String(error) });
  }
});

parentPort?.postMessage({ ready: true });
