/**
 * The component tests run twice (vitest.config.ts): this proves each run really uses its
 * database, so a harness that silently fell back to SQLite could not pass as PostgreSQL coverage.
 */
import { afterEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { onPostgres } from './support/postgres-test-database.js';

let t: TestApp | undefined;
afterEach(async () => t?.close());

it(`when the harness starts the app, then it runs on ${onPostgres ? 'PostgreSQL' : 'SQLite'}`, async () => {
  t = await startTestApp();
  expect(t.database.dialect).toBe(onPostgres ? 'postgres' : 'sqlite');
  const probe = onPostgres ? sql<{ v: string }>`select version() as v` : sql<{ v: string }>`select 'SQLite ' || sqlite_version() as v`;
  const { rows } = await probe.execute(t.database.db);
  expect(rows[0]?.v).toMatch(onPostgres ? /^PostgreSQL/ : /^SQLite/);
  expect((await t.signIn('support')).csrf).toBeTruthy();
});
