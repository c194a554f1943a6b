/**
 * Child process for src/db/wal-checkpointer.test.ts: starts the checkpointer on a file database,
 * waits until it is active, then stops it with nothing else keeping the event loop alive (as in a
 * shutting-down server) and prints "stopped" once stop() has resolved.
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startWalCheckpointer } from '../../src/db/wal-checkpointer.js';

const file = path.join(process.argv[2]!, 'child.sqlite');
const sqlite = new BetterSqlite3(file);
sqlite.pragma('journal_mode = WAL');
const checkpointer = startWalCheckpointer(sqlite, file, { intervalMs: 10 });
const started = Date.now();
const wait = (): void => {
  if (checkpointer.active) {
    void checkpointer.stop().then(() => {
      sqlite.close();
      process.stdout.write('stopped\n');
    });
  } else if (Date.now() - started < 10_000) setTimeout(wait, 10);
  else process.stdout.write('never active\n');
};
wait();
