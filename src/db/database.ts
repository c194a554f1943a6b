import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type Transaction } from 'kysely';
import { secureDataFolder, type DataFolderReport } from './data-folder.js';
import type { Database } from './schema.js';
import { AppSqliteDialect } from './sqlite-dialect.js';
import { withStatementCache } from './statement-cache.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import type { DialectName } from './dialect.js';
import { openPostgres, type PostgresLocation } from './postgres-dialect.js';

/**
 * Where the SQLite file lives, or an in-memory database for tests. `demo`: demo mode's own
 * file in the same folder, so demo data and live data never share a database.
 */
export type DatabaseLocation = { dataDir: string; demo?: boolean } | { memory: true } | { postgres: PostgresLocation };

/** An open database and the way to close it (graceful shutdown, tests). */
export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** For a file database: what securing its folder found (runtime.ts logs it). */
  folder?: DataFolderReport;
  close(): Promise<void>;
}

/** Either the database or an open transaction: services accept both so callers can compose. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** File name inside the data folder (live mode: a real Facturapi key). */
export const DATABASE_FILE = 'csd-relay.sqlite';
/** Demo mode's database (the built-in emulator), next to the live one. */
export const DEMO_DATABASE_FILE = 'csd-relay-demo.sqlite';

/**
 * Opens PostgreSQL (a pool; `onPoolError` hears about dropped idle connections), or the SQLite
 * database, creating the folder (0700) and the file (0600) on first start.
 * Does not migrate: call `migrateToLatest` next.
 */
export interface OpenDatabaseOptions {
  /**
   * A file database's WAL checkpoints in a worker thread instead of inside commits
   * (wal-checkpointer.ts): for the server, whose commits are requests. CLIs leave it off.
   */
  backgroundCheckpoints?: { onError: (error: Error) => void };
}

export function openDatabase(location: DatabaseLocation, onPoolError: (error: Error) => void = () => {}, options: OpenDatabaseOptions = {}): OpenDatabase {
  if ('postgres' in location) {
    const { db } = openPostgres(location.postgres, onPoolError);
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  let filename = ':memory:';
  let folder: DataFolderReport | undefined;
  if ('dataDir' in location) {
    const file = location.demo ? DEMO_DATABASE_FILE : DATABASE_FILE;
    folder = secureDataFolder(location.dataDir, file);
    filename = path.join(location.dataDir, file);
  }
  const sqlite = new BetterSqlite3(filename);
  // WAL lets readers proceed during a write; busy_timeout makes a second process (the CLI
  // while the server runs) wait for the write lock instead of failing at once. Transactions take
  // that lock at BEGIN (IMMEDIATE, see sqlite-dialect.ts), the only place such a wait is possible.
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL is still crash-safe (a commit can be lost only on power failure or an OS
  // crash, never corrupted), and it spares an fsync per commit: every request touches its session.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // BEGIN IMMEDIATE and transactional migrations: see sqlite-dialect.ts.
  const db = new Kysely<Database>({ dialect: new AppSqliteDialect({ database: withStatementCache(sqlite) }) });
  const checkpointer = options.backgroundCheckpoints && filename !== ':memory:' ? startWalCheckpointer(sqlite, filename, { onError: options.backgroundCheckpoints.onError }) : null;
  const close = async () => {
    await checkpointer?.stop();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', ...(folder ? { folder } : {}), close };
}
