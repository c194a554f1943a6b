/**
 * Issue 12, part 3: "an opt-out per person" — for an organization's reminder contact too (an
 * address with no account). Its reminder e-mail carries a signed link for (organization,
 * address); opening it changes nothing (mail scanners open links), the confirming POST removes
 * that organization's contact only while it is still that address, audited as the contact's
 * removal through the link; an old e-mail of a replaced contact, a forged or tampered link and an
 * account admin's link do nothing and say so. The token is in the e-mail sent and nowhere else.
 * The job runs as the server runs it, against the real emulator, through a real SMTP server on
 * loopback; the database is a file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Executor } from '../src/db/database.js';
import { runReminders, type ReminderDeps } from '../src/reminders/reminders.service.js';
import { unsubscribeTokens } from '../src/reminders/unsubscribe-token.js';
import { csrfFrom, DEMO_ORGANIZATION_IDS, startTestApp, TEST_SESSION_SECRET, type SignedIn, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { reminderJobDeps } from './support/reminder-job.js';
import { databaseBytes } from './support/stored-secrets.js';

const DAY = 86_400_000;
const PUBLIC_URL = 'http://csd.example.test';
/** No account admin in the harness: the demo organization expiring in 10 days (its 15-day reminder is due). */
const ORG = DEMO_ORGANIZATION_IDS.expiresSoon;
const LINK_ES = /Dejar de recibir estos avisos: (http:\/\/csd\.example\.test\/reminders\/contact-unsubscribe\/(\S+))/;
const LINK_EN = /Stop these notices: (http:\/\/csd\.example\.test\/reminders\/contact-unsubscribe\/(\S+))/;

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

async function start(): Promise<TestApp> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-contact-unsub-'));
  const app = await startTestApp({ env: { PUBLIC_URL }, dataDir });
  apps.push(app);
  return app;
}

/** What the server's job gets. */
function jobDeps(app: TestApp, db: Executor): ReminderDeps {
  return reminderJobDeps(app, { db, smtpUrl: sink!.url, publicUrl: PUBLIC_URL });
}

const orgMails = () => sink!.mails.filter((m) => m.subject.includes('Escuela Kemper Urgate'));

async function setContact(support: SignedIn, email: string, language: 'es' | 'en' = 'es') {
  const res = await support.agent.post(`/organizations/${ORG}/reminder-contact`).type('form').send({ _csrf: support.csrf, email, language });
  expect(res.status).toBe(303);
}

const contacts = (t: TestApp) => t.database.db.selectFrom('reminder_contacts').select(['organization_id', 'email']).execute();
const removals = (t: TestApp) => t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'reminder_contact.removed').execute();

/** Sets the contact, runs the job, returns the link and token of the contact's e-mail. */
async function contactWithReminder(t: TestApp, email = 'contacto@cliente.example') {
  const support = await t.signIn('support');
  await setContact(support, email);
  await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
  const mail = orgMails().find((m) => m.to.includes(email))!;
  const [, link, token] = LINK_ES.exec(mail.text) as unknown as [string, string, string];
  return { support, mail, link, token };
}

describe('when a reminder contact gets a reminder', () => {
  it('then the e-mail carries their own unsubscribe link; opening it changes nothing; confirming removes the contact (audited, no actor, via the link) and the organization page says nobody gets them', async () => {
    sink = await startSmtpSink();
    const t = await start();
    const { support, mail, link, token } = await contactWithReminder(t);
    console.log(`the contact's e-mail:\n${mail.subject}\n\n${mail.text}`);
    expect(mail.text).toContain('Para no recibir más avisos de vencimiento de esta organización usa este enlace; también puedes pedírselo a soporte de csd-relay:');
    expect(mail.text).not.toContain('avisa a soporte');
    expect(mail.html).toContain(`<a href="${link}">Dejar de recibir estos avisos</a>`);
    // Not an account admin's link: that one is /reminders/unsubscribe/<user id>.<mac>.
    expect(mail.text).not.toContain('/reminders/unsubscribe/');

    // Opening the link (a mail scanner would) changes nothing; the token leaves the address bar.
    const visitor = request.agent(t.url);
    const opened = await visitor.get(new URL(link).pathname);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/reminders/contact-unsubscribe');
    const confirm = await visitor.get('/reminders/contact-unsubscribe');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('¿Dejar de enviar los avisos de vencimiento de esta organización a contacto@cliente.example?');
    expect(confirm.text).not.toContain(token);
    expect(await contacts(t)).toEqual([{ organization_id: ORG, email: 'contacto@cliente.example' }]);
    expect(await removals(t)).toEqual([]);

    // The POST needs the anonymous forms' CSRF token.
    expect((await visitor.post('/reminders/contact-unsubscribe').type('form').send({})).status).toBe(403);
    expect(await contacts(t)).toHaveLength(1);
    const done = await visitor.post('/reminders/contact-unsubscribe').type('form').send({ _csrf: csrfFrom(confirm.text) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Listo: contacto@cliente.example ya no recibirá los avisos de vencimiento de esta organización.');
    expect(await contacts(t)).toEqual([]);
    const [removed, ...more] = await removals(t);
    expect(more).toEqual([]);
    expect([removed!.organization_id, removed!.actor_user_id, removed!.actor_email, removed!.outcome]).toEqual([ORG, null, null, 'success']);
    expect(JSON.parse(removed!.detail!)).toEqual({ email: 'contacto@cliente.example', via: 'unsubscribe_link' });
    // The link was used: the page has nothing more to do.
    expect((await visitor.get('/reminders/contact-unsubscribe')).status).toBe(404);

    const page = await support.agent.get(`/organizations/${ORG}`);
    expect(page.text).toContain('data-audience="nobody"');
    expect(page.text).toContain('Nadie recibe los avisos de vencimiento de esta organización: no tiene administradores con cuenta ni un contacto para avisos.');
    const audit = await support.agent.get(`/audit?organizationId=${ORG}`);
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('Vía: enlace para dejar de recibir avisos');

    // The token: in the e-mail sent, nowhere else (logs, audit trail, sessions, stored mail, outbox, database bytes).
    const mac = token.split('.').pop()!;
    const stored = JSON.stringify([
      await t.database.db.selectFrom('audit_events').selectAll().execute(),
      await t.database.db.selectFrom('mail_messages').selectAll().execute(),
      await t.database.db.selectFrom('sessions').selectAll().execute(),
    ]);
    for (const secret of [token, mac]) {
      expect(stored).not.toContain(secret);
      expect(t.logs.text).not.toContain(secret);
      expect(audit.text).not.toContain(secret);
      expect((await support.agent.get('/outbox')).text).not.toContain(secret);
      expect(databaseBytes(dataDir!).includes(Buffer.from(secret))).toBe(false);
    }
    expect(stored).toContain('/reminders/contact-unsubscribe/[enlace privado');
    expect(t.logs.text).toContain('/reminders/contact-unsubscribe/[redacted]');
  });

  it('then the link in an old e-mail of a replaced contact does nothing and says so, while the new contact\'s own link (English) works', async () => {
    sink = await startSmtpSink();
    const t = await start();
    const { support: first, link: oldLink } = await contactWithReminder(t, 'antes@cliente.example');
    await setContact(first, 'nuevo@cliente.example', 'en');
    // The next threshold (10 → 7 days left): the new contact's reminder, in English.
    t.clock.advance(3 * DAY);
    const support = await t.signIn('support');
    await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    const mail = orgMails().find((m) => m.to.includes('nuevo@cliente.example'))!;
    expect(mail.text).toContain("To stop getting expiry notices for this organization, use this link; you can also ask csd-relay support:");
    expect(mail.text).not.toContain('tell support');
    const [, newLink] = LINK_EN.exec(mail.text) as unknown as [string, string];
    expect(mail.html).toContain(`<a href="${newLink}">Stop these notices</a>`);

    const old = request.agent(t.url);
    expect((await old.get(new URL(oldLink).pathname)).status).toBe(303);
    const stale = await old.get('/reminders/contact-unsubscribe');
    expect(stale.status).toBe(410);
    expect(stale.text).toContain('Este enlace era para antes@cliente.example, que ya no es el contacto para avisos de esta organización: no cambió nada.');
    expect(stale.text).not.toContain('id="contact-unsubscribe-submit"');
    // Even when it is posted (a page opened before the replacement): nothing changes.
    const anonymousForm = await old.get('/login');
    const posted = await old.post('/reminders/contact-unsubscribe').type('form').send({ _csrf: csrfFrom(anonymousForm.text) });
    expect(posted.status).toBe(410);
    expect(await contacts(t)).toEqual([{ organization_id: ORG, email: 'nuevo@cliente.example' }]);
    expect(await removals(t)).toEqual([]);

    // The page opened before the contact was replaced, confirmed after: nothing changes, and it says so.
    const racer = request.agent(t.url);
    await racer.get(new URL(newLink).pathname);
    const confirm = await racer.get('/reminders/contact-unsubscribe');
    expect(confirm.status).toBe(200);
    await setContact(support, 'tercero@cliente.example');
    const late = await racer.post('/reminders/contact-unsubscribe').type('form').send({ _csrf: csrfFrom(confirm.text) });
    expect(late.status).toBe(410);
    expect(late.text).toContain('Este enlace era para nuevo@cliente.example, que ya no es el contacto para avisos de esta organización: no cambió nada.');
    expect(await contacts(t)).toEqual([{ organization_id: ORG, email: 'tercero@cliente.example' }]);
    expect(await removals(t)).toEqual([]);

    // Set back to the address of the link: the link works again (it names the address, not a moment).
    await setContact(support, 'nuevo@cliente.example', 'en');
    const again = request.agent(t.url);
    await again.get(new URL(newLink).pathname);
    const page = await again.get('/reminders/contact-unsubscribe').set('Accept-Language', 'en');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Stop the expiry notices of this organization to nuevo@cliente.example?');
    const done = await again.post('/reminders/contact-unsubscribe').type('form').set('Accept-Language', 'en').send({ _csrf: csrfFrom(page.text) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Done: nuevo@cliente.example will get no more expiry notices for this organization.');
    expect(await contacts(t)).toEqual([]);
    expect((await removals(t)).map((r) => JSON.parse(r.detail!))).toEqual([{ email: 'nuevo@cliente.example', via: 'unsubscribe_link' }]);
  });

  it('then a forged or tampered link, and an account admin\'s link, are refused with a clear 404 page, never a 500, and nothing changes', async () => {
    sink = await startSmtpSink();
    const t = await start();
    const { token } = await contactWithReminder(t);
    const [org, email, mac] = token.split('.') as [string, string, string];
    const admin = await t.database.db.selectFrom('users').select('id').where('email', '=', 'admin@example.test').executeTakeFirstOrThrow();
    const userToken = unsubscribeTokens(TEST_SESSION_SECRET).issue(admin.id);
    const other = Buffer.from('otro@cliente.example').toString('base64url');
    const refused = {
      'a wrong signature': `${org}.${email}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      'another address under its signature': `${org}.${other}.${mac}`,
      'another organization under its signature': `${DEMO_ORGANIZATION_IDS.validForYears}.${email}.${mac}`,
      'signed with another secret': unsubscribeTokens('another-secret-0123456789-abcdefghijklmnopq').issueForContact(ORG, 'contacto@cliente.example'),
      "an account admin's link": userToken,
      'no signature': `${org}.${email}`,
    };
    for (const [name, forged] of Object.entries(refused)) {
      const visitor = request.agent(t.url);
      const opened = await visitor.get(`/reminders/contact-unsubscribe/${forged}`);
      expect(opened.status, name).toBe(303);
      const page = await visitor.get('/reminders/contact-unsubscribe');
      expect(page.status, name).toBe(404);
      expect(page.text, name).toContain('Este enlace para dejar de recibir avisos no es válido.');
      expect(page.text, name).not.toContain('<form method="post" action="/reminders/contact-unsubscribe"');
    }
    // The contact's token is no account admin's link either.
    const crossed = request.agent(t.url);
    expect((await crossed.get(`/reminders/unsubscribe/${token}`)).status).toBe(303);
    expect((await crossed.get('/reminders/unsubscribe')).status).toBe(404);
    // A POST with no opened link: 404 with the message.
    const login = request.agent(t.url);
    const loginPage = await login.get('/login');
    const blind = await login.post('/reminders/contact-unsubscribe').type('form').send({ _csrf: csrfFrom(loginPage.text) });
    expect(blind.status).toBe(404);
    expect(blind.text).toContain('Este enlace para dejar de recibir avisos no es válido.');

    expect(await contacts(t)).toEqual([{ organization_id: ORG, email: 'contacto@cliente.example' }]);
    expect(await removals(t)).toEqual([]);
    const prefs = await t.database.db.selectFrom('users').select('reminders_opted_out_at').where('reminders_opted_out_at', 'is not', null).execute();
    expect(prefs).toEqual([]);
  });
});
