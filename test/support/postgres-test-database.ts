/**
 * PostgreSQL for the `app-postgres` vitest project: each test database is a fresh schema in the
 * server named by TEST_DATABASE_URL (.ci/run starts a throw-away one), so test files run in
 * parallel without seeing each other's rows, and dropping the schema removes everything.
 * Outside that project (CSD_TEST_DATABASE unset) the harness keeps SQLite in memory.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';

/** True inside the app-postgres project (vitest.config.ts sets it). */
export const onPostgres = process.env['CSD_TEST_DATABASE'] === 'postgres';

/** The server the PostgreSQL project runs against, if one is configured. */
export const testDatabaseUrl = process.env['TEST_DATABASE_URL'] || undefined;

export const POSTGRES_SKIP_MESSAGE =
  'PostgreSQL tests skipped: set TEST_DATABASE_URL=postgres://user:password@127.0.0.1:PORT/db (a role that may create schemas), ' +
  'or run `bash .ci/run`, which starts a throw-away server (see README, Tests).';

let admin: pg.Pool | undefined;
function adminPool(): pg.Pool {
  if (!testDatabaseUrl) throw new Error(POSTGRES_SKIP_MESSAGE);
  admin ??= new pg.Pool({ connectionString: testDatabaseUrl, max: 2 });
  return admin;
}

/** A new empty schema; `drop` removes it with everything in it. */
export async function createTestSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  await adminPool().query(`create schema "${schema}"`);
  return { schema, drop: async () => void (await adminPool().query(`drop schema if exists "${schema}" cascade`)) };
}

/** Opens the app's PostgreSQL database on a fresh schema (not migrated); closing drops the schema. */
export async function openPostgresTestDatabase(options: { poolMax?: number } = {}): Promise<OpenDatabase & { schema: string }> {
  const { schema, drop } = await createTestSchema();
  const opened = openDatabase({
    postgres: { url: testDatabaseUrl!, poolMax: options.poolMax ?? 5, statementTimeoutMs: 15_000, ssl: 'disable', schema },
  });
  return {
    ...opened,
    schema,
    async close() {
      await opened.close();
      await drop();
    },
  };
}
