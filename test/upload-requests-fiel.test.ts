/**
 * Issue 12, part 4, for the e.firma: support asks a customer to upload their own e.firma through a
 * one-time link. Through HTTP against the real app: support's form offers both credentials; the
 * e-mail (SMTP sink on loopback) names the e.firma; the link opens that organization's e.firma
 * form (what the e.firma is, that Facturapi uses it only for bulk CFDI downloads, the explicit
 * confirmation) and nothing else; the e.firma form's own checks, messages and limits apply; a
 * success goes to `PUT /fiel`, kills the link and shows on the organization page; all audited.
 */
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { csrfFrom, startTestApp, sha256, type SignedIn, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const LINK = /(https?:\/\/[^\s"<]+\/upload-requests\/([A-Za-z0-9_-]{43}))/;
const puts = (app: TestApp) => app.emulator.received.filter((r) => r.method === 'PUT');

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

async function start(env: Record<string, string> = {}): Promise<{ app: TestApp; support: SignedIn }> {
  sink = await startSmtpSink();
  t = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>', PUBLIC_URL: 'http://csd-relay.example.test', ...env } });
  return { app: t, support: await t.signIn('support') };
}

/** Support asks for the e.firma from the organization page; returns the link from the e-mail that arrived. */
async function sendFielRequest(support: SignedIn, organizationId: string, email: string, language: 'es' | 'en', expected = 1) {
  const res = await support.agent.post(`/organizations/${organizationId}/upload-requests`).type('form').send({ _csrf: support.csrf, email, credential: 'fiel', language });
  // The link is handed over once on the POST's own page (test/upload-request-handover.test.ts).
  expect(res.status).toBe(200);
  const mails = await sink!.waitFor(expected);
  const mail = mails[expected - 1]!;
  const found = LINK.exec(mail.text);
  expect(found).not.toBeNull();
  return { mail, link: found![1]!, token: found![2]!, path: `/upload-requests/${found![2]!}` };
}

interface Parts {
  cer: Buffer;
  key: Buffer;
  password: string;
  confirm?: boolean;
}

/** An anonymous visitor opens the link and posts its form as a browser does (with the confirmation tick unless told). */
async function openAndUpload(app: TestApp, path: string, parts: Parts, headers: Record<string, string> = {}) {
  const visitor = request.agent(app.url);
  const page = await visitor.get(path).set(headers);
  expect(page.status).toBe(200);
  let post = visitor.post(path).set(headers).field('_csrf', csrfFrom(page.text))
    .attach('cer', parts.cer, { filename: 'FIEL.cer', contentType: 'application/x-x509-ca-cert' })
    .attach('key', parts.key, { filename: 'FIEL.key', contentType: 'application/octet-stream' })
    .field('password', parts.password);
  if (parts.confirm !== false) post = post.field('confirmFiel', 'yes');
  return { visitor, page, res: await post };
}

describe('when support opens an organization page', () => {
  it('then the upload request form offers both credentials, the CSD first', async () => {
    const { support } = await start();
    const page = await support.agent.get(`/organizations/${ORG}`);
    const form = page.text.slice(page.text.indexOf('id="upload-request-form"'), page.text.indexOf('</form>', page.text.indexOf('id="upload-request-form"')));
    expect(form).toMatch(/<select id="upload-request-credential" name="credential">\s*<option value="csd" selected>CSD<\/option>\s*<option value="fiel">e\.firma \(FIEL\)<\/option>/);
    expect(form).not.toContain('type="hidden" name="credential"');
  });
});

describe('when support sends an e.firma request (Spanish) and the customer uploads their e.firma through it', () => {
  it('then the link opens the e.firma form only, the e.firma goes to PUT /fiel, the link dies and the page says uploaded', async () => {
    const { app, support } = await start();
    const { mail, link, token, path } = await sendFielRequest(support, ORG, 'cliente@example.test', 'es');
    expect(mail.subject).toMatch(/^Sube la e\.firma de /);
    expect(mail.text).toContain('te pide subir la e.firma (FIEL) de');
    expect(mail.html).toContain(`<a href="${link}">Subir la e.firma</a>`);

    const { page, res } = await openAndUpload(app, path, fx.fiel);
    // The e.firma form, with what the e.firma is, what Facturapi uses it for and the explicit confirmation.
    expect(page.text).toContain('<h1>Subir la e.firma (FIEL)</h1>');
    expect(page.text).toContain('La e.firma (antes FIEL) es tu firma electrónica ante el SAT');
    expect(page.text).toContain('Facturapi la usa solo para la descarga masiva de CFDI');
    expect(page.text).toMatch(/<input type="checkbox" id="fiel-confirm" name="confirmFiel" value="yes"/);
    expect(page.text).toContain('id="fiel-form"');
    // And nothing else: not the CSD form, not the organization page's status or history.
    expect(page.text).not.toContain('id="upload-submit"');
    expect(page.text).not.toContain('name="confirmEarlierExpiry"');
    expect(page.text).not.toContain('id="history"');
    expect(page.text).not.toContain('id="fiel-status"');
    expect(page.text.split(token).length - 1).toBe(1);
    expect(page.text).toContain(`action="${path}"`);

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/upload-requests/done?credential=fiel');
    const sent = puts(app);
    expect(sent.map((r) => r.path)).toEqual([`/v2/organizations/${ORG}/fiel`]);
    expect(sent[0]!.upload?.cer?.sha256).toBe(sha256(fx.fiel.cer));
    expect(sent[0]!.upload?.key?.sha256).toBe(sha256(fx.fiel.key));
    const done = await request(app.url).get(res.headers.location!);
    expect(done.text).toContain('e.firma recibida');
    expect(done.text).toContain('Facturapi aceptó la e.firma.');
    expect(done.text).not.toContain('timbrar');

    expect((await request(app.url).get(path)).status).toBe(410);
    const org = await support.agent.get(`/organizations/${ORG}`);
    expect(org.text).toMatch(/<td data-label="Credencial">e\.firma<\/td>[\s\S]*?data-status="uploaded">e\.firma subida</);
    // The history says who uploaded it: the customer, through the link (not "the system").
    const history = org.text.slice(org.text.indexOf('id="history"'));
    expect(history).toMatch(/<td data-label="Persona">Cliente, con un enlace de carga<\/td>\s*<td data-label="Acción">Carga de e\.firma<\/td>/);
    expect(org.text).toContain(`data-fiel="certificate-number">${fx.fiel.certificateNumber}<`);

    const rows = await app.database.db.selectFrom('audit_events').select(['action', 'actor_user_id', 'outcome', 'detail'])
      .where('action', 'in', ['upload_request.created', 'fiel.upload', 'certificate.upload', 'upload_request.used']).orderBy('occurred_at').execute();
    // The test clock stands still, so the three share one instant: found by action, not by order.
    expect(rows.map((r) => r.action).sort()).toEqual(['fiel.upload', 'upload_request.created', 'upload_request.used']);
    const byAction = (action: string) => rows.find((r) => r.action === action)!;
    expect(JSON.parse(byAction('upload_request.created').detail!)).toMatchObject({ credential: 'fiel', email: 'cliente@example.test' });
    const upload = byAction('fiel.upload');
    expect(upload.actor_user_id).toBeNull();
    expect(upload.outcome).toBe('success');
    expect(JSON.parse(upload.detail!)).toMatchObject({ via: 'upload_request', result: 'uploaded', certificateNumber: fx.fiel.certificateNumber, certificateType: 'FIEL' });
    expect(JSON.parse(byAction('upload_request.used').detail!)).toMatchObject({ credential: 'fiel', certificateNumber: fx.fiel.certificateNumber });
    // The CSD's trail is not touched.
    expect(await app.audit.query({ action: 'certificate.upload', page: 1, pageSize: 10 }).then((r) => r.rows)).toHaveLength(0);
    // The token and the password: nowhere stored or logged.
    expect(app.logs.text).not.toContain(token);
    const stored = JSON.stringify([await app.database.db.selectFrom('audit_events').selectAll().execute(), await app.database.db.selectFrom('mail_messages').selectAll().execute(), await app.database.db.selectFrom('upload_requests').selectAll().execute()]);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(fx.fiel.password);
    expect(app.logs.text).not.toContain(fx.fiel.password);
  });
});

describe('when the customer gets something wrong through an e.firma link', () => {
  it('then the e.firma form’s own checks and messages apply, each audited, nothing is sent, and the link still works', async () => {
    const { app, support } = await start();
    const { path } = await sendFielRequest(support, ORG, 'cliente@example.test', 'es');
    // A CSD in the e.firma link's form.
    const csd = await openAndUpload(app, path, fx.validCsd);
    expect(csd.res.status).toBe(422);
    expect(csd.res.text).toContain('Este certificado es un CSD, no tu e.firma (FIEL)');
    expect(csd.res.text).toContain('id="fiel-errors"');
    // No "use the e.firma form" offer and no CSD form on this page.
    expect(csd.res.text).not.toContain('id="upload-submit"');
    // No confirmation tick.
    const unconfirmed = await openAndUpload(app, path, { ...fx.fiel, confirm: false });
    expect(unconfirmed.res.status).toBe(400);
    expect(unconfirmed.res.text).toContain('Marca la casilla de confirmación para subir la e.firma');
    expect(unconfirmed.res.text).toContain('id="fiel-form"');
    // A wrong password.
    const wrong = await openAndUpload(app, path, { ...fx.fiel, password: 'no es la contraseña' });
    expect(wrong.res.status).toBe(422);
    expect(wrong.res.text).toContain('La contraseña no abre la llave privada.');
    expect(wrong.res.text).toMatch(/<li data-field="password"><a href="#fiel-password">/);
    expect(puts(app)).toHaveLength(0);

    const { rows } = await app.audit.query({ action: 'fiel.upload', page: 1, pageSize: 10 });
    expect(rows.map((r) => [r.outcome, r.detail.result, r.detail.via, r.detail.problems ?? r.detail.reason]).sort()).toEqual([
      ['failure', 'form_rejected', 'upload_request', 'fiel.confirm.required'],
      ['failure', 'invalid', 'upload_request', 'fiel_required'],
      ['failure', 'invalid', 'upload_request', 'private_key_password_incorrect'],
    ]);
    expect(rows.every((r) => r.actorUserId === null)).toBe(true);

    const ok = await openAndUpload(app, path, fx.fiel);
    expect(ok.res.status).toBe(303);
    expect(puts(app).map((r) => r.path)).toEqual([`/v2/organizations/${ORG}/fiel`]);
  });

  it('then an e.firma of another RFC than the organization’s is refused here with the same message as on the organization page', async () => {
    const { app, support } = await start();
    const { path } = await sendFielRequest(support, DEMO_ORGANIZATION_IDS.expiresSoon, 'cliente@example.test', 'es');
    const { res } = await openAndUpload(app, path, fx.fiel);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Esta e.firma es del RFC EPR010101AB1, pero la organización es del RFC EKU9003173C9');
    expect(puts(app)).toHaveLength(0);
  });

  it('then the normal refusal limit applies, counted for this link (429)', async () => {
    const { app, support } = await start({ UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '2' });
    const { path } = await sendFielRequest(support, ORG, 'cliente@example.test', 'es');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await openAndUpload(app, path, { ...fx.fiel, password: 'wrong' })).res.status);
    expect(statuses).toEqual([422, 422, 429]);
    expect(puts(app)).toHaveLength(0);
  });
});

describe('when the customer reads English', () => {
  it('then the e-mail, the e.firma form and its messages are in English', async () => {
    const { app, support } = await start();
    const { mail, path } = await sendFielRequest(support, ORG, 'customer@example.test', 'en');
    expect(mail.subject).toMatch(/^Upload the e\.firma of /);
    const en = { 'Accept-Language': 'en' };
    const { page, res } = await openAndUpload(app, path, { ...fx.fiel, confirm: false }, en);
    expect(page.text).toContain('<h1>Upload the e.firma (FIEL)</h1>');
    expect(page.text).toContain('Facturapi uses it only for bulk CFDI downloads');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Tick the confirmation box to upload the e.firma');
    const ok = await openAndUpload(app, path, fx.fiel, en);
    expect(ok.res.status).toBe(303);
    const done = await request(app.url).get(ok.res.headers.location!).set(en);
    expect(done.text).toContain('e.firma received');
  });
});
