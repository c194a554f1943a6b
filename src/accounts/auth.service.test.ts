import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase } from '../../test/support/test-database.js';
import { createAuditTrail } from '../audit/audit.service.js';
import { authenticate, recordLogin } from './auth.service.js';
import { buildContext, buildUser, TEST_PASSWORD } from '../../test/support/builders.js';

let opened: OpenDatabase;
beforeEach(async () => {
  opened = await createTestDatabase();
});
afterEach(() => opened.close());

describe('authenticate', () => {
  it('with the right password (email in any case), returns the user without the hash', async () => {
    const row = await buildUser(opened.db, { email: 'ana@example.com' });
    const result = await authenticate(opened.db, '  ANA@Example.com ', TEST_PASSWORD);
    expect(result).toMatchObject({ ok: true, user: { id: row.id, email: 'ana@example.com', hasPassword: true } });
    expect(JSON.stringify(result)).not.toContain('argon2');
  });

  it('with a wrong password, fails as invalid', async () => {
    await buildUser(opened.db, { email: 'ana@example.com' });
    expect(await authenticate(opened.db, 'ana@example.com', 'not the password')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('with an unknown email, fails exactly like a wrong password', async () => {
    expect(await authenticate(opened.db, 'nobody@example.com', TEST_PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('for an invited user who has not set a password yet, fails as invalid', async () => {
    await buildUser(opened.db, { email: 'new@example.com', password_hash: null });
    expect(await authenticate(opened.db, 'new@example.com', '')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('for a disabled user with the right password, fails as disabled (for the audit only)', async () => {
    await buildUser(opened.db, { email: 'ana@example.com', disabled_at: '2026-02-01T00:00:00.000Z' });
    const result = await authenticate(opened.db, 'ana@example.com', TEST_PASSWORD);
    expect(result).toMatchObject({ ok: false, reason: 'disabled', user: { email: 'ana@example.com' } });
  });

  it('for a disabled user with a wrong password, reveals nothing more than invalid', async () => {
    await buildUser(opened.db, { email: 'ana@example.com', disabled_at: '2026-02-01T00:00:00.000Z' });
    expect(await authenticate(opened.db, 'ana@example.com', 'wrong password')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('recordLogin', () => {
  it('stamps last_login_at and writes login.success with the user as actor', async () => {
    const clock = createTestClock('2026-03-05T10:00:00.000Z');
    const row = await buildUser(opened.db, { email: 'ana@example.com', role: 'support' });
    const result = await authenticate(opened.db, 'ana@example.com', TEST_PASSWORD);
    if (!result.ok) throw new Error('expected a login');

    await recordLogin(opened.db, createAuditTrail(opened.db, { now: clock }), result.user, buildContext(clock, { actor: null, ip: '203.0.113.9' }));

    const user = await opened.db.selectFrom('users').select('last_login_at').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(user.last_login_at).toBe('2026-03-05T10:00:00.000Z');
    const event = await opened.db.selectFrom('audit_events').selectAll().executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: 'login.success', actor_user_id: row.id, actor_role: 'support', ip: '203.0.113.9' });
  });
});
