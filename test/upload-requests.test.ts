/**
 * Issue 12, part 4: support asks a customer to upload their own CSD through a one-time link.
 * Through HTTP against the real app: the e-mail arrives (SMTP sink on loopback) with the link; an
 * anonymous visitor opens it and uploads; the link is then dead (410) and the organization page
 * says 'uploaded'. Expiry after 7 days (test clock), revocation, no reach beyond the one
 * organization's form, the normal messages, and the token nowhere but the e-mail sent.
 */
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { csrfFrom, startTestApp, sha256, type SignedIn, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const OTHER_ORG = DEMO_ORGANIZATION_IDS.validForYears;
const LINK = /(https?:\/\/[^\s"<]+\/upload-requests\/([A-Za-z0-9_-]{43}))/;

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

async function start(): Promise<{ app: TestApp; support: SignedIn }> {
  sink = await startSmtpSink();
  t = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>', PUBLIC_URL: 'http://csd-relay.example.test' } });
  return { app: t, support: await t.signIn('support') };
}

/** Support sends a request from the organization page; returns the link and token from the e-mail that arrived. */
async function sendRequest(support: SignedIn, organizationId: string, email: string, language: 'es' | 'en', expected = 1) {
  const res = await support.agent.post(`/organizations/${organizationId}/upload-requests`).type('form').send({ _csrf: support.csrf, email, credential: 'csd', language });
  // The link is shown once on the POST's own page (test/upload-request-handover.test.ts), no redirect.
  expect(res.status).toBe(200);
  const mails = await sink!.waitFor(expected);
  const mail = mails[expected - 1]!;
  const found = LINK.exec(mail.text);
  expect(found).not.toBeNull();
  return { mail, link: found![1]!, token: found![2]!, path: `/upload-requests/${found![2]!}` };
}

/** An anonymous visitor opens the link and posts the form from it. */
async function openAndUpload(app: TestApp, path: string, parts: { cer: Buffer; key: Buffer; password: string }, headers: Record<string, string> = {}) {
  const visitor = request.agent(app.url);
  const page = await visitor.get(path).set(headers);
  expect(page.status).toBe(200);
  const res = await visitor.post(path).set(headers).field('_csrf', csrfFrom(page.text))
    .attach('cer', parts.cer, { filename: 'CSD.cer', contentType: 'application/x-x509-ca-cert' })
    .attach('key', parts.key, { filename: 'CSD.key', contentType: 'application/octet-stream' })
    .field('password', parts.password);
  return { visitor, page, res };
}

async function everythingStored(app: TestApp): Promise<string> {
  const db = app.database.db;
  return JSON.stringify([
    await db.selectFrom('audit_events').selectAll().execute(),
    await db.selectFrom('mail_messages').selectAll().execute(),
    await db.selectFrom('upload_requests').selectAll().execute(),
    await db.selectFrom('sessions').selectAll().execute(),
  ]);
}

describe('when support sends an upload request (Spanish) and the customer uploads a valid CSD through it', () => {
  it('then the e-mail has the link, the upload succeeds without an account, the link dies and the page says uploaded', async () => {
    const { app, support } = await start();
    const { mail, link, token, path } = await sendRequest(support, ORG, 'cliente@example.test', 'es');
    expect(mail.to).toEqual(['cliente@example.test']);
    expect(mail.subject).toMatch(/^Sube el CSD de /);
    expect(mail.html).toContain(`<a href="${link}">Subir el CSD</a>`);
    expect(link.startsWith('http://csd-relay.example.test/upload-requests/')).toBe(true);

    const { page, res } = await openAndUpload(app, path, fx.validCsd);
    expect(page.text).toContain('Subir el certificado de sello digital');
    // The token appears in the page exactly once: the form's action.
    expect(page.text.split(token).length - 1).toBe(1);
    expect(page.text).toContain(`action="${path}"`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/upload-requests/done');
    const puts = app.emulator.received.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.path).toContain(ORG);
    expect(puts[0]!.upload?.cer?.sha256).toBe(sha256(fx.validCsd.cer));
    const done = await request(app.url).get('/upload-requests/done');
    expect(done.text).toContain('Certificado recibido');

    const again = await request(app.url).get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain('Con este enlace ya se subió un certificado');
    const org = await support.agent.get(`/organizations/${ORG}`);
    expect(org.text).toMatch(/data-status="uploaded">Certificado subido/);

    const actions = (await app.database.db.selectFrom('audit_events').select(['action', 'actor_user_id', 'detail']).orderBy('occurred_at').execute());
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['upload_request.created', 'certificate.upload', 'upload_request.used']));
    const upload = actions.find((a) => a.action === 'certificate.upload')!;
    expect(upload.actor_user_id).toBeNull();
    expect(JSON.parse(upload.detail!).via).toBe('upload_request');
    // The token: in the e-mail sent, nowhere else.
    expect(app.logs.text).not.toContain(token);
    expect(app.logs.text).toContain('/upload-requests/[redacted]');
    const stored = await everythingStored(app);
    expect(stored).not.toContain(token);
    expect(stored).toContain('[enlace privado');
    expect(stored).not.toContain(fx.validCsd.password);
  });
});

describe('when the customer reads English', () => {
  it('then the e-mail and the form are in English and a wrong password gets the normal message, with the link still usable', async () => {
    const { app, support } = await start();
    const { mail, path } = await sendRequest(support, ORG, 'customer@example.test', 'en');
    expect(mail.subject).toMatch(/^Upload the CSD of /);
    expect(mail.text).toContain('expires on');
    const en = { 'Accept-Language': 'en' };
    const { res } = await openAndUpload(app, path, { ...fx.validCsd, password: 'not the password' }, en);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Upload the digital seal certificate');
    // The signed-in form's own message, through the catalogue (HTML-escaped apostrophes aside).
    expect(res.text).toContain('The password does not open the private key.');
    expect(res.text).toContain('data-field="password"');
    expect(app.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
    const ok = await openAndUpload(app, path, fx.validCsd, en);
    expect(ok.res.status).toBe(303);
    const page = await support.agent.get(`/organizations/${ORG}?lang=en`).redirects(1);
    expect(page.text).toMatch(/data-status="uploaded">/);
  });
});

describe('when a request is left 7 days', () => {
  it('then the link is dead (410) and the page says expired; a day before it still opens', async () => {
    const { app, support } = await start();
    const { path } = await sendRequest(support, ORG, 'cliente@example.test', 'es');
    app.clock.advance(7 * 86_400_000 - 60_000);
    expect((await request(app.url).get(path)).status).toBe(200);
    // Support's session has idled out meanwhile: sign in again to read the page.
    const later = await app.signIn('support');
    expect((await later.agent.get(`/organizations/${ORG}`)).text).toContain('data-status="opened"');
    app.clock.advance(60_000);
    const res = await request(app.url).get(path);
    expect(res.status).toBe(410);
    expect(res.text).toContain('El enlace venció');
    expect((await later.agent.get(`/organizations/${ORG}`)).text).toContain('data-status="expired"');
    void support;
  });
});

describe('when support revokes a request', () => {
  it('then its link is dead, for opening and for posting', async () => {
    const { app, support } = await start();
    const { path } = await sendRequest(support, ORG, 'cliente@example.test', 'es');
    const visitor = request.agent(app.url);
    const page = await visitor.get(path);
    const row = await app.database.db.selectFrom('upload_requests').select('id').executeTakeFirstOrThrow();
    const revoke = await support.agent.post(`/organizations/${ORG}/upload-requests/${row.id}/revoke`).type('form').send({ _csrf: support.csrf });
    expect(revoke.status).toBe(303);
    const org = await support.agent.get(`/organizations/${ORG}`);
    expect(org.text).toContain('data-status="revoked"');
    expect((await request(app.url).get(path)).status).toBe(410);
    const post = await visitor.post(path).field('_csrf', csrfFrom(page.text))
      .attach('cer', fx.validCsd.cer, 'CSD.cer').attach('key', fx.validCsd.key, 'CSD.key').field('password', fx.validCsd.password);
    expect(post.status).toBe(410);
    expect(app.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
    const actions = (await app.database.db.selectFrom('audit_events').select('action').execute()).map((a) => a.action);
    expect(actions).toContain('upload_request.revoked');
  });
});

describe('when the link is used for anything but its own form', () => {
  it('then it reaches no other organization and no other page', async () => {
    const { app, support } = await start();
    const { path } = await sendRequest(support, ORG, 'cliente@example.test', 'es');
    const visitor = request.agent(app.url);
    expect((await visitor.get(path)).status).toBe(200);
    // Opening the link signs nobody in: the app's pages still ask for a login.
    for (const other of [`/organizations/${OTHER_ORG}`, `/organizations/${ORG}`, '/organizations', '/radar', '/audit', '/people', '/outbox']) {
      const res = await visitor.get(other);
      expect([302, 303]).toContain(res.status);
      expect(res.headers.location).toContain('/login');
    }
    // Nothing beyond the form hangs below the token.
    expect((await visitor.get(`${path}/../../organizations/${OTHER_ORG}`)).status).not.toBe(200);
    expect([404, 302, 303]).toContain((await visitor.get(`${path}/extra`)).status);
    // A field naming another organization is refused as the normal form refuses unknown fields.
    const page = await visitor.get(path);
    const forged = await visitor.post(path).field('_csrf', csrfFrom(page.text)).field('organizationId', OTHER_ORG)
      .attach('cer', fx.validCsd.cer, 'CSD.cer').attach('key', fx.validCsd.key, 'CSD.key').field('password', fx.validCsd.password);
    expect(forged.status).toBe(400);
    expect(app.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
    // The upload goes to the request's organization: the link names it, nothing the visitor sends.
    const res = await visitor.post(path).field('_csrf', csrfFrom(page.text))
      .attach('cer', fx.validCsd.cer, 'CSD.cer').attach('key', fx.validCsd.key, 'CSD.key').field('password', fx.validCsd.password);
    expect(res.status).toBe(303);
    const puts = app.emulator.received.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.path).toContain(ORG);
    expect(puts[0]!.path).not.toContain(OTHER_ORG);
  });

  it('then an account admin cannot create or revoke requests (support only)', async () => {
    const { app } = await start();
    const admin = await app.signIn('admin');
    const res = await admin.agent.post(`/organizations/${ORG}/upload-requests`).type('form').send({ _csrf: admin.csrf, email: 'x@example.test' });
    expect(res.status).toBe(403);
    expect(await app.database.db.selectFrom('upload_requests').selectAll().execute()).toHaveLength(0);
  });
});

describe('when the customer keeps getting the password wrong through the link', () => {
  it('then the normal refusal limit applies, counted for this link (429), and the same limit is not spent for another link', async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '2' } });
    const support = await t.signIn('support');
    const first = await sendRequest(support, ORG, 'cliente@example.test', 'es');
    const statuses: number[] = [];
    let lastRefusal = '';
    for (let i = 0; i < 3; i += 1) {
      const { res } = await openAndUpload(t, first.path, { ...fx.validCsd, password: 'wrong' });
      statuses.push(res.status);
      if (res.status === 422) lastRefusal = res.text;
    }
    expect(statuses).toEqual([422, 422, 429]);
    expect(lastRefusal).toContain('La contraseña no abre la llave privada.');
    const second = await sendRequest(support, OTHER_ORG, 'otro@example.test', 'es', 2);
    expect((await openAndUpload(t, second.path, { ...fx.validCsd, password: 'wrong' })).res.status).toBe(422);
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });
});

describe('when the customer switches the link page to English', () => {
  it('then the page comes back in English and still holds the token only in the form\'s action', async () => {
    const { app, support } = await start();
    const { token, path } = await sendRequest(support, ORG, 'cliente@example.test', 'es');
    const visitor = request.agent(app.url);
    const first = await visitor.get(path);
    const switchHref = /href="(\?lang=en)"/.exec(first.text)?.[1];
    expect(switchHref).toBe('?lang=en');
    const switched = await visitor.get(`${path}${switchHref}`).redirects(2);
    expect(switched.status).toBe(200);
    expect(switched.text).toContain('Upload the digital seal certificate');
    expect(switched.text.split(token).length - 1).toBe(1);
  });
});

describe('when two uploads go through the same link at once', () => {
  it('then only one reaches Facturapi; the other is told to wait (409), and the link is spent after', async () => {
    sink = await startSmtpSink();
    let releaseFirst!: () => void;
    const gate = new Promise<void>((resolve) => { releaseFirst = resolve; });
    let heldUploads = 0;
    const arrived: (() => void)[] = [];
    t = await startTestApp({
      env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>' },
      // The first upload is held at Facturapi's door until the second one has had its answer.
      wrapFacturapi: (client) => new Proxy(client, {
        get(target, prop, receiver) {
          if (prop !== 'uploadCertificate') return Reflect.get(target, prop, receiver);
          return async (...args: Parameters<typeof client.uploadCertificate>) => {
            heldUploads += 1;
            arrived.splice(0).forEach((f) => f());
            await gate;
            return client.uploadCertificate(...args);
          };
        },
      }),
    });
    const support = await t.signIn('support');
    const { path } = await sendRequest(support, ORG, 'cliente@example.test', 'es');
    const reachedFacturapi = new Promise<void>((resolve) => arrived.push(resolve));
    const first = openAndUpload(t, path, fx.validCsd);
    await reachedFacturapi;
    const second = await openAndUpload(t, path, fx.validCsd);
    expect(second.res.status).toBe(409);
    expect(second.res.text).toContain('Ya se está subiendo un certificado con este enlace');
    releaseFirst();
    expect((await first).res.status).toBe(303);
    expect(heldUploads).toBe(1);
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect((await request(t.url).get(path)).status).toBe(410);
  });
});
