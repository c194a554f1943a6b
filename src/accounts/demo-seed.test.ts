import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase } from '../../test/support/test-database.js';
import { authenticate } from './auth.service.js';
import { seedDemoAccounts } from './demo-seed.js';
import { getActor, listUsers } from './users.service.js';

const DEMO_ORG = '5f0c1c1c1c1c1c1c1c1c1c1c';
let opened: OpenDatabase;
beforeEach(async () => {
  opened = await createTestDatabase();
});
afterEach(() => opened.close());

describe('seedDemoAccounts', () => {
  it('creates a support user and an admin of the demo organization whose printed passwords work', async () => {
    const creds = await seedDemoAccounts(opened.db, { organizationId: DEMO_ORG, now: createTestClock() });
    const support = await authenticate(opened.db, creds.support.email, creds.support.password);
    const admin = await authenticate(opened.db, creds.admin.email, creds.admin.password);
    expect(support).toMatchObject({ ok: true, user: { role: 'support' } });
    expect(admin).toMatchObject({ ok: true, user: { role: 'account_admin' } });
    if (!admin.ok) return;
    expect((await getActor(opened.db, admin.user.id))?.organizationIds).toEqual([DEMO_ORG]);
  });

  it('when run again, keeps the same two users, re-enables them and only the new passwords work', async () => {
    const clock = createTestClock();
    const first = await seedDemoAccounts(opened.db, { organizationId: DEMO_ORG, now: clock });
    await opened.db.updateTable('users').set({ disabled_at: clock().toISOString() }).execute();

    const second = await seedDemoAccounts(opened.db, { organizationId: DEMO_ORG, now: clock });

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
