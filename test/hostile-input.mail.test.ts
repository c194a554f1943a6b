/**
 * Hostile corpus for e-mail and reminders (issue 12): forged and malformed unsubscribe links, the
 * settings and unsubscribe forms posted cross-site without their CSRF token, odd values, markup in
 * names that end up in e-mails and on the outbox page. Each gets a 4xx or a harmless answer with a
 * message, never a 500; nothing changes; the app works normally after. Raw sockets where a
 * well-behaved client could not send the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS, startTestApp, type TestApp } from './support/app-harness.js';
import { rawExchange, rawSignIn, type RawSession } from '../tools/raw-http.js';
import { TEST_USERS } from './support/users.js';

let t: TestApp;
let admin: RawSession;
let support: RawSession;
beforeAll(async () => {
  t = await startTestApp();
  admin = await rawSignIn(t.url, TEST_USERS.admin.email, TEST_USERS.admin.password);
  support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
});
afterAll(async () => {
  await t.close();
});

const get = (path: string, cookie = '') => rawExchange(t.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}`);
const post = (path: string, form: string, cookie = '') =>
  rawExchange(t.url, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(form)}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}`, Buffer.from(form));

const optedOut = async () => (await t.database.db.selectFrom('users').select('email').where('reminders_opted_out_at', 'is not', null).execute()).map((r) => r.email);

describe('hostile unsubscribe links', () => {
  const forged = [
    ['garbage', 'not-a-token'],
    ['a user id without a signature', '0f8fad5b-d9cb-469f-a165-70867728950e.'],
    ['a wrong signature', `0f8fad5b-d9cb-469f-a165-70867728950e.${'A'.repeat(43)}`],
    ['8 KB', 'x'.repeat(8_000)],
    ['encoded slashes and NUL', '..%2F..%2Fetc%2Fpasswd%00'],
    ['non-ASCII', '%C3%B1and%C3%BA.%F0%9F%98%80'],
    ['bad percent-encoding', '%E0%A4%A'],
  ] as const;
  it.each(forged)('when the link is %s, then it opens nothing (303, then 404 with a message) and never a 500', async (_name, token) => {
    const opened = await get(`/reminders/unsubscribe/${token}`);
    expect([303, 400, 404, 414, 431]).toContain(opened.status);
    if (opened.status === 303) {
      const cookie = (opened.headers['set-cookie'] ?? '').split(';')[0] ?? '';
      const page = await get('/reminders/unsubscribe', cookie);
      expect(page.status).toBe(404);
      expect(page.body).toContain('no es válido');
    }
    expect(await optedOut()).toEqual([]);
  });

  it('when the unsubscribe form is posted cross-site without a token or session, then 403 and nobody is unsubscribed', async () => {
    for (const form of ['', '_csrf=forged', '_csrf=' + 'f'.repeat(43), 'a=1&a=2&_csrf[]=x']) {
      const res = await post('/reminders/unsubscribe', form);
      expect([403, 404]).toContain(res.status);
    }
    expect(await optedOut()).toEqual([]);
  });
});

describe('hostile settings forms', () => {
  it('when posted without the CSRF token, then 403 and nothing changes; a repeated field is a 400; an unknown language is read as Spanish', async () => {
    expect((await post('/account/settings', 'language=en', admin.cookie)).status).toBe(403);
    expect((await post('/account/settings', `_csrf=${admin.csrf}&language=en`)).status).toBe(401);
    expect(await optedOut()).toEqual([]);
    const repeated = await post('/account/settings', `_csrf=${admin.csrf}&language=en&reminders=on&reminders=off`, admin.cookie);
    expect(repeated.status).toBe(400);
    const odd = await post('/account/settings', `_csrf=${admin.csrf}&language=fr%00&reminders=on`, admin.cookie);
    expect(odd.status).toBe(303);
    const row = await t.database.db.selectFrom('users').select(['language', 'reminders_opted_out_at']).where('email', '=', TEST_USERS.admin.email).executeTakeFirstOrThrow();
    expect(row).toEqual({ language: 'es', reminders_opted_out_at: null });
  });
});

describe('markup in what e-mails quote', () => {
  it('when an invitee\'s name is markup, then the outbox page and the stored HTML escape it', async () => {
    const name = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const form = new URLSearchParams({ _csrf: support.csrf, email: 'marcado@example.test', name, organizationId: DEMO_ORGANIZATION_IDS.validForYears }).toString();
    const res = await rawExchange(t.url, `POST /people/invite HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(form)}\r\nCookie: ${support.cookie}\r\n`, Buffer.from(form));
    expect(res.status).toBe(200);
    const outbox = await get('/outbox', support.cookie);
    expect(outbox.status).toBe(200);
    expect(outbox.body).toContain('marcado@example.test');
    expect(outbox.body).not.toContain('<script>alert(1)');
    expect(outbox.body).not.toContain('<img src=x');
    const stored = await t.database.db.selectFrom('mail_messages').select('html_body').where('recipient', '=', 'marcado@example.test').executeTakeFirstOrThrow();
    expect(stored.html_body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(stored.html_body).not.toContain('<script>');
  });

  it('when an account admin asks for the outbox, then 403', async () => {
    expect((await get('/outbox', admin.cookie)).status).toBe(403);
  });
});
