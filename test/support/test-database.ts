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

/** A clock that only moves when told, so expiry tests need no sleeps. */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
  set(iso: string): void;
}

/** Creates a TestClock starting at `start`. */
export function createTestClock(start = '2026-03-01T12:00:00.000Z'): TestClock {
  let current = new Date(start).getTime();
  const clock = (() => new Date(current)) as TestClock;
  clock.advance = (ms) => {
    current += ms;
  };
  clock.set = (iso) => {
    current = new Date(iso).getTime();
  };
  return clock;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
