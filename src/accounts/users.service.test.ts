import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase, type TestClock } from '../../test/support/test-database.js';
import type { ActionContext } from '../audit/action-context.js';
import { createAuditTrail, type AuditTrail } from '../audit/audit.service.js';
import { addMembership, removeMembership } from './memberships.service.js';
import { setDisabled } from './user-status.service.js';
import { createUser, getActor, listUsers } from './users.service.js';
import { auditActions, buildContext, buildUser, SUPPORT_ACTOR_ROW } from '../../test/support/builders.js';

const ORG_A = '0123456789abcdef01234567';
const ORG_B = 'fedcba9876543210fedcba98';

let opened: OpenDatabase;
let clock: TestClock;
let ctx: ActionContext;
let trail: AuditTrail;
beforeEach(async () => {
  opened = await createTestDatabase();
  clock = createTestClock();
  ctx = buildContext(clock);
  trail = createAuditTrail(opened.db, { now: clock });
  await buildUser(opened.db, SUPPORT_ACTOR_ROW);
});
afterEach(() => opened.close());

async function sessionCount(userId: string): Promise<number> {
  return (await opened.db.selectFrom('sessions').select('sid_hash').where('user_id', '=', userId).execute()).length;
}

async function insertSession(userId: string, sidHash: string): Promise<void> {
  const at = clock().toISOString();
  await opened.db.insertInto('sessions')
    .values({ sid_hash: sidHash, user_id: userId, data: '{}', created_at: at, last_seen_at: at, expires_at: '2099-01-01T00:00:00.000Z' })
    .execute();
}

describe('createUser', () => {
  it('stores the email lower-cased, without a password, with its first membership and audit events', async () => {
    const user = await createUser(opened.db, trail, { email: ' Bea@Example.COM ', name: 'Bea', role: 'account_admin', organizationId: ORG_A }, ctx);
    expect(user).toMatchObject({ email: 'bea@example.com', role: 'account_admin', hasPassword: false });
    expect((await getActor(opened.db, user.id))?.organizationIds).toEqual([ORG_A]);
    expect(await auditActions(opened.db)).toEqual(['user.created', 'membership.added']);
  });

  it('refuses an email that already has an account, in any case', async () => {
    await buildUser(opened.db, { email: 'bea@example.com' });
    await expect(createUser(opened.db, trail, { email: 'BEA@example.com', name: 'B', role: 'support' }, ctx))
      .rejects.toMatchObject({ code: 'email_taken' });
  });

  it('refuses a malformed organization id and a membership for a support user, writing nothing', async () => {
    await expect(createUser(opened.db, trail, { email: 'x@example.com', name: 'X', role: 'account_admin', organizationId: 'ABC' }, ctx))
      .rejects.toMatchObject({ code: 'invalid_organization_id' });
    await expect(createUser(opened.db, trail, { email: 'x@example.com', name: 'X', role: 'support', organizationId: ORG_A }, ctx))
      .rejects.toMatchObject({ code: 'not_account_admin' });
    expect((await listUsers(opened.db)).map((u) => u.email)).toEqual([SUPPORT_ACTOR_ROW.email]);
    expect(await auditActions(opened.db)).toEqual([]);
  });

  it('refuses an invalid email', async () => {
    await expect(createUser(opened.db, trail, { email: 'not an email', name: 'X', role: 'support' }, ctx))
      .rejects.toMatchObject({ code: 'invalid_email' });
  });
});

describe('listUsers and getActor', () => {
  it('lists every user by email with their memberships', async () => {
    await buildUser(opened.db, { email: 'zoe@example.com', organizationIds: [ORG_B, ORG_A] });
    await buildUser(opened.db, { email: 'ana@example.com', role: 'support' });
    const users = await listUsers(opened.db);
    expect(users.map((u) => [u.email, u.organizationIds])).toEqual([
      ['ana@example.com', []],
      ['support@example.com', []],
      ['zoe@example.com', [ORG_A, ORG_B]],
    ]);
  });

  it('getActor returns null for a disabled or unknown user', async () => {
    const row = await buildUser(opened.db, { disabled_at: '2026-02-01T00:00:00.000Z' });
    expect(await getActor(opened.db, row.id)).toBeNull();
    expect(await getActor(opened.db, 'no-such-id')).toBeNull();
  });
});

describe('setDisabled', () => {
  it('disabling deletes only that user sessions and writes user.disabled; enabling writes user.enabled', async () => {
    const bea = await buildUser(opened.db);
    const other = await buildUser(opened.db);
    await insertSession(bea.id, 'h1');
    await insertSession(bea.id, 'h2');
    await insertSession(other.id, 'h3');

    const disabled = await setDisabled(opened.db, trail, bea.id, true, ctx);
    expect(disabled.disabledAt).toBe(clock().toISOString());
    expect(await sessionCount(bea.id)).toBe(0);
    expect(await sessionCount(other.id)).toBe(1);

    const enabled = await setDisabled(opened.db, trail, bea.id, false, ctx);
    expect(enabled.disabledAt).toBeNull();
    expect(await auditActions(opened.db)).toEqual(['user.disabled', 'user.enabled']);
  });

  it('disabling twice keeps the first date and writes one event', async () => {
    const bea = await buildUser(opened.db);
    await setDisabled(opened.db, trail, bea.id, true, ctx);
    clock.advance(60_000);
    const again = await setDisabled(opened.db, trail, bea.id, true, ctx);
    expect(again.disabledAt).toBe('2026-03-01T12:00:00.000Z');
    expect(await auditActions(opened.db)).toEqual(['user.disabled']);
  });

  it('refuses to let support staff disable themselves', async () => {
    const me = await buildUser(opened.db, { role: 'support' });
    const self = buildContext(clock, { actor: { id: me.id, email: me.email, role: 'support' } });
    await expect(setDisabled(opened.db, trail, me.id, true, self)).rejects.toMatchObject({ code: 'cannot_disable_self' });
  });

  it('refuses an unknown user', async () => {
    await expect(setDisabled(opened.db, trail, 'nope', true, ctx)).rejects.toMatchObject({ code: 'user_not_found' });
  });
});

describe('memberships', () => {
  it('adds once (idempotent), removes once, and audits each real change with the organization', async () => {
    const bea = await buildUser(opened.db);
    expect(await addMembership(opened.db, trail, { userId: bea.id, organizationId: ORG_A }, ctx)).toBe(true);
    expect(await addMembership(opened.db, trail, { userId: bea.id, organizationId: ORG_A }, ctx)).toBe(false);
    expect((await getActor(opened.db, bea.id))?.organizationIds).toEqual([ORG_A]);

    expect(await removeMembership(opened.db, trail, { userId: bea.id, organizationId: ORG_A }, ctx)).toBe(true);
    expect(await removeMembership(opened.db, trail, { userId: bea.id, organizationId: ORG_A }, ctx)).toBe(false);
    expect((await getActor(opened.db, bea.id))?.organizationIds).toEqual([]);

    const events = await opened.db.selectFrom('audit_events').select(['action', 'organization_id']).orderBy('action').execute();
    expect(events).toEqual([
      { action: 'membership.added', organization_id: ORG_A },
      { action: 'membership.removed', organization_id: ORG_A },
    ]);
  });

  it('refuses memberships for support staff and malformed organization ids', async () => {
    const sam = await buildUser(opened.db, { role: 'support' });
    const bea = await buildUser(opened.db);
    await expect(addMembership(opened.db, trail, { userId: sam.id, organizationId: ORG_A }, ctx)).rejects.toMatchObject({ code: 'not_account_admin' });
    await expect(addMembership(opened.db, trail, { userId: bea.id, organizationId: ORG_A.toUpperCase() }, ctx)).rejects.toMatchObject({ code: 'invalid_organization_id' });
  });
});
