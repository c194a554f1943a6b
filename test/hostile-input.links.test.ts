/**
 * Hostile corpus for the reminder contact form and the upload-request form whose response shows
 * the link once (issue 12): repeated fields, markup, NUL and CRLF in the address, odd languages,
 * bad organization ids, cross-site posts without the token, over raw sockets. Each gets a 4xx with
 * a message or a harmless answer, never a 500; nothing is stored that should not be; markup comes
 * back escaped; the app works normally after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS, startTestApp, type TestApp } from './support/app-harness.js';
import { rawExchange, rawSignIn, type RawSession } from '../tools/raw-http.js';
import { TEST_USERS } from './support/users.js';

const ORG = DEMO_ORGANIZATION_IDS.expiresSoon;
let t: TestApp;
let support: RawSession;
beforeAll(async () => {
  t = await startTestApp();
  support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
});
afterAll(async () => {
  await t.close();
});

const post = (path: string, form: string, cookie = '') =>
  rawExchange(t.url, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(form)}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}`, Buffer.from(form));
const contacts = () => t.database.db.selectFrom('reminder_contacts').selectAll().execute();

describe('hostile reminder contact forms', () => {
  const bad = [
    ['a repeated e-mail', 'email=a%40example.test&email=b%40example.test&language=es'],
    ['an e-mail array', 'email[]=a%40example.test&language=es'],
    ['CRLF and a header', 'email=a%40example.test%0D%0ABcc%3A%20evil%40example.test&language=es'],
    ['a NUL', 'email=a%00%40example.test&language=es'],
    ['a control character', 'email=a%40exa%1Bmple.test&language=es'],
    ['markup', 'email=%3Cscript%3Ealert(1)%3C%2Fscript%3E%40example.test&language=es'],
    ['an unknown language', 'email=a%40example.test&language=fr'],
    ['300 characters', `email=${'x'.repeat(300)}%40example.test&language=es`],
    ['bad percent-encoding', 'email=%E0%A4%A&language=es'],
  ] as const;
  it.each(bad)('when the form carries %s, then a 4xx with a message, no 500, and no contact stored', async (_name, form) => {
    const res = await post(`/organizations/${ORG}/reminder-contact`, `_csrf=${encodeURIComponent(support.csrf)}&${form}`, support.cookie);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toContain('<script>alert(1)');
    expect(await contacts()).toEqual([]);
  });

  it('when posted cross-site without the token, or to a malformed organization id, then 403 / 404 and nothing is stored', async () => {
    expect((await post(`/organizations/${ORG}/reminder-contact`, 'email=a%40example.test', support.cookie)).status).toBe(403);
    expect((await post(`/organizations/${ORG}/reminder-contact/remove`, '', support.cookie)).status).toBe(403);
    for (const id of ['not-an-id', '..%2F..%2Fpeople', `${'f'.repeat(24)}%00`]) {
      const res = await post(`/organizations/${id}/reminder-contact`, `_csrf=${encodeURIComponent(support.csrf)}&email=a%40example.test`, support.cookie);
      expect([400, 404], id).toContain(res.status);
    }
    expect(await contacts()).toEqual([]);
    // The app still works: a good address is stored.
    const ok = await post(`/organizations/${ORG}/reminder-contact`, `_csrf=${encodeURIComponent(support.csrf)}&email=bien%40example.test&language=en`, support.cookie);
    expect(ok.status).toBe(303);
    expect((await contacts()).map((c) => [c.email, c.language])).toEqual([['bien@example.test', 'en']]);
  });
});

describe('hostile upload request forms (the page that shows the link once)', () => {
  it('when the address is markup, repeated or an array, then a 4xx without a request; a good one shows the link once, escaped, never a 500', async () => {
    const forms = ['email=a%00%40example.test', 'email=a%40exa%01mple.test', 'email=a%40example.test&email=b%40example.test', 'email[]=a%40example.test', 'email=%22%3E%3Cimg%20src%3Dx%3E%40example.test', 'email=a%40example.test&language=xx'];
    for (const form of forms) {
      const res = await post(`/organizations/${ORG}/upload-requests`, `_csrf=${encodeURIComponent(support.csrf)}&${form}`, support.cookie);
      expect(res.status, form).toBeGreaterThanOrEqual(400);
      expect(res.status, form).toBeLessThan(500);
      expect(res.body).not.toContain('<img src=x>');
    }
    expect(await t.database.db.selectFrom('upload_requests').selectAll().execute()).toEqual([]);
    const ok = await post(`/organizations/${ORG}/upload-requests`, `_csrf=${encodeURIComponent(support.csrf)}&email=cliente%40example.test`, support.cookie);
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body.match(/\/upload-requests\/[A-Za-z0-9_-]{43}/g)).toHaveLength(1);
  });
});
