/**
 * Hostile corpus, issue 9 item 16: a cross-site upload. A page elsewhere makes a signed-in
 * person's browser post a broken upload form (missing files, a file too large, stray fields…)
 * without the CSRF token, or with a wrong one. Nothing may happen but the 403: no upload event
 * in the person's name, no Facturapi request (not even the read that re-renders the page), no
 * organization page. The only trace allowed is the usual CSRF refusal. A body too large to be
 * read at all gets its 413 and nothing else. Raw sockets, against the real app and emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { multipartBody, rawExchange, rawSignIn, type Part, type RawResponse, type RawSession } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';
import { TEST_USERS } from './support/users.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate; // the victim (an account admin) is a member
const B = 'crossSiteBoundary9';
const M = {
  csrf: /El formulario expiró o no es válido/,
  bodyTooLarge: /El envío es demasiado grande/,
};

let t: TestApp;
let victim: RawSession;
let other: RawSession;
let fx: StandardFixtures;

type Csrf = 'none' | 'forged' | 'other-session' | 'forged-after-files';

/** A broken upload form posted with the victim's cookie, as a cross-site page would make the browser do. */
function crossSite(parts: () => Part[], csrf: Csrf, options: { contentType?: string; length?: number; unterminated?: boolean } = {}): () => Promise<RawResponse> {
  return () => {
    const token = csrf === 'forged' || csrf === 'forged-after-files' ? 'f'.repeat(64) : csrf === 'other-session' ? other.csrf : victim.csrf;
    const form = parts();
    const withToken = csrf === 'none' ? form : csrf === 'forged-after-files' ? [...form, { name: '_csrf', data: token }] : [{ name: '_csrf', data: token }, ...form];
    const body = multipartBody(B, withToken, { unterminated: options.unterminated });
    const head = [
      `POST /organizations/${ORG}/certificate HTTP/1.1`,
      'Host: 127.0.0.1',
      'Origin: https://evil.example',
      `Cookie: ${victim.cookie}`,
      `Content-Type: ${options.contentType ?? `multipart/form-data; boundary=${B}`}`,
      `Content-Length: ${options.length ?? body.length}`,
    ].join('\r\n');
    return rawExchange(t.url, head, options.length ? body.subarray(0, 64) : body);
  };
}

const cer = (data = fx.validCsd.cer, filename = 'CSD.cer'): Part => ({ name: 'cer', data, filename, contentType: 'application/x-x509-ca-cert' });
const key = (data = fx.validCsd.key): Part => ({ name: 'key', data, filename: 'CSD.key', contentType: 'application/octet-stream' });
const password = (data = 'x'): Part => ({ name: 'password', data });

interface Case {
  name: string;
  send: () => Promise<RawResponse>;
  status: number;
  message: RegExp;
}

const cases = (): Case[] => [
  { name: 'no token, and no .cer', send: crossSite(() => [key(), password()], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and no password', send: crossSite(() => [cer(), key()], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and no files at all', send: crossSite(() => [password()], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and an empty .cer', send: crossSite(() => [cer(Buffer.alloc(0)), key(), password()], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and a .cer with the wrong extension', send: crossSite(() => [cer(fx.validCsd.cer, 'CSD.exe'), key(), password()], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and an extra text field', send: crossSite(() => [cer(), key(), password(), { name: 'rfc', data: 'EPR010101AB1' }], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and a file under an unknown field', send: crossSite(() => [{ name: 'pfx', data: Buffer.from('x'), filename: 'a.pfx' }], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and a second .cer', send: crossSite(() => [cer(), cer(), key(), password()], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and a .cer over the file limit', send: crossSite(() => [cer(Buffer.alloc(70 * 1024, 1)), key(), password()], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and a 10 KB password', send: crossSite(() => [cer(), key(), password('p'.repeat(10 * 1024))], 'none'), status: 403, message: M.csrf },
  { name: 'no token, and a body whose closing boundary never comes', send: crossSite(() => [cer(), key()], 'none', { unterminated: true }), status: 403, message: M.csrf },
  { name: 'no token, and a multipart type without a boundary', send: crossSite(() => [cer(), key(), password()], 'none', { contentType: 'multipart/form-data' }), status: 403, message: M.csrf },
  { name: 'a forged token, and no .cer', send: crossSite(() => [key(), password()], 'forged'), status: 403, message: M.csrf },
  { name: 'a forged token, and a .cer over the file limit', send: crossSite(() => [cer(Buffer.alloc(70 * 1024, 1)), key(), password()], 'forged'), status: 403, message: M.csrf },
  { name: 'another session’s token, and no password', send: crossSite(() => [cer(), key()], 'other-session'), status: 403, message: M.csrf },
  { name: 'a forged token sent after the files, and a second .cer', send: crossSite(() => [cer(), cer(), key(), password()], 'forged-after-files'), status: 403, message: M.csrf },
  { name: 'a declared 5 MB body, refused before it is read', send: crossSite(() => [cer(), key(), password()], 'none', { length: 5 * 1024 * 1024 }), status: 413, message: M.bodyTooLarge },
];

describe('when a cross-site page posts a broken upload form in a signed-in person’s name', () => {
  const results = new Map<string, RawResponse>();
  let facturapiRequests = 0;
  let uploadEvents = 0;
  let csrfRefusals = 0;
  let otherEventsOfTheVictim = 0;

  beforeAll(async () => {
    fx = standardFixtures(FIXTURE_REFERENCE_DATE);
    t = await startTestApp({ env: { UPLOADS_PER_USER_PER_HOUR: '100000', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '100000', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '100000' } });
    victim = await rawSignIn(t.url, TEST_USERS.admin.email, TEST_USERS.admin.password);
    other = await rawSignIn(t.url, TEST_USERS.otherAdmin.email, TEST_USERS.otherAdmin.password);
    const received = t.emulator.received.length;
    // Every event has the same (test clock) time, so tell the new ones by id.
    const before = new Set((await t.audit.query({ page: 1, pageSize: 500 })).rows.map((r) => r.id));
    for (const c of cases()) results.set(c.name, await c.send());
    facturapiRequests = t.emulator.received.length - received;
    const added = (await t.audit.query({ page: 1, pageSize: 500 })).rows.filter((r) => !before.has(r.id));
    uploadEvents = added.filter((r) => r.action === 'certificate.upload').length;
    csrfRefusals = added.filter((r) => r.action === 'access.denied' && r.detail.reason === 'csrf').length;
    otherEventsOfTheVictim = added.filter((r) => r.actorEmail === TEST_USERS.admin.email && !(r.action === 'access.denied' && r.detail.reason === 'csrf')).length;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it.each(cases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const res = results.get(c.name)!;
    expect({ status: res.status, body: res.body.slice(0, 200) }).toMatchObject({ status: c.status });
    expect(res.body).toMatch(c.message);
    // Not the organization page: it would have needed a Facturapi read.
    expect(res.body).not.toContain('CAFE ALTURA CHIAPANECA');
  });

  it('then Facturapi received no request at all (no upload, no read)', () => {
    expect(facturapiRequests).toBe(0);
  });

  it('then no upload event was written in the person’s name', () => {
    expect(uploadEvents).toBe(0);
    expect(otherEventsOfTheVictim).toBe(0);
  });

  it('then the only trace is the usual CSRF refusal, at most one per request', () => {
    expect(csrfRefusals).toBeLessThanOrEqual(cases().filter((c) => c.status === 403).length);
  });

  it('then the same broken form with the right token still gets the organization page and its message', async () => {
    const received = t.emulator.received.length;
    const body = multipartBody(B, [{ name: '_csrf', data: victim.csrf }, key(), password()]);
    const res = await rawExchange(t.url, [`POST /organizations/${ORG}/certificate HTTP/1.1`, 'Host: 127.0.0.1', `Cookie: ${victim.cookie}`, `Content-Type: multipart/form-data; boundary=${B}`, `Content-Length: ${body.length}`].join('\r\n'), body);
    expect(res.status).toBe(400);
    expect(res.body).toContain('Elige el archivo .cer del CSD');
    expect(res.body).toContain('CAFE ALTURA CHIAPANECA');
    expect(t.emulator.received.length - received).toBe(1); // the read that shows the page
    const { rows } = await t.audit.query({ action: 'certificate.upload', page: 1, pageSize: 5 });
    expect(rows[0]).toMatchObject({ actorEmail: TEST_USERS.admin.email, outcome: 'failure', detail: { result: 'form_rejected' } });
  });
});
