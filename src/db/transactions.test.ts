/**
 * What sqlite-dialect.ts changes, checked against a real database file with a second connection
 * standing in for another process (the users CLI next to the server).
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase, type OpenDatabase } from './database.js';
import { migrateToLatest, migrationStatus } from './migrator.js';
import { migrations } from './migrations/index.js';
import { createTempDataDir } from '../../test/support/test-database.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fileDatabase(): { opened: OpenDatabase; other: BetterSqlite3.Database; tables(): string[] } {
  const dir = createTempDataDir();
  cleanups.push(dir.remove);
  const opened = openDatabase({ dataDir: dir.dataDir });
  cleanups.push(opened.close);
  // Another process: no busy_timeout, so a held lock shows at once as SQLITE_BUSY.
  const other = new BetterSqlite3(path.join(dir.dataDir, DATABASE_FILE), { timeout: 0 });
  cleanups.push(() => void other.close());
  const tables = () => (other.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely_%' order by name").all() as { name: string }[]).map((r) => r.name);
  return { opened, other, tables };
}

describe('transactions', () => {
  it('take the write lock at BEGIN, before their first write, so another process waits instead of failing later', async () => {
    const { opened, other } = fileDatabase();
    await migrateToLatest(opened.db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reading!: () => void;
    const hasRead = new Promise<void>((resolve) => (reading = resolve));
    const transaction = opened.db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('id').execute();
      reading();
      await held;
    });
    await hasRead;
    // A plain `begin` would hold only a read snapshot here, and this write would succeed.
    expect(() => other.exec('begin immediate')).toThrow(/database is locked/);
    release();
    await transaction;
    other.exec('begin immediate');
    other.exec('rollback');
  });
});

describe('migrations', () => {
  const failing = (after: 'first statement' | 'second migration'): Record<string, Migration> => ({
    '0001-initial': migrations['0001-initial']!,
    '0002-broken': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('half_done').addColumn('id', 'text').execute();
        if (after === 'first statement') throw new Error('failed after the first statement');
      },
    },
    ...(after === 'second migration' ? { '0003-broken': { async up() { throw new Error('the next one fails'); } } } : {}),
  });

  it('when one fails after its first statement, then nothing of the run is applied and the next run starts from the same state', async () => {
    const { opened, tables } = fileDatabase();
    await expect(migrateToLatest(opened.db, failing('first statement'))).rejects.toThrow(/Database migration 0002-broken failed \(failed after the first statement\); no pending migration was applied/);
    // 0001 ran in the same transaction, so it is rolled back too.
    expect(tables()).toEqual([]);
    expect(await migrationStatus(opened.db)).toMatchObject({ applied: [] });

    expect(await migrateToLatest(opened.db)).toEqual(Object.keys(migrations));
    expect(tables()).toEqual(['audit_events', 'cache_generations', 'expiry_reminders', 'invitations', 'job_leases', 'mail_messages', 'memberships', 'rate_limit_hits', 'readiness_heartbeat', 'reminder_contacts', 'sessions', 'upload_requests', 'users']);
  });

  it('when a later migration of the run fails, then the earlier ones of that run are rolled back as well', async () => {
    const { opened, tables } = fileDatabase();
    await expect(migrateToLatest(opened.db, failing('second migration'))).rejects.toThrow(/0003-broken/);
    expect(tables()).toEqual([]);
  });

});
