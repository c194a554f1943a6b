/**
 * Hostile corpus, the language plumbing (issue 9, items 12 and 15):
 *
 * - a malformed `lang` cookie (`%E0%A4%A` and friends) is ignored: every page still renders, in
 *   the language the browser asks for or the default, never a 500;
 * - the language switch (`?lang=en` on any GET, and the switch links on every page) only ever
 *   leads to a path of this site, whatever the request path looks like (`/.//evil.com`,
 *   `/\evil.com`, encoded slashes, tabs…): never to `//evil.com`.
 *
 * Raw sockets: HTTP clients normalise or refuse most of these paths before sending them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { rawExchange, rawSignIn, type RawResponse, type RawSession } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';
import { TEST_USERS } from './support/users.js';

let t: TestApp;
let support: RawSession;

const get = (path: string, headers: string[] = []) => rawExchange(t.url, [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers].join('\r\n'));

// ---- item 12: malformed language cookies ---------------------------------------------------

const BAD_COOKIES: [string, string][] = [
  ['a truncated percent escape (the issue)', 'lang=%E0%A4%A'],
  ['a lone percent sign', 'lang=%'],
  ['a percent escape that is not hex', 'lang=%zz'],
  ['an overlong UTF-8 encoding', 'lang=%C0%AF'],
  ['a lone surrogate', 'lang=%ED%A0%80'],
  ['a broken value before a good one', 'lang=%E0%A4%A; lang=en'],
  ['a broken value among other cookies', 'a=1; lang=%E0%A4%A; b=%'],
  ['an unknown language', 'lang=fr'],
  ['a very long value', `lang=${'%E0'.repeat(1000)}`],
  ['a quoted broken value', 'lang="%E0%A4%A"'],
  ['no equals sign at all', 'lang'],
];

/** Pages a visitor or a signed-in person opens, with the status each normally has. */
const PAGES = (): { name: string; path: string; session: () => RawSession | null; status: number }[] => [
  { name: 'the login page', path: '/login', session: () => null, status: 200 },
  { name: 'a one-time link page without a link', path: '/account/set-password', session: () => null, status: 410 },
  { name: 'the organization list', path: '/organizations', session: () => support, status: 200 },
  { name: 'an organization page', path: `/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`, session: () => support, status: 200 },
  { name: 'a page that does not exist', path: '/no-such-page', session: () => support, status: 404 },
];

const cookieCases = () =>
  BAD_COOKIES.flatMap(([cookieName, cookie]) =>
    PAGES().map((page) => ({
      name: `${page.name} with ${cookieName} renders in Spanish`,
      send: () => {
        const session = page.session();
        return get(page.path, [`Cookie: ${session ? `${session.cookie}; ` : ''}${cookie}`, 'Accept: text/html']);
      },
      status: page.status,
    })),
  );

// ---- item 15: the language switch on hostile paths -----------------------------------------

const NASTY_PATHS = [
  '/.//evil.com',
  '//evil.com',
  '///evil.com',
  '/\\evil.com',
  '/\\/evil.com',
  '/./\\evil.com',
  '/..//evil.com',
  '/../..//evil.com',
  '/%2F%2Fevil.com',
  '/%2F/evil.com',
  '/%5C%5Cevil.com',
  '/.%2F/evil.com',
  '/%2e//evil.com',
  '/%09/evil.com',
  '/%0A/evil.com',
  '/\t/evil.com',
  '/.//evil.com/login',
  '/.//evil.com:80@127.0.0.1/',
  '/login/..//evil.com',
];

const base = () => new URL(t.url);
/** A Location or href that stays on this site: a path, resolving to our own origin. */
const sameOriginPath = (target: string) => /^\/(?![/\\])/.test(target) && !/[\t\n\r]/.test(target) && new URL(target, base()).origin === base().origin;

describe('when requests carry hostile language cookies and paths', () => {
  const cookieResults = new Map<string, RawResponse>();
  const switchResults = new Map<string, RawResponse>();
  const pageResults = new Map<string, RawResponse>();

  beforeAll(async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
    support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
    for (const c of cookieCases()) cookieResults.set(c.name, await c.send());
    for (const path of NASTY_PATHS) {
      const glue = path.includes('?') ? '&' : '?';
      switchResults.set(path, await get(`${path}${glue}lang=en`, [`Cookie: ${support.cookie}`]));
      pageResults.set(path, await get(path, [`Cookie: ${support.cookie}`, 'Accept: text/html']));
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('then the corpus has every case', () => {
    expect(cookieCases().length).toBe(BAD_COOKIES.length * PAGES().length);
    expect(new Set(cookieCases().map((c) => c.name)).size).toBe(cookieCases().length);
  });

  describe('a malformed lang cookie is ignored', () => {
    it.each(cookieCases().map((c) => [c.name, c.status] as const))('%s', (name, status) => {
      const res = cookieResults.get(name)!;
      expect({ status: res.status, language: res.headers['content-language'] }).toEqual({ status, language: 'es' });
      expect(res.body).toContain('<html lang="es">');
    });

    it('then a well-formed lang cookie is still honoured', async () => {
      expect((await get('/login', ['Cookie: lang=en'])).headers['content-language']).toBe('en');
    });

    it("then a malformed cookie falls back to the browser's language", async () => {
      const res = await get('/login', ['Cookie: lang=%E0%A4%A', 'Accept-Language: en-US,en;q=0.9']);
      expect({ status: res.status, language: res.headers['content-language'] }).toEqual({ status: 200, language: 'en' });
    });
  });

  describe('the language switch stays on this site', () => {
    it.each(NASTY_PATHS.map((p) => [JSON.stringify(p)] as const))('?lang=en on %s redirects to a path of this site (or is refused)', (quoted) => {
      const res = switchResults.get(JSON.parse(quoted) as string)!;
      expect(res.status).not.toBeGreaterThanOrEqual(500);
      if (res.status === 400) return; // Node's parser refuses some raw bytes: no redirect at all.
      expect(res.status).toBe(303);
      expect({ location: res.headers.location, sameOrigin: sameOriginPath(res.headers.location ?? '') }).toEqual({ location: res.headers.location, sameOrigin: true });
      expect(res.headers['set-cookie']).toMatch(/^lang=en;/);
    });

    it.each(NASTY_PATHS.map((p) => [JSON.stringify(p)] as const))('the switch links on the page at %s point to this site', (quoted) => {
      const res = pageResults.get(JSON.parse(quoted) as string)!;
      expect(res.status).not.toBeGreaterThanOrEqual(500);
      const links = [...res.body.matchAll(/href="([^"]*lang=(?:es|en)[^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
      if (res.status === 400) return;
      expect(links.length).toBeGreaterThan(0);
      expect(links.filter((href) => !sameOriginPath(href))).toEqual([]);
    });

    it('then ordinary paths keep their path and other query parameters', async () => {
      const res = await get('/organizations?q=caf&lang=en', [`Cookie: ${support.cookie}`]);
      expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: '/organizations?q=caf' });
    });
  });
});
