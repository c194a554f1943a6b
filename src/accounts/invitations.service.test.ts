import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase, HOUR, type TestClock } from '../../test/support/test-database.js';
import type { ActionContext } from '../audit/action-context.js';
import { createAuditTrail, type AuditTrail } from '../audit/audit.service.js';
import { authenticate } from './auth.service.js';
import { consumeToken } from './consume-token.service.js';
import { createPasswordReset, createSetupToken, inviteAccountAdmin, peekToken } from './invitations.service.js';
import { getActor, hasAnyUser } from './users.service.js';
import { auditActions, buildContext, buildUser, SUPPORT_ACTOR_ROW, TEST_PASSWORD } from '../../test/support/builders.js';

const ORG_A = '0123456789abcdef01234567';
const ORG_B = 'fedcba9876543210fedcba98';
const NEW_PASSWORD = 'a brand new passphrase';

let opened: OpenDatabase;
let clock: TestClock;
let ctx: ActionContext;
let trail: AuditTrail;
beforeEach(async () => {
  opened = await createTestDatabase();
  clock = createTestClock();
  ctx = buildContext(clock);
  trail = createAuditTrail(opened.db, { now: clock });
});
afterEach(() => opened.close());

const invite = (email = 'bea@example.com', organizationId = ORG_A) =>
  inviteAccountAdmin(opened.db, trail, { email, name: 'Bea', organizationId }, ctx);

describe('first-run setup link', () => {
  it('creates the first support user, once, then setup is closed', async () => {
    const { token } = await createSetupToken(opened.db, clock(), HOUR);
    expect(await peekToken(opened.db, token, clock())).toMatchObject({ valid: true, purpose: 'setup' });

    const result = await consumeToken(opened.db, trail, token, { password: NEW_PASSWORD, email: 'Root@Example.com', name: 'Root' }, buildContext(clock, { actor: null }));
    expect(result).toMatchObject({ ok: true, purpose: 'setup', user: { email: 'root@example.com', role: 'support', hasPassword: true } });
    expect((await authenticate(opened.db, 'root@example.com', NEW_PASSWORD)).ok).toBe(true);
    expect(await auditActions(opened.db)).toEqual(['user.created', 'setup.completed']);

    await expect(createSetupToken(opened.db, clock(), HOUR)).rejects.toMatchObject({ code: 'setup_closed' });
    expect(await consumeToken(opened.db, trail, token, { password: NEW_PASSWORD, email: 'x@example.com', name: 'X' }, ctx)).toEqual({ ok: false, reason: 'used' });
  });

  it('is refused while any user exists', async () => {
    await buildUser(opened.db);
    await expect(createSetupToken(opened.db, clock(), HOUR)).rejects.toMatchObject({ code: 'setup_closed' });
  });

  it('a new setup link revokes the previous one (each start prints a fresh link)', async () => {
    const first = await createSetupToken(opened.db, clock(), HOUR);
    await createSetupToken(opened.db, clock(), HOUR);
    expect(await peekToken(opened.db, first.token, clock())).toEqual({ valid: false, reason: 'used' });
  });

  it('expires after its time to live', async () => {
    const { token } = await createSetupToken(opened.db, clock(), HOUR);
    clock.advance(HOUR);
    expect(await consumeToken(opened.db, trail, token, { password: NEW_PASSWORD, email: 'r@example.com', name: 'R' }, ctx)).toEqual({ ok: false, reason: 'expired' });
    expect(await hasAnyUser(opened.db)).toBe(false);
  });
});

describe('inviting an account admin', () => {
  beforeEach(() => buildUser(opened.db, SUPPORT_ACTOR_ROW));

  it('creates the user and membership; the link sets their password and they can log in', async () => {
    const invitation = await invite();
    expect(invitation).toMatchObject({ userCreated: true, membershipAdded: true, user: { hasPassword: false } });
    expect(invitation.expiresAt).toBe('2026-03-04T12:00:00.000Z');
    expect(await peekToken(opened.db, invitation.token!, clock())).toMatchObject({ valid: true, purpose: 'invitation', email: 'bea@example.com' });

    const result = await consumeToken(opened.db, trail, invitation.token!, { password: NEW_PASSWORD }, buildContext(clock, { actor: null }));
    expect(result.ok).toBe(true);
    expect(await authenticate(opened.db, 'bea@example.com', NEW_PASSWORD)).toMatchObject({ ok: true });
    expect((await getActor(opened.db, invitation.user.id))?.organizationIds).toEqual([ORG_A]);
    expect(await auditActions(opened.db)).toEqual(['user.created', 'membership.added', 'invitation.created', 'invitation.accepted']);
  });

  it('stores only a hash of the token', async () => {
    const { token } = await invite();
    const stored = JSON.stringify(await opened.db.selectFrom('invitations').selectAll().execute());
    expect(stored).not.toContain(token!);
  });

  it('the link works until just before 72 hours and not at 72 hours', async () => {
    const { token } = await invite();
    clock.advance(72 * HOUR - 1);
    expect((await peekToken(opened.db, token!, clock())).valid).toBe(true);
    clock.advance(1);
    expect(await peekToken(opened.db, token!, clock())).toEqual({ valid: false, reason: 'expired' });
    expect(await consumeToken(opened.db, trail, token!, { password: NEW_PASSWORD }, ctx)).toEqual({ ok: false, reason: 'expired' });
  });

  it('two concurrent uses of one link: exactly one succeeds', async () => {
    const { token } = await invite();
    const results = await Promise.all([
      consumeToken(opened.db, trail, token!, { password: 'first concurrent password' }, ctx),
      consumeToken(opened.db, trail, token!, { password: 'second concurrent password' }, ctx),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'used' }]);
    const winner = results[0]?.ok ? 'first concurrent password' : 'second concurrent password';
    expect((await authenticate(opened.db, 'bea@example.com', winner)).ok).toBe(true);
  });

  it('a password against the policy is refused and leaves the link usable', async () => {
    const { token } = await invite();
    await expect(consumeToken(opened.db, trail, token!, { password: 'short' }, ctx)).rejects.toMatchObject({ code: 'password_policy', problem: 'too_short' });
    await expect(consumeToken(opened.db, trail, token!, { password: 'bea@example.com' }, ctx)).rejects.toMatchObject({ problem: 'same_as_email' });
    expect((await consumeToken(opened.db, trail, token!, { password: NEW_PASSWORD }, ctx)).ok).toBe(true);
  });

  it('an unknown or malformed token is refused', async () => {
    expect(await consumeToken(opened.db, trail, 'x'.repeat(43), { password: NEW_PASSWORD }, ctx)).toEqual({ ok: false, reason: 'unknown' });
    expect(await peekToken(opened.db, '../../etc', clock())).toEqual({ valid: false, reason: 'unknown' });
  });

  it('re-inviting an admin who never set a password adds the membership and revokes the old link', async () => {
    const first = await invite();
    const second = await invite('BEA@example.com', ORG_B);
    expect(second).toMatchObject({ userCreated: false, membershipAdded: true, user: { id: first.user.id } });
    expect(await peekToken(opened.db, first.token!, clock())).toEqual({ valid: false, reason: 'used' });
    expect((await peekToken(opened.db, second.token!, clock())).valid).toBe(true);
    expect((await getActor(opened.db, first.user.id))?.organizationIds).toEqual([ORG_A, ORG_B]);
  });

  it('inviting an admin who already has a password only adds the membership', async () => {
    const bea = await buildUser(opened.db, { email: 'bea@example.com', organizationIds: [ORG_A] });
    const result = await invite('bea@example.com', ORG_B);
    expect(result).toMatchObject({ token: null, userCreated: false, membershipAdded: true });
    expect((await getActor(opened.db, bea.id))?.organizationIds).toEqual([ORG_A, ORG_B]);
    expect((await authenticate(opened.db, 'bea@example.com', TEST_PASSWORD)).ok).toBe(true);
  });

  it('refuses to invite a support account to an organization', async () => {
    await expect(invite(SUPPORT_ACTOR_ROW.email)).rejects.toMatchObject({ code: 'not_account_admin' });
  });
});

describe('password reset link', () => {
  beforeEach(() => buildUser(opened.db, SUPPORT_ACTOR_ROW));

  it('keeps the old password until used, then replaces it and ends the user sessions', async () => {
    const bea = await buildUser(opened.db, { email: 'bea@example.com' });
    await opened.db.insertInto('sessions').values({
      sid_hash: 'h', user_id: bea.id, data: '{}', created_at: 'x', last_seen_at: 'x', expires_at: '2099-01-01T00:00:00.000Z',
    }).execute();
    const { token } = await createPasswordReset(opened.db, trail, bea.id, ctx);
    expect((await authenticate(opened.db, 'bea@example.com', TEST_PASSWORD)).ok).toBe(true);

    expect(await consumeToken(opened.db, trail, token, { password: NEW_PASSWORD }, ctx)).toMatchObject({ ok: true, purpose: 'password_reset' });
    expect((await authenticate(opened.db, 'bea@example.com', TEST_PASSWORD)).ok).toBe(false);
    expect((await authenticate(opened.db, 'bea@example.com', NEW_PASSWORD)).ok).toBe(true);
    expect(await opened.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    expect(await auditActions(opened.db)).toEqual(['password_reset.created', 'password.set']);
  });
});
