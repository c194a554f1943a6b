/**
 * Issue 15, point 3: a secret-looking key in an audit event's detail is a programming error.
 * audit-detail.ts says what happens then: in development and tests (strict) it throws, so the bug
 * is found at once; in production the key is dropped (its name kept in `_dropped`) and the event
 * is still written with the change, because losing the audit event would be worse than losing a
 * field. The services used to pass their action context where the trail's options belong, so
 * `strict` was never the trail's: production threw and rolled the change back.
 *
 * No service puts such a key in an event (their detail keys are fixed), so the mistake is made
 * here: `sanitizeDetail`, which every write goes through, is handed the detail plus a
 * `resetToken` key while `inject` is on. The change is one that runs in a transaction with its
 * event: support disabling a person through the people page (user row, sessions, `user.disabled`).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpRequest, rawSignIn } from '../tools/raw-http.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { TEST_USERS } from './support/users.js';

const injection = vi.hoisted(() => ({ on: false }));

vi.mock(import('../src/audit/audit-detail.js'), async (importOriginal) => {
  const real = await importOriginal();
  return {
    ...real,
    sanitizeDetail: (detail, strict) => real.sanitizeDetail(injection.on ? { ...detail, resetToken: 'tok_9f8e7d6c5b4a' } : detail, strict),
  };
});

const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://csd.example.test', TRUST_PROXY_HOPS: '1' };
// Production cookies are Secure: the app sees https only through its trusted proxy.
const VIA_PROXY = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' };

let t: TestApp | undefined;
afterEach(async () => {
  injection.on = false;
  await t?.close();
  t = undefined;
});

/** Signs support in, and (with the mistake switched on) disables the admin from the people page. */
async function disableAdmin(app: TestApp) {
  const support = await rawSignIn(app.url, TEST_USERS.support.email, TEST_USERS.support.password, VIA_PROXY);
  const adminSession = await rawSignIn(app.url, TEST_USERS.admin.email, TEST_USERS.admin.password, VIA_PROXY);
  const admin = await app.database.db.selectFrom('users').select('id').where('email', '=', TEST_USERS.admin.email).executeTakeFirstOrThrow();
  const body = new URLSearchParams({ _csrf: support.csrf }).toString();
  injection.on = true;
  const res = await httpRequest(`${app.url}/people/${admin.id}/disable`, {
    method: 'POST',
    headers: { ...VIA_PROXY, Cookie: support.cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
    body,
  });
  injection.on = false;
  const row = await app.database.db.selectFrom('users').select('disabled_at').where('id', '=', admin.id).executeTakeFirstOrThrow();
  const sessions = await app.database.db.selectFrom('sessions').select('sid_hash').where('user_id', '=', admin.id).execute();
  const events = await app.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.disabled').execute();
  const adminPage = await httpRequest(`${app.url}/organizations`, { headers: { ...VIA_PROXY, Cookie: adminSession.cookie } });
  return { res, row, sessions, events, adminPage };
}

describe('when a service writes an audit event with a secret-looking detail key', () => {
  it('then in production the key is dropped, and the event and the change are both written', async () => {
    t = await startTestApp({ env: PRODUCTION });
    const { res, row, sessions, events, adminPage } = await disableAdmin(t);
    console.log(`production: POST status ${res.status}; admin disabled: ${row.disabled_at !== null}; admin sessions left: ${sessions.length}; user.disabled events: ${events.length}; detail: ${events[0]?.detail ?? '(none)'}`);
    expect(res.status).toBe(303);
    expect(row.disabled_at).not.toBeNull();
    expect(sessions).toHaveLength(0);
    expect(adminPage.status).toBe(303);
    expect(events).toHaveLength(1);
    const detail = JSON.parse(events[0]!.detail!) as Record<string, unknown>;
    expect(detail).toMatchObject({ email: TEST_USERS.admin.email, _dropped: 'resetToken' });
    expect(detail).not.toHaveProperty('resetToken');
    expect(events[0]!.detail).not.toContain('tok_9f8e7d6c5b4a');
  });

  it('then in development and tests it throws, and the change is rolled back with the event', async () => {
    t = await startTestApp();
    const { res, row, sessions, events, adminPage } = await disableAdmin(t);
    console.log(`strict: POST status ${res.status}; admin disabled: ${row.disabled_at !== null}; admin sessions left: ${sessions.length}; user.disabled events: ${events.length}`);
    expect(res.status).toBe(500);
    expect(row.disabled_at).toBeNull();
    expect(sessions.length).toBeGreaterThan(0);
    expect(adminPage.status).toBe(200);
    expect(events).toHaveLength(0);
    expect(t.logs.text).toContain('SecretInAuditDetailError');
  });
});
