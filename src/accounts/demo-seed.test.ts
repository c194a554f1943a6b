import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase } from '../../test/support/test-database.js';
import { authenticate } from './auth.service.js';
import { Migrator, type Kysely } from 'kysely';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { migrations } from '../db/migrations/index.js';
import { assertNoDemoAccounts, DEMO_ADMIN_EMAIL, DEMO_SUPPORT_EMAIL, DemoAccountsInLiveDatabase, findDemoAccounts, REMOVE_DEMO_COMMAND, seedDemoAccounts } from './demo-seed.js';
import { buildUser } from '../../test/support/builders.js';
import { createAuditTrail } from '../audit/audit.service.js';
import { getActor, listUsers } from './users.service.js';

const DEMO_ORG = '5f0c1c1c1c1c1c1c1c1c1c1c';
let opened: OpenDatabase;
beforeEach(async () => {
  opened = await createTestDatabase();
});
afterEach(() => opened.close());

describe('seedDemoAccounts', () => {
  it('creates a support user and an admin of the demo organization whose printed passwords work', async () => {
    const creds = await seedDemoAccounts(opened.db, createAuditTrail(opened.db, { now: createTestClock() }), { organizationId: DEMO_ORG, now: createTestClock() });
    const support = await authenticate(opened.db, creds.support.email, creds.support.password);
    const admin = await authenticate(opened.db, creds.admin.email, creds.admin.password);
    expect(support).toMatchObject({ ok: true, user: { role: 'support' } });
    expect(admin).toMatchObject({ ok: true, user: { role: 'account_admin' } });
    if (!admin.ok) return;
    expect((await getActor(opened.db, admin.user.id))?.organizationIds).toEqual([DEMO_ORG]);
  });

  it('when run again, keeps the same two users, re-enables them and only the new passwords work', async () => {
    const clock = createTestClock();
    const first = await seedDemoAccounts(opened.db, createAuditTrail(opened.db, { now: clock }), { organizationId: DEMO_ORG, now: clock });
    await opened.db.updateTable('users').set({ disabled_at: clock().toISOString() }).execute();

    const second = await seedDemoAccounts(opened.db, createAuditTrail(opened.db, { now: clock }), { organizationId: DEMO_ORG, now: clock });

    expect(second.admin.password).not.toBe(first.admin.password);
    expect((await listUsers(opened.db)).map((u) => [u.email, u.disabledAt, u.organizationIds.length])).toEqual([
      ['admin@csd-relay.test', null, 1],
      ['soporte@csd-relay.test', null, 0],
    ]);
    expect((await authenticate(opened.db, first.admin.email, first.admin.password)).ok).toBe(false);
    expect((await authenticate(opened.db, second.admin.email, second.admin.password)).ok).toBe(true);
    expect((await authenticate(opened.db, second.support.email, second.support.password)).ok).toBe(true);
  });
});

describe('demo accounts in a live database', () => {
  it('seeded accounts are marked demo, and the live start-up check refuses them naming the one command that removes them', async () => {
    await buildUser(opened.db, { email: 'real@example.com', role: 'support' });
    await expect(assertNoDemoAccounts(opened.db)).resolves.toBeUndefined();
    await seedDemoAccounts(opened.db, createAuditTrail(opened.db, { now: createTestClock() }), { organizationId: DEMO_ORG, now: createTestClock() });
    expect(await findDemoAccounts(opened.db)).toEqual([DEMO_ADMIN_EMAIL, DEMO_SUPPORT_EMAIL]);
    const refusal = await assertNoDemoAccounts(opened.db).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DemoAccountsInLiveDatabase);
    expect((refusal as Error).message).toContain(REMOVE_DEMO_COMMAND);
    expect(REMOVE_DEMO_COMMAND).toBe('npm run users -- remove-demo');
  });

  it('migration 0002 marks the demo accounts that versions before it seeded unmarked, and nobody else', async () => {
    const legacy = openDatabase({ memory: true });
    try {
      const result = await new Migrator({ db: legacy.db, provider: { getMigrations: async () => ({ ...migrations }) } }).migrateTo('0001-initial');
      expect(result.error).toBeUndefined();
      const db = legacy.db as unknown as Kysely<any>;
      const at = '2026-01-01T00:00:00.000Z';
      for (const email of [DEMO_SUPPORT_EMAIL, DEMO_ADMIN_EMAIL, 'real@example.com']) {
        await db.insertInto('users').values({ id: email, email, name: 'X', role: 'support', password_hash: null, disabled_at: null, created_at: at, updated_at: at, last_login_at: null }).execute();
      }
      await migrateToLatest(legacy.db);
      expect(await findDemoAccounts(legacy.db)).toEqual([DEMO_ADMIN_EMAIL, DEMO_SUPPORT_EMAIL]);
    } finally {
      await legacy.close();
    }
  });
});
