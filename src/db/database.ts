import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

/** Where the SQLite file lives, or an in-memory database for tests. */
export type DatabaseLocation = { dataDir: string } | { memory: true };

/** An open database and the way to close it (graceful shutdown, tests). */
export interface OpenDatabase {
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** Either the database or an open transaction: services accept both so callers can compose. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** File name inside the data folder. */
export const DATABASE_FILE = 'csd-relay.sqlite';

/**
 * Opens (creating the folder and file on first start) the SQLite database.
 * Does not migrate: call `migrateToLatest` next.
 */
export function openDatabase(location: DatabaseLocation): OpenDatabase {
  let filename = ':memory:';
  if ('dataDir' in location) {
    mkdirSync(location.dataDir, { recursive: true });
    filename = path.join(location.dataDir, DATABASE_FILE);
  }
  const sqlite = new BetterSqlite3(filename);
  // WAL lets readers proceed during a write; busy_timeout makes a second process (the CLI
  // while the server runs) wait for the write lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL is still crash-safe (a commit can be lost only on power failure or an OS
  // crash, never corrupted), and it spares an fsync per commit: every request touches its session.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, close: () => db.destroy() };
}
