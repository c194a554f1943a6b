import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDataDir } from '../../test/support/test-database.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

let dir: ReturnType<typeof createTempDataDir>;
let sqlite: BetterSqlite3.Database;
let checkpointer: WalCheckpointer | undefined;

function open(): string {
  dir = createTempDataDir();
  const file = path.join(dir.dataDir, 'wal.sqlite');
  sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table t (id integer primary key, v text)');
  return file;
}

afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = undefined;
  sqlite?.close();
  dir?.remove();
});

const autocheckpoint = () => sqlite.pragma('wal_autocheckpoint', { simple: true });
/** Frames in the log not yet copied back: a PASSIVE checkpoint of nothing reports (log, checkpointed). */
const uncheckpointed = () => {
  const [row] = sqlite.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
  return row!.log - row!.checkpointed;
};
/** After a complete checkpoint by anyone, the next commit rewinds the log: few frames remain to copy. */
const uncheckpointedAfterRestart = () => {
  const [row] = sqlite.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
  return row !== undefined && row.log < 100;
};
const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

describe('startWalCheckpointer', () => {
  it('takes checkpoints off the connection (autocheckpoint 0) and copies the log back itself', async () => {
    const file = open();
    expect(autocheckpoint()).toBe(1000);
    checkpointer = startWalCheckpointer(sqlite, file, { intervalMs: 20 });
    await until(() => checkpointer!.active, 'the worker to start');
    expect(autocheckpoint()).toBe(0);
    const insert = sqlite.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 3000; i++) insert.run('x'.repeat(500));
    // Written by this connection, which no longer checkpoints: only the worker can have copied them.
    const walPages = () => fs.statSync(`${file}-wal`).size / 4096;
    expect(walPages()).toBeGreaterThan(1000);
    // The worker's checkpoint lets the next commit start the log again from its beginning.
    await until(() => {
      insert.run('y');
      return sqlite.prepare('select count(*) as n from t').get() !== undefined && uncheckpointedAfterRestart();
    }, 'the worker to checkpoint the log');
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
  });

  it('gives checkpoints back to the connection when it stops', async () => {
    const file = open();
    checkpointer = startWalCheckpointer(sqlite, file, { intervalMs: 20 });
    await until(() => checkpointer!.active, 'the worker to start');
    await checkpointer.stop();
    expect(checkpointer.active).toBe(false);
    expect(autocheckpoint()).toBe(1000);
    expect(uncheckpointed()).toBe(0);
  });

  it('gives checkpoints back to the connection, and says so, when the worker cannot open the database', async () => {
    open();
    const errors: Error[] = [];
    checkpointer = startWalCheckpointer(sqlite, path.join(dir.dataDir, 'missing-folder', 'nope.sqlite'), { intervalMs: 20, onError: (e) => errors.push(e) });
    await until(() => errors.length > 0, 'the failure to be reported');
    expect(errors[0]!.message).toMatch(/checkpoints by itself again/);
    expect(checkpointer.active).toBe(false);
    expect(autocheckpoint()).toBe(1000);
  });

  it('keeps a shutting-down process alive until the worker has closed, so stop() resolves', () => {
    dir = createTempDataDir();
    const child = path.join(import.meta.dirname, '../../test/support/checkpointer-stop-child.ts');
    // Nothing but the stopping worker is left on the child's event loop when stop() is called.
    const out = execFileSync(process.execPath, ['--import', 'tsx', child, dir.dataDir], { encoding: 'utf8', timeout: 20_000 });
    expect(out.trim()).toBe('stopped');
  });
});
