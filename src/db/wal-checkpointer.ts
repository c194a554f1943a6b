/**
 * SQLite's WAL checkpoints, off the event loop. By default the connection that commits the
 * 1,000th page copies the log back into the database file and syncs it, inside that commit: on
 * the server that is a request, and the event loop stands still meanwhile (the slowest of 5,000
 * audit-shaped commits took 12 ms with it, 4.8 ms without, in a micro-benchmark on this
 * machine). Here a worker thread with its own connection runs a PASSIVE checkpoint
 * every `intervalMs`, which never blocks the writers, and the server's connection stops
 * checkpointing by itself (`wal_autocheckpoint = 0`).
 *
 * If the worker cannot start or dies, the server's connection checkpoints again by itself, so
 * the log never grows without bound. Closing the database checkpoints what is left (SQLite does
 * that when the last connection closes).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** SQLite's default, restored when the worker is gone. */
const AUTOCHECKPOINT_PAGES = 1000;

export interface WalCheckpointer {
  /** Stops the worker (the server's connection checkpoints by itself again). */
  stop(): Promise<void>;
  /** True while the worker runs the checkpoints. */
  readonly active: boolean;
}

// CommonJS evaluated in the worker: no TypeScript or module path to resolve under tsx or in dist.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

export function startWalCheckpointer(sqlite: BetterSqlite3.Database, filename: string, options: { intervalMs?: number; onError?: (error: Error) => void } = {}): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let active = false;
  let stopping = false;
  const fallBack = () => {
    active = false;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  // It allocates next to nothing: a small heap (an out-of-memory end would only mean the fallback).
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, filename, intervalMs: options.intervalMs ?? 1_000 }, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
  // An idle checkpointer must not keep the process alive.
  worker.unref();
  worker.on('message', (message: { ready?: boolean; error?: string }) => {
    if (message.ready && !stopping) {
      sqlite.pragma('wal_autocheckpoint = 0');
      active = true;
    }
    if (message.error) options.onError?.(new Error(`WAL checkpoint failed: ${message.error}`));
  });
  worker.on('error', (error) => {
    fallBack();
    options.onError?.(new Error(`the checkpoint worker failed (${error.message}); the connection checkpoints by itself again`));
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('exit', () => {
    if (!stopping && active) options.onError?.(new Error('the checkpoint worker exited; the connection checkpoints by itself again'));
    fallBack();
  });
  return {
    get active() {
      return active;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      fallBack();
      // Unreferenced, it would not keep a shutting-down process alive until it has closed.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
