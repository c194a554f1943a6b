/**
 * A stand-in for src/certificates/inspection-worker.ts that misbehaves on request, to test the
 * pool's deadline: the same message protocol, and the real inspector for every other password.
 * - password 'stall': spins in JavaScript forever (terminate() stops it at once);
 * - password 'stall-native:N': one PBKDF2 call of N iterations (native: terminate() must wait for it);
 * - password 'crash': throws outside the handler's try (the worker dies with an error).
 */
import { pbkdf2Sync } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { inspectCsd } from '../../src/certificates/inspection.js';

interface Task {
  id: number;
  cer: Uint8Array;
  key: Uint8Array;
  password: string;
  now: Date;
}

const asBuffer = (u8: Uint8Array) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

parentPort?.on('message', (task: Task) => {
  if (task.password === 'stall') for (;;);
  if (task.password.startsWith('stall-native:')) pbkdf2Sync('x', 'salt', Number(task.password.slice(13)), 24, 'sha1');
  if (task.password === 'crash') throw new Error('worker crashed on purpose');
  const inspection = inspectCsd({ cer: asBuffer(task.cer), key: asBuffer(task.key), password: task.password, now: task.now });
  parentPort!.postMessage({ id: task.id, inspection });
});

parentPort?.postMessage({ ready: true });
