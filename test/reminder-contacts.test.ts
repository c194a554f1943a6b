/**
 * Issue 12, parts 3 and 4: "Reminders can include such a link for organizations whose admins have
 * no account." Support sets a reminder contact on the organization page (HTTP, audited); when the
 * organization has no account admin, its reminders go to that address, each with a fresh one-time
 * upload link (a real upload request: hashed, 7 days, audited, listed on the page), still once per
 * threshold per certificate number across restarts and concurrent runs. With neither an admin nor
 * a contact, the page and the run's report say nobody gets them. The job runs as the server runs
 * it, against the real emulator, through a real SMTP server on loopback; the database is a file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Executor } from '../src/db/database.js';
import { formatRun } from '../src/reminders/reminder-report.js';
import { runReminders, type ReminderDeps, type ReminderRun } from '../src/reminders/reminders.service.js';
import { DEMO_ORGANIZATION_IDS, startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { reminderJobDeps } from './support/reminder-job.js';
import { databaseBytes, writtenForms } from './support/stored-secrets.js';

const DAY = 86_400_000;
const PUBLIC_URL = 'http://csd.example.test';
/** No account admin in the harness: the demo organization expiring in 10 days (its 15-day reminder is due). */
const ORG = DEMO_ORGANIZATION_IDS.expiresSoon;
const UPLOAD_LINK = /Subir el CSD nuevo: (http:\/\/csd\.example\.test\/upload-requests\/([A-Za-z0-9_-]{43}))/;

let apps: TestApp[] = [];
let sink: SmtpSink | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await sink?.close();
  sink = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function start(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-contacts-'));
  const app = await startTestApp({ env: { PUBLIC_URL }, dataDir, ...options });
  apps.push(app);
  return app;
}

/** What the server's job gets, over `db` (the app's, or a second connection to its file). */
function jobDeps(app: TestApp, db: Executor, instanceId?: string): ReminderDeps {
  return reminderJobDeps(app, { db, smtpUrl: sink!.url, publicUrl: PUBLIC_URL, instanceId });
}

/** The e-mails about ORG (the harness's other admin gets the 45-day organization's). */
const orgMails = () => sink!.mails.filter((m) => m.subject.includes('Escuela Kemper Urgate'));
const mine = (run: ReminderRun) => (run.ran ? run.due.filter((d) => d.organizationId === ORG) : []);

async function setContact(support: SignedIn, email: string, language: 'es' | 'en' = 'es') {
  return support.agent.post(`/organizations/${ORG}/reminder-contact`).type('form').send({ _csrf: support.csrf, email, language });
}

describe('when an organization has no account admin and support sets a reminder contact', () => {
  it('then the page and the dry run say nobody gets its reminders until then; afterwards the contact gets the reminder with a one-time upload link that works, and the request shows on the page', async () => {
    sink = await startSmtpSink();
    const t = await start();
    const support = await t.signIn('support');

    const before = await support.agent.get(`/organizations/${ORG}`);
    expect(before.text).toContain('data-audience="nobody"');
    expect(before.text).toContain('Nadie recibe los avisos de vencimiento de esta organización: no tiene administradores con cuenta ni un contacto para avisos.');
    const dryBefore = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now(), dryRun: true });
    const reportBefore = formatRun(dryBefore, { now: t.clock.now(), dryRun: true, transport: 'smtp' });
    console.log(`dry run before a contact:\n${reportBefore}`);
    expect(reportBefore).toContain(`- no recipients: Escuela Kemper Urgate (${ORG}) CSD 30001000000500003416, 10 day(s) left, 15-day reminder -> nobody: no account admin and no reminder contact (support can set one on the organization page)`);

    const saved = await setContact(support, ' Contacto@Cliente.Example ');
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/organizations/${ORG}#reminders`);
    const after = await support.agent.get(`/organizations/${ORG}`);
    expect(after.text).toContain('Contacto para avisos guardado: contacto@cliente.example.');
    expect(after.text).toContain('los avisos de vencimiento llegan a contacto@cliente.example, cada uno con un enlace de un solo uso');
    const set = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'reminder_contact.set').execute();
    expect(set.map((e) => [e.organization_id, e.actor_email, JSON.parse(e.detail!).email])).toEqual([[ORG, 'soporte@example.test', 'contacto@cliente.example']]);

    const dry = formatRun(await runReminders(jobDeps(t, t.database.db), { now: t.clock.now(), dryRun: true }), { now: t.clock.now(), dryRun: true, transport: 'smtp' });
    console.log(`dry run with a contact:\n${dry}`);
    expect(dry).toContain('- would send: Escuela Kemper Urgate (65a1c0de0000000000000001) CSD 30001000000500003416, 10 day(s) left, 15-day reminder -> reminder contact contacto@cliente.example (es) (no account admin), with a one-time upload link');
    expect(await t.database.db.selectFrom('upload_requests').selectAll().execute()).toEqual([]);

    const run = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(mine(run).map((d) => [d.audience, d.outcome])).toEqual([['contact', 'sent']]);
    const [mail] = orgMails();
    console.log(`the contact's e-mail:\n${mail!.subject}\n\n${mail!.text}`);
    expect(mail!.to).toEqual(['contacto@cliente.example']);
    expect(mail!.subject).toBe('El CSD de Escuela Kemper Urgate vence en 10 días');
    expect(mail!.text).toContain('Hola:');
    expect(mail!.text).toContain('registró este correo como contacto de la organización para los avisos de vencimiento');
    // No account: no organization page (it needs a sign-in); the contact's own unsubscribe link is not an admin's (test/reminder-contact-unsubscribe.test.ts).
    expect(mail!.text).not.toContain('/organizations/');
    expect(mail!.text).not.toContain('/reminders/unsubscribe/');
    const [, link, token] = UPLOAD_LINK.exec(mail!.text) as unknown as [string, string, string];
    expect(mail!.html).toContain(`<a href="${link}">Subir el CSD nuevo</a>`);

    const row = await t.database.db.selectFrom('upload_requests').selectAll().executeTakeFirstOrThrow();
    expect([row.organization_id, row.credential_kind, row.email, row.created_by]).toEqual([ORG, 'csd', 'contacto@cliente.example', null]);
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBe(7 * DAY);
    const created = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'upload_request.created').executeTakeFirstOrThrow();
    expect(JSON.parse(created.detail!)).toMatchObject({ uploadRequestId: row.id, via: 'reminder', credential: 'csd' });
    const emailed = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'reminder.emailed').where('organization_id', '=', ORG).executeTakeFirstOrThrow();
    expect(JSON.parse(emailed.detail!)).toMatchObject({ audience: 'contact', uploadRequestId: row.id, delivered: 1 });
    const page = await support.agent.get(`/organizations/${ORG}`);
    expect(page.text).toContain(`data-upload-request="${row.id}"`);

    // The link opens that organization's upload form, without an account.
    const visitor = request.agent(t.url);
    const form = await visitor.get(new URL(link).pathname);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Subir el certificado de sello digital');
    // (An upload through a link is test/upload-requests.test.ts's; this one is the same kind of request.)
    expect(form.text.split(token).length - 1).toBe(1);

    // The token: in the e-mail sent, nowhere else.
    const stored = JSON.stringify([
      await t.database.db.selectFrom('audit_events').selectAll().execute(),
      await t.database.db.selectFrom('mail_messages').selectAll().execute(),
      await t.database.db.selectFrom('upload_requests').selectAll().execute(),
      await t.database.db.selectFrom('sessions').selectAll().execute(),
    ]);
    expect(stored).not.toContain(token);
    expect(stored).toContain('/upload-requests/[enlace privado');
    expect(t.logs.text).not.toContain(token);
    expect((await support.agent.get('/outbox')).text).not.toContain(token);
    expect(writtenForms(token).filter((f) => databaseBytes(dataDir!).includes(f.bytes)).map((f) => f.name)).toEqual([]);
  });

  it('then the contact gets each threshold once across two restarts and two concurrent runs, with one upload request per reminder; a new certificate restarts the series', async () => {
    sink = await startSmtpSink();
    let t = await start();
    await setContact(await t.signIn('support'), 'contacto@cliente.example', 'en');
    const concurrently = async () => {
      const second = openDatabase({ dataDir: dataDir! });
      try {
        return await Promise.all([
          runReminders(jobDeps(t, t.database.db, 'instance-a'), { now: t.clock.now() }),
          runReminders(jobDeps(t, second.db, 'instance-b'), { now: t.clock.now() }),
        ]);
      } finally {
        await second.close();
      }
    };
    const runs = await concurrently();
    console.log('two concurrent runs ->', runs.map((r) => mine(r).map((d) => d.outcome).join(',') || (r.ran ? 'nothing' : r.reason)));
    expect(orgMails()).toHaveLength(1);
    expect(orgMails()[0]!.subject).toBe('The CSD of Escuela Kemper Urgate expires in 10 days');
    expect(orgMails()[0]!.text).toContain('Upload the new CSD: http://csd.example.test/upload-requests/');

    for (let restart = 1; restart <= 2; restart++) {
      await t.close();
      apps = [];
      t = await start();
      const again = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
      expect(mine(again).map((d) => d.outcome)).toEqual(['already_sent']);
    }
    expect(orgMails()).toHaveLength(1);
    expect(await t.database.db.selectFrom('upload_requests').select('id').execute()).toHaveLength(1);

    // Day 5: the 7-day reminder, once, with its own fresh link.
    t.clock.advance(5 * DAY);
    await concurrently();
    expect(orgMails()).toHaveLength(2);
    expect(orgMails()[1]!.subject).toBe('The CSD of Escuela Kemper Urgate expires in 5 days');
    const links = orgMails().map((m) => /\/upload-requests\/([A-Za-z0-9_-]{43})/.exec(m.text)![1]);
    expect(new Set(links).size).toBe(2);
    expect(await t.database.db.selectFrom('upload_requests').select('id').execute()).toHaveLength(2);

    // A new certificate (new number): its own series.
    t.clock.advance(-5 * DAY);
    const { demoOrganizations } = await import('../emulator/index.js');
    const renewed = demoOrganizations(t.clock.now()).map((o) =>
      o.id === ORG ? { ...o, certificate: { ...o.certificate, serial_number: '30001000000500009999' } } : o);
    const now = new Date(t.clock.now().getTime() + 5 * DAY);
    await t.close();
    apps = [];
    t = await start({ now, organizations: renewed });
    await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(orgMails()).toHaveLength(3);
    expect(orgMails()[2]!.text).toContain('number 30001000000500009999');
  });

  it('then an organization with an account admin keeps its reminders for the admins, even when they opted out, and the contact gets nothing', async () => {
    sink = await startSmtpSink();
    const t = await start();
    const support = await t.signIn('support');
    await setContact(support, 'contacto@cliente.example');
    const admin = await t.database.db.selectFrom('users').select('id').where('email', '=', 'admin@example.test').executeTakeFirstOrThrow();
    await t.database.db.insertInto('memberships').values({ user_id: admin.id, organization_id: ORG, created_at: t.clock.now().toISOString(), created_by: null }).execute();
    await t.database.db.updateTable('users').set({ reminders_opted_out_at: t.clock.now().toISOString() }).where('id', '=', admin.id).execute();

    const page = await support.agent.get(`/organizations/${ORG}`);
    expect(page.text).toContain('Nadie recibe los avisos de vencimiento: el administrador de la cuenta los desactivó.');
    const run = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(mine(run).map((d) => [d.audience, d.outcome])).toEqual([['admins', 'no_recipients']]);
    expect(formatRun(run, { now: t.clock.now(), dryRun: false, transport: 'smtp' })).toContain('-> nobody: its 1 account admin(s) turned reminders off');
    expect(orgMails().filter((m) => m.to.includes('contacto@cliente.example'))).toEqual([]);

    await t.database.db.updateTable('users').set({ reminders_opted_out_at: null }).where('id', '=', admin.id).execute();
    expect((await support.agent.get(`/organizations/${ORG}`)).text).toContain('llegan a 1 administrador de la cuenta');
    await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(orgMails().map((m) => m.to[0])).toEqual(['admin@example.test']);
    expect(orgMails()[0]!.text).toContain('/reminders/unsubscribe/');
  });

  it('then a reminder the mail server refuses revokes its upload link (audited) and the retry sends a fresh one, once', async () => {
    sink = await startSmtpSink();
    const t = await start();
    await setContact(await t.signIn('support'), 'contacto@cliente.example');
    sink.reject = true;
    const first = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(mine(first).map((d) => d.outcome)).toEqual(['failed']);
    const revoked = await t.database.db.selectFrom('upload_requests').selectAll().execute();
    expect(revoked.map((r) => r.revoked_at !== null)).toEqual([true]);
    expect(await t.database.db.selectFrom('audit_events').select('actor_user_id').where('action', '=', 'upload_request.revoked').execute()).toEqual([{ actor_user_id: null }]);

    sink.reject = false;
    t.clock.advance(DAY);
    const second = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(mine(second).map((d) => d.outcome)).toEqual(['sent']);
    expect(orgMails()).toHaveLength(1);
    const rows = await t.database.db.selectFrom('upload_requests').selectAll().orderBy('created_at').execute();
    expect(rows.map((r) => r.revoked_at === null)).toEqual([false, true]);
    const third = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(mine(third).map((d) => d.outcome)).toEqual(['already_sent']);
    expect(orgMails()).toHaveLength(1);
  });

  it('then support can remove the contact (audited), a bad address is a 400 with a message, and an account admin cannot set one', async () => {
    sink = await startSmtpSink();
    const t = await start();
    const support = await t.signIn('support');
    for (const email of ['', 'no-at-sign', `${'x'.repeat(300)}@example.test`, 'a@example.test\r\nBcc: evil@example.test']) {
      const res = await setContact(support, email);
      expect(res.status, email).toBe(400);
      expect(res.text).toContain('Escribe un correo electrónico válido para el contacto de avisos.');
    }
    const noToken = await support.agent.post(`/organizations/${ORG}/reminder-contact`).type('form').send({ email: 'x@example.test' });
    expect(noToken.status).toBe(403);
    const unknown = await support.agent.post('/organizations/ffffffffffffffffffffffff/reminder-contact').type('form').send({ _csrf: support.csrf, email: 'x@example.test' });
    expect(unknown.status).toBe(404);
    const admin = await t.signIn('admin');
    const denied = await admin.agent.post(`/organizations/${ORG}/reminder-contact`).type('form').send({ _csrf: admin.csrf, email: 'x@example.test' });
    expect(denied.status).toBe(403);
    expect(await t.database.db.selectFrom('reminder_contacts').selectAll().execute()).toEqual([]);
    // Account admins do not see the section (support's tool).
    expect((await admin.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`)).text).not.toContain('id="reminders"');

    await setContact(support, 'contacto@cliente.example');
    const removed = await support.agent.post(`/organizations/${ORG}/reminder-contact/remove`).type('form').send({ _csrf: support.csrf });
    expect(removed.status).toBe(303);
    const page = await support.agent.get(`/organizations/${ORG}`);
    expect(page.text).toContain('Contacto para avisos quitado.');
    expect(page.text).toContain('data-audience="nobody"');
    const actions = await t.database.db.selectFrom('audit_events').select('action').where('action', 'like', 'reminder_contact.%').orderBy('occurred_at').execute();
    expect(actions.map((a) => a.action)).toEqual(['reminder_contact.set', 'reminder_contact.removed']);
    const run = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(mine(run).map((d) => [d.audience, d.outcome])).toEqual([['nobody', 'no_recipients']]);
    expect(orgMails()).toEqual([]);
  });
});
