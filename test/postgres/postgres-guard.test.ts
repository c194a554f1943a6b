/**
 * The app-postgres project (the component suite again on PostgreSQL) exists only when
 * TEST_DATABASE_URL names a server; this guard makes its absence visible locally and a failure
 * under CI=true, where .ci/run starts a throw-away server, so a broken set-up cannot pass as green.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { POSTGRES_SKIP_MESSAGE, testDatabaseUrl } from '../support/postgres-test-database.js';

describe('PostgreSQL tests', () => {
  it.runIf(process.env['CI'] === 'true')('when CI=true, then TEST_DATABASE_URL names a PostgreSQL server for them', () => {
    expect(testDatabaseUrl, POSTGRES_SKIP_MESSAGE).toBeDefined();
  });

  it.skipIf(testDatabaseUrl !== undefined)(POSTGRES_SKIP_MESSAGE, () => {});

  it.runIf(testDatabaseUrl !== undefined)('when TEST_DATABASE_URL is set, then the server answers and may create schemas', async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>("select has_database_privilege(current_database(), 'CREATE') as ok");
      expect(rows[0]?.ok).toBe(true);
    } finally {
      await client.end();
    }
  });
});
