/**
 * Hostile corpus for a reminder contact's unsubscribe link (issue 12, part 3): forged, malformed,
 * oversized and odd-byte tokens, wrong signatures on a well-formed token, an account admin's token
 * in the contact's path, signed tokens whose address is markup or not UTF-8, and the confirming
 * form posted cross-site. Each gets a 4xx with a message, never a 500; the contact stays; markup
 * is escaped; the app works normally after. Raw sockets where a well-behaved client could not
 * send the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeTokens } from '../src/reminders/unsubscribe-token.js';
import { DEMO_ORGANIZATION_IDS, startTestApp, TEST_SESSION_SECRET, type TestApp } from './support/app-harness.js';
import { rawExchange } from '../tools/raw-http.js';

const ORG = DEMO_ORGANIZATION_IDS.expiresSoon;
const CONTACT = 'contacto@cliente.example';
const tokens = unsubscribeTokens(TEST_SESSION_SECRET);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  const support = await t.signIn('support');
  const saved = await support.agent.post(`/organizations/${ORG}/reminder-contact`).type('form').send({ _csrf: support.csrf, email: CONTACT, language: 'es' });
  expect(saved.status).toBe(303);
});
afterAll(async () => {
  await t.close();
});

const get = (path: string, cookie = '') => rawExchange(t.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}`);
const post = (path: string, form: string, cookie = '') =>
  rawExchange(t.url, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(form)}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}`, Buffer.from(form));
const sessionCookie = (headers: Record<string, string>) => (headers['set-cookie'] ?? '').split(';')[0] ?? '';

const contacts = async () => (await t.database.db.selectFrom('reminder_contacts').select(['organization_id', 'email']).execute());
const removals = async () => (await t.database.db.selectFrom('audit_events').select('id').where('action', '=', 'reminder_contact.removed').execute());

/** Opens the link; when it redirects, the page it leads to, with its session. */
async function open(token: string) {
  const opened = await get(`/reminders/contact-unsubscribe/${token}`);
  if (opened.status !== 303) return { opened, page: null };
  return { opened, page: await get('/reminders/contact-unsubscribe', sessionCookie(opened.headers)) };
}

describe('hostile contact unsubscribe links', () => {
  const good = tokens.issueForContact(ORG, CONTACT);
  const [org, email, mac] = good.split('.') as [string, string, string];
  const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
  const forged = [
    ['garbage', 'not-a-token'],
    ['8 KB', 'x'.repeat(8_000)],
    ['a well-formed token longer than any address allows', `${org}.${'A'.repeat(2_000)}.${mac}`],
    ['a wrong signature (one character)', `${org}.${email}.${flipped}`],
    ['a wrong signature (all A)', `${org}.${email}.${'A'.repeat(43)}`],
    ['an empty signature', `${org}.${email}.`],
    ['an extra segment', `${good}.x`],
    ['an upper-case organization id', `${org.toUpperCase()}.${email}.${mac}`],
    ['padding in the address', `${org}.${email}==.${mac}`],
    ['encoded slashes and NUL', `${org}.${email}%2F..%2F..%00.${mac}`],
    ['non-ASCII', `${org}.%C3%B1and%C3%BA.%F0%9F%98%80`],
    ['bad percent-encoding', `${org}.%E0%A4%A.${mac}`],
    ["an account admin's token", tokens.issue('0f8fad5b-d9cb-469f-a165-70867728950e')],
    ['markup', `${org}.${Buffer.from('<script>alert(1)</script>').toString('base64url')}.${mac}`],
  ] as const;
  it.each(forged)('when the link is %s, then it opens nothing (303, then a 404 page with a message, or a 4xx) and never a 500', async (_name, token) => {
    const { opened, page } = await open(token);
    expect([303, 400, 404, 414, 431]).toContain(opened.status);
    if (page) {
      expect(page.status).toBe(404);
      expect(page.body).toContain('Este enlace para dejar de recibir avisos no es válido.');
      expect(page.body).not.toContain('<script>alert(1)');
      expect(page.body).not.toContain('action="/reminders/contact-unsubscribe"');
    }
    expect(await contacts()).toEqual([{ organization_id: ORG, email: CONTACT }]);
  });

  // Signed by us (the test knows the secret) but for what no contact is: still no 500, nothing changes, markup escaped.
  const signed = [
    ['an address that is markup', ORG, '<img src=x onerror=alert(1)>@cliente.example'],
    ['an address with odd bytes (NUL, U+FFFE, no @ before them)', ORG, '\u0000\uFFFE\u00FF@\r\n'],
    ['an organization that does not exist', 'ffffffffffffffffffffffff', CONTACT],
    ['another organization', DEMO_ORGANIZATION_IDS.validForYears, CONTACT],
  ] as const;
  it.each(signed)('when a signed link names %s, then the page says it is not the contact (410) and escapes it', async (_name, organizationId, address) => {
    const { opened, page } = await open(tokens.issueForContact(organizationId, address));
    expect(opened.status).toBe(303);
    expect(page!.status).toBe(410);
    expect(page!.body).toContain('que ya no es el contacto para avisos de esta organización: no cambió nada.');
    expect(page!.body).not.toContain('<img src=x');
    expect(await contacts()).toEqual([{ organization_id: ORG, email: CONTACT }]);
  });

  it('when the confirming form is posted cross-site, without a token, with a forged one or with a session but no token, then 403 or 404 and the contact stays', async () => {
    for (const form of ['', '_csrf=forged', `_csrf=${'f'.repeat(43)}`, 'a=1&a=2&_csrf[]=x', `_csrf=${'%00'.repeat(100)}`]) {
      const res = await post('/reminders/contact-unsubscribe', form);
      expect([403, 404], form).toContain(res.status);
    }
    const opened = await get(`/reminders/contact-unsubscribe/${good}`);
    const withSession = await post('/reminders/contact-unsubscribe', '_csrf=forged', sessionCookie(opened.headers));
    expect(withSession.status).toBe(403);
    expect(await contacts()).toEqual([{ organization_id: ORG, email: CONTACT }]);
    expect(await removals()).toEqual([]);
    // The app works normally after: the real link still opens the confirmation.
    const page = await get('/reminders/contact-unsubscribe', sessionCookie(opened.headers));
    expect(page.status).toBe(200);
    expect(page.body).toContain(CONTACT);
    expect(page.body).not.toContain(mac);
    expect(t.logs.text).not.toContain(mac);
  });
});
