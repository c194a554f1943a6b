import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const USER = '00000000-0000-4000-8000-000000000000';
const fx = standardFixtures(FIXTURE_REFERENCE_DATE);

let t: TestApp;
let support: SignedIn;
beforeAll(async () => {
  t = await startTestApp();
  support = await t.signIn('support');
});
afterAll(async () => {
  await t.close();
});

const formRoutes: [string, Record<string, string>][] = [
  ['/logout', {}],
  ['/people/invite', { email: 'nuevo@example.test', name: 'Nuevo', organizationId: ORG }],
  [`/people/${USER}/memberships`, { organizationId: ORG }],
  [`/people/${USER}/memberships/remove`, { organizationId: ORG }],
  [`/people/${USER}/disable`, {}],
  [`/people/${USER}/enable`, {}],
  [`/people/${USER}/reset`, {}],
];

describe('CSRF', () => {
  it.each(formRoutes)('when %s is posted without a token, then it is 403 with a page that explains the form expired', async (path, body) => {
    const res = await support.agent.post(path).type('form').send(body);
    expect(res.status).toBe(403);
    expect(res.text).toContain('El formulario expiró o no es válido');
  });

  it.each(formRoutes)('when %s is posted with a wrong token, then it is 403', async (path, body) => {
    const res = await support.agent.post(path).type('form').send({ ...body, _csrf: `${support.csrf.slice(0, -2)}xx` });
    expect(res.status).toBe(403);
  });

  it('when the multipart upload carries no token, then it is 403 and nothing is sent', async () => {
    const res = await postUpload(support, ORG, { ...fx.validCsd, csrf: null });
    expect(res.status).toBe(403);
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('when the multipart upload carries another session\u2019s token, then it is 403', async () => {
    const other = await t.signIn('admin');
    const res = await postUpload(support, ORG, { ...fx.validCsd, csrf: other.csrf });
    expect(res.status).toBe(403);
  });

  it('when the login form is posted without a token, then it is 403', async () => {
    const res = await request(t.url).post('/login').type('form').send({ email: 'soporte@example.test', password: 'support-pass-phrase-42' });
    expect(res.status).toBe(403);
  });

  it('when the CSRF token is refused, then the attempt is audited without the token', async () => {
    const { rows } = await t.audit.query({ action: 'access.denied', page: 1, pageSize: 100 });
    const csrfRows = rows.filter((r) => r.detail?.reason === 'csrf');
    expect(csrfRows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(support.csrf);
  });
});

describe('security headers', () => {
  const pages = ['/login', '/organizations', `/organizations/${ORG}`, '/people', '/does-not-exist'];
  it.each(pages)('when %s is served, then it has a strict CSP, no framing and no referrer', async (path) => {
    const res = await support.agent.get(path);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // Plain-HTTP deployment (127.0.0.1): no upgrade-insecure-requests (docs/stack.md pitfall 12).
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('when pages are rendered, then they contain no inline script or style', async () => {
    for (const path of pages) {
      const html = (await support.agent.get(path)).text;
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle="/);
    }
  });
});
