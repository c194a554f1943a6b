import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { onPostgres, openPostgresTestDatabase } from './postgres-test-database.js';

/**
 * A fresh database, not migrated: in memory (SQLite), or a fresh schema on the test PostgreSQL
 * server in the app-postgres project. `dataDir`: a SQLite file there, in both projects (tests that
 * read the file or restart on it).
 */
export async function openTestDatabase(dataDir?: string): Promise<OpenDatabase> {
  if (onPostgres && !dataDir) return openPostgresTestDatabase();
  return openDatabase(dataDir ? { dataDir } : { memory: true });
}

/** A fresh, migrated database (see openTestDatabase); close it in afterEach. */
export async function createTestDatabase(): Promise<OpenDatabase> {
  const opened = await openTestDatabase();
  await migrateToLatest(opened.db);
  return opened;
}

/** A temporary data folder and a function that removes it. */
export function createTempDataDir(): { dataDir: string; remove(): void } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'csd-relay-db-'));
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

// The clock lives in test-clock.ts; re-exported because database tests always want both.
export { createTestClock, HOUR, MINUTE, type TestClock } from './test-clock.js';
