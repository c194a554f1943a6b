/**
 * Issue 12, part 2: invitations and password-reset links are e-mailed through a real SMTP server
 * on loopback (smtp-server as a sink), in the recipient's language, as plain text and HTML, and
 * still shown once to support. The token is in the e-mail sent and nowhere else: not in the logs,
 * the audit trail, the stored message (outbox) or the database file. A refused message loses
 * nothing and is no 500. Without SMTP_URL the message lands in the outbox page (support only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../src/mail/mailer.js';
import { createSmtpTransport } from '../src/mail/smtp-transport.js';
import { createLogger } from '../src/logger.js';
import { DEMO_ORGANIZATION_IDS, startTestApp, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { databaseBytes, writtenForms } from './support/stored-secrets.js';

let t: TestApp | undefined;
let sink: SmtpSink | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await t?.close();
  await sink?.close();
  t = undefined;
  sink = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const linkOnPage = (html: string) => /value="(http[^"]+\/account\/set-password\/([^"]+))"/.exec(html);

async function auditText(app: TestApp): Promise<string> {
  return JSON.stringify(await app.database.db.selectFrom('audit_events').selectAll().execute());
}

describe('when support invites an account admin and SMTP_URL names a mail server', () => {
  it('then the invitee gets a Spanish e-mail (text and HTML) with the same one-time link the page shows once, and the token is nowhere else', async () => {
    sink = await startSmtpSink();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-mail-'));
    t = await startTestApp({ dataDir, env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>' } });
    const support = await t.signIn('support');

    const page = await support.agent.post('/people/invite').type('form')
      .send({ _csrf: support.csrf, email: 'nueva@example.test', name: 'Nueva <b>Admin</b>', organizationId: DEMO_ORGANIZATION_IDS.validForYears });
    expect(page.status).toBe(200);
    const shown = linkOnPage(page.text);
    expect(shown).not.toBeNull();
    const [link, token] = [shown![1]!, shown![2]!];
    expect(page.text).toContain('También se envió por correo a nueva@example.test');

    const [mail] = await sink.waitFor(1);
    console.log(`arrived: to ${mail!.to.join(',')}, subject "${mail!.subject}", text ${mail!.text.length} chars, html ${mail!.html.length} chars`);
    expect(mail!.to).toEqual(['nueva@example.test']);
    expect(mail!.from).toBe('no-reply@example.test');
    expect(mail!.subject).toBe('Invitación a csd-relay');
    expect(mail!.text).toContain('Hola, Nueva <b>Admin</b>:');
    expect(mail!.text).toContain(`Crear mi contraseña: ${link}`);
    expect(mail!.html).toContain(`<a href="${link}">Crear mi contraseña</a>`);
    // Escaped in the HTML part: the name cannot inject markup.
    expect(mail!.html).toContain('Hola, Nueva &lt;b&gt;Admin&lt;/b&gt;:');
    expect(mail!.html).not.toContain('<b>Admin</b>');

    // Nowhere else: logs, audit trail, the stored copy (outbox page) and the database file.
    expect(t.logs.text).not.toContain(token);
    expect(await auditText(t)).not.toContain(token);
    const outbox = await support.agent.get('/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain('<h1>Correo enviado</h1>');
    expect(outbox.text).toContain('Invitación a csd-relay');
    expect(outbox.text).toContain('nueva@example.test');
    expect(outbox.text).not.toContain(token);
    expect(outbox.text).toContain('enlace privado');
    expect(writtenForms(token).filter((f) => databaseBytes(dataDir!).includes(f.bytes)).map((f) => f.name)).toEqual([]);
  });

  it('then a password reset for an admin who chose English on their settings page arrives in English', async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>' } });
    const admin = await t.signIn('admin');
    const saved = await admin.agent.post('/account/settings').type('form').send({ _csrf: admin.csrf, language: 'en', reminders: 'on' });
    expect(saved.status).toBe(303);
    const support = await t.signIn('support');
    const adminRow = await t.database.db.selectFrom('users').select(['id', 'language']).where('email', '=', 'admin@example.test').executeTakeFirstOrThrow();
    expect(adminRow.language).toBe('en');

    const page = await support.agent.post(`/people/${adminRow.id}/reset`).type('form').send({ _csrf: support.csrf });
    expect(page.status).toBe(200);
    const link = linkOnPage(page.text)![1]!;
    const [mail] = await sink.waitFor(1);
    expect(mail!.subject).toBe('Reset your csd-relay password');
    expect(mail!.text).toContain('Hello Ana Administradora,');
    expect(mail!.text).toContain(`Choose a new password: ${link}`);
    expect(mail!.headers['content-language']).toBe('en');
  });
});

describe('when the SMTP server requires a login', () => {
  it('then the credentials in SMTP_URL are used and appear in no log line, page or stored row', async () => {
    const pass = 'smtp-Secret-pass-7731';
    sink = await startSmtpSink({ auth: { user: 'relay@example.test', pass } });
    t = await startTestApp({ env: { SMTP_URL: `smtp://relay%40example.test:${pass}@127.0.0.1:${sink.port}`, MAIL_FROM: 'no-reply@example.test' } });
    const support = await t.signIn('support');
    const page = await support.agent.post('/people/invite').type('form')
      .send({ _csrf: support.csrf, email: 'auth@example.test', name: 'Auth', organizationId: DEMO_ORGANIZATION_IDS.validForYears });
    expect(page.text).toContain('También se envió por correo a auth@example.test');
    expect((await sink.waitFor(1))[0]!.to).toEqual(['auth@example.test']);
    const outbox = await support.agent.get('/outbox');
    const stored = JSON.stringify(await t.database.db.selectFrom('mail_messages').selectAll().execute());
    expect([t.logs.text, outbox.text, page.text, stored, await auditText(t)].filter((text) => text.includes(pass))).toEqual([]);
  });
});

describe('when the mail server refuses the message', () => {
  it('then the invitation still exists and its link is shown, the failure is retried and recorded, and nothing is a 500', async () => {
    sink = await startSmtpSink();
    sink.reject = true;
    // The app's own mailer and SMTP transport, with its retries not waiting (the default waits 0.5 s and 2 s).
    let real: Mailer | undefined;
    const lazy: Mailer = { transport: 'smtp', send: (m) => real!.send(m), close: () => real?.close() };
    t = await startTestApp({ deps: { mailer: lazy } });
    real = createMailer({
      db: t.database.db, transport: createSmtpTransport(sink.url), from: 'no-reply@example.test', now: t.clock.now,
      logger: createLogger({ level: 'debug', destination: t.logs.stream }), retryDelaysMs: [0, 0],
    });
    const support = await t.signIn('support');
    const page = await support.agent.post('/people/invite').type('form')
      .send({ _csrf: support.csrf, email: 'rechazada@example.test', name: 'Rechazada', organizationId: DEMO_ORGANIZATION_IDS.validForYears });
    expect(page.status).toBe(200);
    const shown = linkOnPage(page.text);
    expect(shown).not.toBeNull();
    expect(page.text).toContain('No se pudo enviar el correo a rechazada@example.test');
    const row = await t.database.db.selectFrom('mail_messages').selectAll().where('recipient', '=', 'rechazada@example.test').executeTakeFirstOrThrow();
    console.log(`refused: status ${row.status}, attempts ${row.attempts}, error ${row.error_code}`);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, transport: 'smtp' });
    expect(row.error_code).toMatch(/550/);
    expect(sink.mails).toHaveLength(0);
    const invitation = await t.database.db.selectFrom('invitations').selectAll().where('email', '=', 'rechazada@example.test').executeTakeFirstOrThrow();
    expect(invitation.used_at).toBeNull();
    expect(t.logs.text).not.toContain(shown![2]!);
  });
});

describe('when no SMTP_URL is set (demo, development)', () => {
  it('then the invitation lands in the outbox page, which only support can read, without its link', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const page = await support.agent.post('/people/invite').type('form')
      .send({ _csrf: support.csrf, email: 'bandeja@example.test', name: 'Bandeja', organizationId: DEMO_ORGANIZATION_IDS.validForYears });
    const token = linkOnPage(page.text)![2]!;
    expect(page.text).toContain('quedó en la bandeja de salida');
    const outbox = await support.agent.get('/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain('No hay servidor de correo configurado');
    // Nothing left the app: the page is the outbox, not "sent mail".
    expect(outbox.text).toContain('<h1>Bandeja de salida</h1>');
    expect(outbox.text).not.toContain('Correo enviado');
    expect(outbox.text).toContain('bandeja@example.test');
    expect(outbox.text).toContain('/account/set-password/[enlace privado');
    expect(outbox.text).not.toContain(token);

    const admin = await t.signIn('admin');
    expect((await admin.agent.get('/outbox')).status).toBe(403);
    const anonymous = await (await import('supertest')).default(t.url).get('/outbox');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });
});

describe('when the app starts', () => {
  it('then e-mail records older than AUDIT_RETENTION_DAYS are pruned, newer ones kept', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-mail-prune-'));
    t = await startTestApp({ dataDir, env: { AUDIT_RETENTION_DAYS: '30' } });
    const row = (id: string, daysAgo: number) => ({
      id, created_at: new Date(t!.clock.now().getTime() - daysAgo * 86_400_000).toISOString(), kind: 'invitation' as const, recipient: 'x@example.test',
      language: 'es' as const, subject: 's', text_body: 't', html_body: 'h', transport: 'outbox' as const, status: 'stored' as const, attempts: 0,
      error_code: null, sent_at: null, user_id: null, organization_id: null, reminder_id: null,
    });
    await t.database.db.insertInto('mail_messages').values([row('old', 31), row('recent', 29)]).execute();
    await t.close();
    t = await startTestApp({ dataDir, env: { AUDIT_RETENTION_DAYS: '30' } });
    expect((await t.database.db.selectFrom('mail_messages').select('id').execute()).map((r) => r.id)).toEqual(['recent']);
  });
});
