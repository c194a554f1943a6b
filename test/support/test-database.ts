import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';

/** A fresh, migrated in-memory database; close it in afterEach. */
export async function createTestDatabase(): Promise<OpenDatabase> {
  const opened = openDatabase({ memory: true });
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
