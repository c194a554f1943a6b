/**
 * The error pages through HTTP: 403, 404, 413, 429 and 500 each render the site's page in the
 * person's language, with a title for the status, a way back, and for a 500 the reference id that
 * matches the log line, never a stack.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { csrfFrom, startTestApp, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';

const LANGS = {
  es: { accept: 'es-MX,es;q=0.9', titles: { 403: 'No tienes acceso', 404: 'Página no encontrada', 413: 'Envío demasiado grande', 429: 'Demasiados intentos', 500: 'Algo salió mal' }, back: 'Volver al inicio', reference: 'Referencia' },
  en: { accept: 'en-US,en;q=0.9', titles: { 403: 'No access', 404: 'Page not found', 413: 'Upload too large', 429: 'Too many attempts', 500: 'Something went wrong' }, back: 'Back to the start', reference: 'Reference' },
} as const;
type Status = keyof (typeof LANGS)['es']['titles'];

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The checks every error page passes: status, language, title, a link home, no stack. */
function expectErrorPage(res: { status: number; text: string; headers: Record<string, string> }, status: Status, lang: keyof typeof LANGS) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/text\/html/);
  expect(res.text).toContain(`<html lang="${lang}">`);
  expect(res.text).toContain(`data-status="${status}"`);
  expect(res.text).toMatch(new RegExp(`<h1 id="error-title">${LANGS[lang].titles[status]} `));
  expect(res.text).toMatch(new RegExp(`<a class="button button-primary" href="/">${LANGS[lang].back}</a>`));
  expect(res.text).toContain('href="/public/app.css"'); // the same stylesheet as every page
  expect(res.text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack frames
}

describe.each(['es', 'en'] as const)('error pages in %s', (lang) => {
  const accept = { 'Accept-Language': LANGS[lang].accept, Accept: 'text/html' };

  it('when an account admin opens another organization, then the 403 page says there is no access', async () => {
    t = await startTestApp();
    const admin = await t.signIn('admin');
    const res = await admin.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.expiresIn45Days}`).set(accept);
    expectErrorPage(res, 403, lang);
  });

  it('when a page does not exist, then the 404 page says so and keeps the header', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const res = await support.agent.get('/no-such-page').set(accept);
    expectErrorPage(res, 404, lang);
    expect(res.text).toContain('id="current-user"');
  });

  it('when a form body is too large, then the 413 page explains it', async () => {
    t = await startTestApp();
    const res = await fetch(`${t.url}/login`, {
      method: 'POST',
      headers: { ...accept, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'a@b.c', password: 'p'.repeat(200 * 1024) }),
    });
    const text = await res.text();
    expectErrorPage({ status: res.status, text, headers: Object.fromEntries(res.headers) }, 413, lang);
    expect(text).toContain(lang === 'es' ? 'más grande de lo que este formulario acepta' : 'larger than this form accepts');
  });

  it('when sign-in failures for one e-mail go over the limit, then the 429 page says when to try again', async () => {
    // Upload limits answer on the organization page instead (test/upload-limits.test.ts).
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: '1', TRUST_PROXY_HOPS: '1' } });
    const agent = request.agent(t.url);
    const from = { ...accept, 'X-Forwarded-For': '203.0.113.9' };
    const login = async () => {
      const csrf = csrfFrom((await agent.get('/login').set(from)).text);
      return agent.post('/login').set(from).type('form').send({ _csrf: csrf, email: 'admin@example.test', password: 'wrong-password-1' });
    };
    expect((await login()).status).toBe(401);
    const res = await login();
    expectErrorPage(res, 429, lang);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('when something unexpected fails, then the 500 page shows the logged reference and nothing of the error', async () => {
    const secret = 'internal detail that must not leak';
    t = await startTestApp({
      wrapFacturapi: (client) => ({
        ...client,
        getOrganization: () => Promise.reject(new Error(secret)),
      }),
    });
    const support = await t.signIn('support');
    const res = await support.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`).set(accept);
    expectErrorPage(res, 500, lang);
    expect(res.text).not.toContain(secret);
    const requestId = /data-request-id="([^"]+)"/.exec(res.text)?.[1];
    expect(requestId).toBeTruthy();
    expect(res.text).toContain(`${LANGS[lang].reference}: ${requestId}`);
    const logLine = t.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'request failed');
    expect(logLine?.['requestId']).toBe(requestId);
    expect(JSON.stringify(logLine)).toContain(secret); // the log keeps what the page hides
  });
});

describe('language switch links', () => {
  it('when a page has a query, then the switch keeps the page and its query', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const res = await support.agent.get('/organizations?q=caf').set({ 'Accept-Language': 'es' });
    expect(res.text).toContain('href="/organizations?q=caf&amp;lang=en"');
  });

  it('when a failed upload re-renders the form, then the switch goes back to the organization page', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const page = await support.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`);
    const res = await postUpload({ agent: support.agent, csrf: csrfFrom(page.text) }, DEMO_ORGANIZATION_IDS.noCertificate, { cer: Buffer.from('x'), key: Buffer.from('y'), password: 'p' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`href="/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}?lang=en"`);
  });
});
