/**
 * Hostile corpus, the organization pickers and names (issue 11): whatever is typed in a picker's
 * search (`orgq` on /people and /audit, `q` on /organizations/options) or sent as an invitation's
 * organization, the answer is a page or JSON with a 2xx/4xx, never a 500; what was typed is
 * escaped wherever it is shown back; Facturapi receives at most one bounded `q`; and nothing is
 * created for an organization that is not Facturapi's. Raw sockets: clients normalise some of
 * these query strings before sending them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { httpRequest, rawExchange, rawSignIn, type RawSession } from '../tools/raw-http.js';
import { TEST_USERS } from './support/users.js';

let t: TestApp;
let support: RawSession;
let admin: RawSession;

const get = (path: string, session: RawSession) =>
  rawExchange(t.url, [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Cookie: ${session.cookie}`, 'Accept: text/html', 'Connection: close'].join('\r\n'));

const SEARCHES: [string, string][] = [
  ['a script tag', encodeURIComponent('<script>alert(1)</script>')],
  ['a quote that would close an attribute', encodeURIComponent('" autofocus onfocus="alert(1)')],
  ['a very long text', 'a'.repeat(5000)],
  ['the same parameter twice', 'kemper&orgq=dulces&q=dulces'],
  ['an array', 'x&orgq[]=y&q[]=y'],
  ['a NUL byte', '%00'],
  ['a broken percent escape', '%E0%A4%A'],
  ['regular-expression and SQL metacharacters', encodeURIComponent(".*(' OR 1=1 --")],
  ['only spaces', '%20%20%20'],
];

beforeAll(async () => {
  t = await startTestApp();
  support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
  admin = await rawSignIn(t.url, TEST_USERS.admin.email, TEST_USERS.admin.password);
});
afterAll(async () => {
  await t?.close();
});

describe('picker searches', () => {
  it.each(SEARCHES)('when the search is %s, then People, the audit trail and the options answer without error and escape it', async (_name, value) => {
    for (const path of [`/people?orgq=${value}`, `/audit?orgq=${value}`, `/organizations/options?q=${value}`]) {
      const res = await get(path, support);
      expect(res.status, path).toBeLessThan(500);
      expect(res.status, path).toBe(200);
      expect(res.body).not.toContain('<script>alert(1)</script>');
      expect(res.body).not.toContain('" autofocus onfocus="alert(1)');
    }
    // Every search Facturapi saw had one q of at most 100 characters.
    for (const r of t.emulator.received.filter((r) => r.path === '/v2/organizations' && 'q' in r.query)) {
      expect(typeof r.query.q).toBe('string');
      expect(r.query.q!.length).toBeLessThanOrEqual(100);
    }
  });

  it('when an account admin sends a search to the audit trail, then no search goes to Facturapi (they choose among their own)', async () => {
    const before = t.emulator.received.filter((r) => r.path === '/v2/organizations').length;
    const res = await get('/audit?orgq=a', admin);
    expect(res.status).toBe(200);
    expect(t.emulator.received.filter((r) => r.path === '/v2/organizations').length).toBe(before);
  });
});

describe('invitations with a hostile organization', () => {
  const ORGS: [string, string][] = [
    ['an id that is not Facturapi’s', 'ffffffffffffffffffffffff'],
    ['an id of another shape', '../../organizations'],
    ['an upper-case id', '65A1C0DE0000000000000001'],
    ['an array', 'x&organizationId=65a1c0de0000000000000001'],
    ['nothing', ''],
  ];
  it.each(ORGS)('when the organization is %s, then the invitation is refused with a 4xx and nobody is created', async (_name, organization) => {
    const email = `hostil-${Math.random().toString(36).slice(2)}@example.test`;
    const form = `_csrf=${encodeURIComponent(support.csrf)}&email=${encodeURIComponent(email)}&name=Hostil&organizationId=${organization}`;
    const res = await httpRequest(`${t.url}/people/invite`, {
      method: 'POST',
      headers: { Cookie: support.cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) },
      body: form,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toContain('/account/set-password/');
    const people = await get('/people', support);
    expect(people.body).not.toContain(email);
  });
});
