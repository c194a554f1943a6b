/**
 * Issue 9, item 18: a support account's password is reset only by the operator CLI. From the web
 * a support person can issue reset links for account admins, not for another support account
 * (nor their own: a stolen session must not be able to turn itself into a new password).
 * Through HTTP against the real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsersCommand } from '../src/accounts/cli-commands.js';
import { setPassword } from '../src/accounts/set-password.service.js';
import { createUser, listUsers } from '../src/accounts/users.service.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { TEST_USERS } from './support/users.js';

const COLLEAGUE = { email: 'colega@example.test', name: 'Carlos Colega', password: 'colleague-pass-phrase-42' };
const REFUSED = 'Las contraseñas de las cuentas de soporte no se restablecen desde la web';

let t: TestApp;
let support: SignedIn;
let ids: { self: string; colleague: string; admin: string };

beforeAll(async () => {
  t = await startTestApp();
  const ctx = { now: t.clock.now, actor: null, userAgent: 'test' };
  const colleague = await createUser(t.database.db, t.audit, { email: COLLEAGUE.email, name: COLLEAGUE.name, role: 'support' }, ctx);
  await setPassword(t.database.db, t.audit, colleague.id, COLLEAGUE.password, ctx);
  const users = await listUsers(t.database.db);
  const idOf = (email: string) => users.find((u) => u.email === email)!.id;
  ids = { self: idOf(TEST_USERS.support.email), colleague: colleague.id, admin: idOf(TEST_USERS.admin.email) };
  support = await t.signIn('support');
});
afterAll(async () => {
  await t.close();
});

const resetLinksFor = (userId: string) =>
  t.database.db.selectFrom('invitations').select('id').where('purpose', '=', 'password_reset').where('user_id', '=', userId).execute();
const reset = (userId: string) => support.agent.post(`/people/${userId}/reset`).type('form').send({ _csrf: support.csrf });

describe('when a support person tries to reset a support account’s password from the web', () => {
  it.each([
    ['another support account', () => ids.colleague],
    ['their own account', () => ids.self],
  ])('then for %s it is 403 with a message, no link is issued, and the refusal is audited', async (_name, target) => {
    const res = await reset(target());
    expect(res.status).toBe(403);
    expect(res.text).toContain(REFUSED);
    expect(res.text).toContain('npm run users -- reset');
    expect(res.text).not.toMatch(/\/account\/set-password\/[A-Za-z0-9_-]{20,}/);
    expect(await resetLinksFor(target())).toHaveLength(0);
    const { rows } = await t.audit.query({ action: 'access.denied', page: 1, pageSize: 50 });
    expect(rows.some((r) => r.actorEmail === TEST_USERS.support.email && r.detail.rule === 'canResetPassword' && r.detail.targetUserId === target())).toBe(true);
    expect((await t.audit.query({ action: 'password_reset.created', page: 1, pageSize: 50 })).rows.filter((r) => r.detail.userId === target())).toHaveLength(0);
  });

  it('then the people page offers no reset button for support accounts, only for account admins', async () => {
    const page = await support.agent.get('/people');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`action="/people/${ids.colleague}/reset"`);
    expect(page.text).not.toContain(`action="/people/${ids.self}/reset"`);
    expect(page.text).toContain(`action="/people/${ids.admin}/reset"`);
    expect(page.text).toContain('solo la restablece el operador');
  });

  it('then an account admin’s reset link is still issued from the web', async () => {
    const res = await reset(ids.admin);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/\/account\/set-password\/[A-Za-z0-9_-]{43}/);
    expect(await resetLinksFor(ids.admin)).toHaveLength(1);
  });

  it('then the operator CLI still resets a support account', async () => {
    const out: string[] = [];
    const code = await runUsersCommand(['reset', '--email', COLLEAGUE.email], {
      db: t.database.db, audit: t.audit, now: t.clock.now, publicUrl: 'http://127.0.0.1:3000', operator: 'ops', out: (l) => out.push(l), err: (l) => out.push(l),
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/\/account\/set-password\/[A-Za-z0-9_-]{43}/);
    expect(await resetLinksFor(ids.colleague)).toHaveLength(1);
  });
});
