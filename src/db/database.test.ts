import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { migrateToLatest, migrationStatus } from './migrator.js';
import { createTempDataDir } from './testing/test-database.js';
import { existsSync } from 'node:fs';
import path from 'node:path';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = createTempDataDir();
  cleanups.push(dir.remove);
  return path.join(dir.dataDir, 'nested', 'data');
}

describe('openDatabase and migrations', () => {
  it('creates the data folder and the database file on first start', async () => {
    const dataDir = tempDir();
    const { db, close } = openDatabase({ dataDir });
    await migrateToLatest(db);
    await close();
    expect(existsSync(path.join(dataDir, 'csd-relay.sqlite'))).toBe(true);
  });

  it('reports every migration as pending before the first run and applied after it', async () => {
    const { db, close } = openDatabase({ memory: true });
    cleanups.push(close);
    const all = ['0001-initial', '0002-demo-accounts'];
    expect(await migrationStatus(db)).toEqual({ applied: [], pending: all });
    expect(await migrateToLatest(db)).toEqual(all);
    expect(await migrationStatus(db)).toEqual({ applied: all, pending: [] });
  });

  it('when started again on an existing file, runs nothing and keeps the data', async () => {
    const dataDir = tempDir();
    const first = openDatabase({ dataDir });
    await migrateToLatest(first.db);
    await first.db
      .insertInto('users')
      .values({
        id: 'u1', email: 'ana@example.com', name: 'Ana', role: 'support', password_hash: null,
        disabled_at: null, created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z', last_login_at: null,
      })
      .execute();
    await first.close();

    const second = openDatabase({ dataDir });
    cleanups.push(second.close);
    expect(await migrateToLatest(second.db)).toEqual([]);
    const users = await second.db.selectFrom('users').select('email').execute();
    expect(users).toEqual([{ email: 'ana@example.com' }]);
  });

  it('enforces foreign keys, so a membership needs an existing user', async () => {
    const { db, close } = openDatabase({ memory: true });
    cleanups.push(close);
    await migrateToLatest(db);
    const insert = db
      .insertInto('memberships')
      .values({ user_id: 'nobody', organization_id: 'a'.repeat(24), created_at: 'x', created_by: null })
      .execute();
    await expect(insert).rejects.toThrow(/FOREIGN KEY/);
  });
});
