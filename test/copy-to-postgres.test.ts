/**
 * Issue 13, item 4: `npm run db:copy-to-postgres` moves a SQLite data folder (made by the real app:
 * seeded people, a sign-in, its session and audit events) into an empty PostgreSQL database, and
 * the server started on PostgreSQL lets the same person in with the same password and shows the
 * same trail. A second copy into the now non-empty database is refused and writes nothing.
 * Runs in the app-postgres project only (it needs a server).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { TEST_USER_KEY } from '../emulator/testing/emulator-fixture.js';
import { openDatabase } from '../src/db/database.js';
import { httpRequest, rawSignIn } from '../tools/raw-http.js';
import { buildServer, REPO_ROOT, spawnServer } from '../tools/spawned-server.js';
import { startTestApp } from './support/app-harness.js';
import { onPostgres, openPostgresTestDatabase, testDatabaseUrl } from './support/postgres-test-database.js';
import { runNode, stopServer } from './support/processes.js';
import { TEST_USERS } from './support/users.js';
import type { OpenDatabase } from '../src/db/database.js';

const SESSION_SECRET = 'copy-to-postgres-session-secret-0123456789ab';
const TABLES = ['users', 'memberships', 'sessions', 'invitations', 'audit_events'] as const;

async function counts(db: OpenDatabase['db']): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return out;
}

describe.runIf(onPostgres && testDatabaseUrl)('when a SQLite data folder is copied to PostgreSQL', () => {
  let dataDir: string;
  let target: OpenDatabase & { schema: string };
  let databaseUrl: string;
  let emulator: RunningEmulator;
  let before: Record<string, number>;

  const copy = () =>
    runNode(path.join(REPO_ROOT, 'scripts/db-copy-to-postgres.ts'), [], { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SESSION_SECRET, FACTURAPI_USER_KEY: TEST_USER_KEY }, { nodeArgs: ['--import', 'tsx'], timeoutMs: 60_000 });

  beforeAll(async () => {
    buildServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-copy-'));
    // The real app on a SQLite file (the harness keeps SQLite when given a data folder).
    const app = await startTestApp({ dataDir });
    await app.signIn('support');
    await app.signIn('admin');
    await app.close();
    const source = openDatabase({ dataDir });
    before = await counts(source.db);
    await source.close();

    target = await openPostgresTestDatabase();
    const url = new URL(testDatabaseUrl!);
    url.searchParams.set('options', `-c search_path=${target.schema}`);
    databaseUrl = url.toString();
    emulator = await startEmulator({ userKeys: [TEST_USER_KEY] });
  }, 90_000);

  afterAll(async () => {
    await emulator?.close();
    await target?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('then every row arrives and the server on PostgreSQL lets the same people in', async () => {
    expect(before.users).toBe(Object.keys(TEST_USERS).length);
    expect(before.sessions).toBeGreaterThanOrEqual(2);
    expect(before.audit_events).toBeGreaterThan(0);

    const result = await copy();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`users: ${before.users} rows`);
    expect(await counts(target.db)).toEqual(before);

    const server = await spawnServer({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SESSION_SECRET, FACTURAPI_USER_KEY: TEST_USER_KEY, FACTURAPI_BASE_URL: emulator.url, NODE_ENV: 'development', LOG_LEVEL: 'info' });
    try {
      const session = await rawSignIn(server.url, TEST_USERS.support.email, TEST_USERS.support.password);
      const audit = await httpRequest(`${server.url}/audit?actorEmail=${encodeURIComponent(TEST_USERS.admin.email)}`, { headers: { Cookie: session.cookie } });
      expect(audit.status).toBe(200);
      // The admin's sign-in on SQLite is in the trail PostgreSQL serves.
      expect(audit.body).toContain(TEST_USERS.admin.email);
    } finally {
      await stopServer(server);
    }
  }, 60_000);

  it('then a second copy into the now non-empty database is refused and writes nothing', async () => {
    const now = await counts(target.db);
    const result = await copy();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not empty \(rows in: users, .*\); copy only into a new, empty database\. Nothing was written\./);
    expect(await counts(target.db)).toEqual(now);
  }, 60_000);
});
