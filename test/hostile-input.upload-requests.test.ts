/**
 * Hostile corpus, upload requests (issue 12, part 4): forged, short, long and oddly encoded tokens
 * get the dead-link page (or a plain 4xx), never a 500 and never another page; cross-site posts
 * without the form's CSRF pair are refused before anything is inspected or sent; support's
 * create and revoke forms need their session token; a request is revoked only through its own
 * organization; link openings share the one-time links' per-client limit. Through HTTP (raw
 * sockets where the path must reach the server as written) against the real app.
 */
import http from 'node:http';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { httpRequest, multipartBody, rawExchange } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const OTHER_ORG = DEMO_ORGANIZATION_IDS.validForYears;

let fx: StandardFixtures;
let t: TestApp | undefined;
let sink: SmtpSink | undefined;
beforeAll(() => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
});
afterEach(async () => {
  await t?.close();
  await sink?.close();
  t = undefined;
  sink = undefined;
});

const cookiesOf = (res: { headers: http.IncomingHttpHeaders }) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ');
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const puts = (app: TestApp) => app.emulator.received.filter((r) => r.method === 'PUT');

async function start(env: Record<string, string> = {}): Promise<{ app: TestApp; support: SignedIn }> {
  sink = await startSmtpSink();
  t = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>', ...env } });
  return { app: t, support: await t.signIn('support') };
}

async function sendRequest(support: SignedIn, organizationId = ORG): Promise<{ token: string; path: string }> {
  const res = await support.agent.post(`/organizations/${organizationId}/upload-requests`).type('form').send({ _csrf: support.csrf, email: 'cliente@example.test' });
  expect(res.status).toBe(200);
  const [mail] = await sink!.waitFor(1);
  const token = /\/upload-requests\/([A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
  return { token, path: `/upload-requests/${token}` };
}

function uploadParts(csrf: string | null) {
  const boundary = 'hostileBoundaryUploadRequest42';
  const parts = [
    ...(csrf === null ? [] : [{ name: '_csrf', data: csrf }]),
    { name: 'cer', data: fx.validCsd.cer, filename: 'CSD.cer', contentType: 'application/x-x509-ca-cert' },
    { name: 'key', data: fx.validCsd.key, filename: 'CSD.key', contentType: 'application/octet-stream' },
    { name: 'password', data: fx.validCsd.password },
  ];
  return { body: multipartBody(boundary, parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('when forged, short, long or oddly encoded tokens are tried', () => {
  it('then each gets the dead-link page or a plain 4xx, never a 500, a form or a database write', async () => {
    const { app, support } = await start();
    const { token } = await sendRequest(support);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const candidates = [
      'x', 'A'.repeat(42), 'A'.repeat(44), flipped, token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(),
      `${token}%00`, `${token}%2F..`, '%2e%2e%2Forganizations', encodeURIComponent('<script>alert(1)</script>'),
      '%F0%9F%92%A5'.repeat(12), 'A'.repeat(4_000), `${'Z'.repeat(43)}`,
    ];
    const statuses: Record<string, number> = {};
    for (const candidate of candidates) {
      const path = `/upload-requests/${candidate}`;
      const res = await rawExchange(app.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1`);
      statuses[candidate.slice(0, 20)] = res.status;
      expect(res.status, candidate).toBeGreaterThanOrEqual(400);
      expect(res.status, candidate).toBeLessThan(500);
      expect(res.body).not.toContain('data-upload-form');
      expect(res.body).not.toContain('<script>alert(1)</script>');
    }
    console.log('forged token statuses', statuses);
    // The real request was never opened by any of them.
    const row = await app.database.db.selectFrom('upload_requests').selectAll().executeTakeFirstOrThrow();
    expect(row.opened_at).toBeNull();
    expect(app.logs.text).not.toContain(token);
    // And the real link still works.
    expect((await request(app.url).get(`/upload-requests/${token}`)).status).toBe(200);
  });

  it('then a post to a forged token is refused (410) before its body is inspected or anything is sent', async () => {
    const { app } = await start();
    const { body, contentType } = uploadParts('whatever');
    const res = await httpRequest(`${app.url}/upload-requests/${'Q'.repeat(43)}`, { method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': body.length }, body });
    expect(res.status).toBe(410);
    expect(puts(app)).toHaveLength(0);
    const uploads = await app.database.db.selectFrom('audit_events').select('action').where('action', '=', 'certificate.upload').execute();
    expect(uploads).toHaveLength(0);
  });
});

describe('when a cross-site page posts to a real link without the form\'s CSRF pair', () => {
  it('then it is refused (403) and nothing is inspected or sent; the link still works', async () => {
    const { app, support } = await start();
    const { path } = await sendRequest(support);
    const page = await httpRequest(`${app.url}${path}`, {});
    const cookie = cookiesOf(page);
    const csrf = csrfOf(page.body);
    expect(csrf).not.toBe('');
    const attempts: [string, string | null, string | undefined][] = [
      ['no token, no cookie', null, undefined],
      ['the page\'s token without its cookie', csrf, undefined],
      ['no token with the cookie', null, cookie],
      ['a forged token with the cookie', `${csrf.slice(0, -4)}AAAA`, cookie],
    ];
    for (const [label, token, withCookie] of attempts) {
      const { body, contentType } = uploadParts(token);
      const res = await httpRequest(`${app.url}${path}`, {
        method: 'POST', body,
        headers: { 'Content-Type': contentType, 'Content-Length': body.length, Origin: 'https://evil.example', ...(withCookie ? { Cookie: withCookie } : {}) },
      });
      expect(res.status, label).toBe(403);
    }
    expect(puts(app)).toHaveLength(0);
    // With the pair, the same post goes through: the refusals were the CSRF check's.
    const { body, contentType } = uploadParts(csrf);
    const ok = await httpRequest(`${app.url}${path}`, { method: 'POST', body, headers: { 'Content-Type': contentType, 'Content-Length': body.length, Cookie: cookie } });
    expect(ok.status).toBe(303);
    expect(puts(app)).toHaveLength(1);
  });

  it('then support\'s create and revoke forms without the session token change nothing', async () => {
    const { app, support } = await start();
    const created = await support.agent.post(`/organizations/${ORG}/upload-requests`).type('form').send({ email: 'x@example.test' });
    expect(created.status).toBe(403);
    expect(await app.database.db.selectFrom('upload_requests').selectAll().execute()).toHaveLength(0);
    await sendRequest(support);
    const row = await app.database.db.selectFrom('upload_requests').selectAll().executeTakeFirstOrThrow();
    const revoked = await support.agent.post(`/organizations/${ORG}/upload-requests/${row.id}/revoke`).type('form').send({});
    expect(revoked.status).toBe(403);
    // Through another organization's address, with the token: not this organization's request.
    const elsewhere = await support.agent.post(`/organizations/${OTHER_ORG}/upload-requests/${row.id}/revoke`).type('form').send({ _csrf: support.csrf });
    expect(elsewhere.status).toBe(303);
    const badId = await support.agent.post(`/organizations/${ORG}/upload-requests/not-a-uuid/revoke`).type('form').send({ _csrf: support.csrf });
    expect(badId.status).toBe(404);
    const after = await app.database.db.selectFrom('upload_requests').selectAll().executeTakeFirstOrThrow();
    expect(after.revoked_at).toBeNull();
    // Bad e-mail addresses and an unknown credential: a message and a 4xx, no row, no mail.
    for (const email of ['', 'no-at-sign', 'a@b', `${'x'.repeat(300)}@example.test`, 'a@example.test\r\nBcc: evil@example.test']) {
      const res = await support.agent.post(`/organizations/${ORG}/upload-requests`).type('form').send({ _csrf: support.csrf, email });
      expect(res.status, email).toBe(400);
    }
    const unknown = await support.agent.post(`/organizations/${ORG}/upload-requests`).type('form').send({ _csrf: support.csrf, email: 'y@example.test', credential: 'pfx' });
    expect(unknown.status).toBe(400);
    expect(await app.database.db.selectFrom('upload_requests').selectAll().execute()).toHaveLength(1);
  });
});

describe('when one client keeps opening links', () => {
  it('then the openings share the one-time links\' per-client limit (429)', async () => {
    const { app } = await start({ LOGIN_MAX_ATTEMPTS_PER_IP: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await request(app.url).get(`/upload-requests/${'R'.repeat(43)}`)).status);
    expect(statuses.slice(0, 5).every((s) => s === 410)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
