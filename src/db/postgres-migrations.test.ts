/**
 * Migrations on PostgreSQL (issue 13, item 1): instances that start together migrate under one
 * lock, and the bookkeeping is per schema. Runs in the app-postgres project only.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrator.js';
import { migrations } from './migrations/index.js';
import { openDatabase, type OpenDatabase } from './database.js';
import { createTestSchema, onPostgres, testDatabaseUrl } from '../../test/support/postgres-test-database.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function onSchema(schema: string): Promise<OpenDatabase> {
  const opened = openDatabase({ postgres: { url: testDatabaseUrl!, poolMax: 2, statementTimeoutMs: 15_000, ssl: 'disable', schema } });
  cleanups.push(() => opened.close());
  return opened;
}

async function freshSchema(): Promise<string> {
  const { schema, drop } = await createTestSchema();
  cleanups.push(drop);
  return schema;
}

describe.runIf(onPostgres && testDatabaseUrl)('migrations on PostgreSQL', () => {
  it('when four instances migrate one empty database at once, then each migration is applied exactly once and none fails', async () => {
    const schema = await freshSchema();
    const instances = await Promise.all([1, 2, 3, 4].map(() => onSchema(schema)));
    const applied = await Promise.all(instances.map((i) => migrateToLatest(i.db)));
    const all = Object.keys(migrations);
    expect(applied.filter((list) => list.length > 0)).toEqual([all]);
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(instances[0]!.db);
    expect(rows.map((r) => r.name)).toEqual(all);
  });

  it('when another schema of the same database is already migrated, then a fresh schema still gets every table of its own', async () => {
    const first = await onSchema(await freshSchema());
    await migrateToLatest(first.db);
    const second = await onSchema(await freshSchema());
    expect(await migrateToLatest(second.db)).toEqual(Object.keys(migrations));
    await second.db.selectFrom('users').select('id').execute();
  });
});
