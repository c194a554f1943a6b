/**
 * Issue 12, part 3: expiry reminders. The job is run as the server runs it (runReminders with the
 * injected clock) against the real emulator, e-mailing through a real SMTP server on loopback;
 * the opt-out goes through the app over HTTP (settings page, and the e-mail's own unsubscribe
 * link without login). Restarts and a second process use one SQLite file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Executor } from '../src/db/database.js';
import { createFacturapiClient } from '../src/facturapi/client.js';
import { claimReminder } from '../src/reminders/reminder-claims.js';
import { runReminders, type ReminderDeps, type ReminderRun } from '../src/reminders/reminders.service.js';
import { demoOrganizations } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';
import { csrfFrom, DEMO_ORGANIZATION_IDS, startTestApp, TEST_USER_KEY, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { reminderJobDeps } from './support/reminder-job.js';

const DAY = 86_400_000;
const PUBLIC_URL = 'http://csd.example.test';
let apps: TestApp[] = [];
let sink: SmtpSink | undefined;
let dataDir: string | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const app of apps.splice(0)) await app.close();
  await sink?.close();
  sink = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function start(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const app = await startTestApp({ env: { PUBLIC_URL }, ...options });
  apps.push(app);
  return app;
}

/** What the server's job gets, over `db` (the app's, or a second connection to its file). */
function jobDeps(app: TestApp, db: Executor, instanceId?: string): ReminderDeps {
  return reminderJobDeps(app, { db, smtpUrl: sink!.url, publicUrl: PUBLIC_URL, instanceId });
}

/** admin (Spanish) manages the organization expiring in 10 days; otherAdmin (English) the one in 45. */
async function arrange(app: TestApp): Promise<void> {
  const db = app.database.db;
  const admin = await db.selectFrom('users').select('id').where('email', '=', 'admin@example.test').executeTakeFirstOrThrow();
  await db.insertInto('memberships').values({ user_id: admin.id, organization_id: DEMO_ORGANIZATION_IDS.expiresSoon, created_at: FIXTURE_REFERENCE_DATE.toISOString(), created_by: null })
    .onConflict((oc) => oc.doNothing()).execute();
  await db.updateTable('users').set({ language: 'en' }).where('email', '=', 'otra@example.test').execute();
}

/** The outcomes of a run, leaving out the demo's expired organization, which has no admin here. */
const outcomes = (run: ReminderRun) => (run.ran ? run.due.filter((d) => d.organizationId !== DEMO_ORGANIZATION_IDS.expired).map((d) => d.outcome) : run.reason);

const subjects = () => sink!.mails.map((m) => `${m.to.join(',')}: ${m.subject}`).sort();

describe('when the daily reminder job runs', () => {
  it('then each due organization\'s account admins get one e-mail in their language, linking to the organization page, and it is audited', async () => {
    sink = await startSmtpSink();
    const t = await start();
    await arrange(t);
    const run = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(run.ran).toBe(true);

    console.log(subjects());
    expect(subjects()).toEqual([
      'admin@example.test: El CSD de Escuela Kemper Urgate vence en 10 días',
      'otra@example.test: The CSD of Abarrotes Gómez & Hijos expires in 45 days',
    ]);
    const es = sink.mails.find((m) => m.to[0] === 'admin@example.test')!;
    expect(es.text).toContain('Hola, Ana Administradora:');
    expect(es.text).toContain('El certificado de sello digital (CSD) de Escuela Kemper Urgate (RFC EKU9003173C9), número 30001000000500003416, vence el 24 de enero de 2026: faltan 10 días.');
    expect(es.text).toContain(`Abrir Escuela Kemper Urgate en csd-relay: ${PUBLIC_URL}/organizations/${DEMO_ORGANIZATION_IDS.expiresSoon}`);
    expect(es.text).toMatch(new RegExp(`Dejar de recibir estos avisos: ${PUBLIC_URL}/reminders/unsubscribe/[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}`));
    expect(es.html).toContain(`<a href="${PUBLIC_URL}/organizations/${DEMO_ORGANIZATION_IDS.expiresSoon}">`);
    const en = sink.mails.find((m) => m.to[0] === 'otra@example.test')!;
    expect(en.html).toContain('Abarrotes Gómez &amp; Hijos');

    const claims = await t.database.db.selectFrom('expiry_reminders').select(['organization_id', 'threshold_days', 'status', 'days_left']).orderBy('threshold_days').execute();
    expect(claims).toEqual([
      { organization_id: DEMO_ORGANIZATION_IDS.expiresSoon, threshold_days: 15, status: 'sent', days_left: 10 },
      { organization_id: DEMO_ORGANIZATION_IDS.expiresIn45Days, threshold_days: 60, status: 'sent', days_left: 45 },
    ]);
    const audited = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'reminder.emailed').execute();
    expect(audited.map((e) => [e.organization_id, e.outcome, JSON.parse(e.detail!).thresholdDays]).sort()).toEqual([
      [DEMO_ORGANIZATION_IDS.expiresSoon, 'success', 15],
      [DEMO_ORGANIZATION_IDS.expiresIn45Days, 'success', 60],
    ]);
    // The unsubscribe links are secrets of their recipients: not in the logs, the trail or the stored copies.
    const token = /\/reminders\/unsubscribe\/([^\s]+)/.exec(es.text)![1]!;
    const stored = JSON.stringify(await t.database.db.selectFrom('mail_messages').selectAll().execute());
    expect(t.logs.text).not.toContain(token);
    expect(JSON.stringify(audited)).not.toContain(token);
    expect(stored).not.toContain(token);
  });

  it('then no reminder is sent twice across two restarts and two concurrent runs on one SQLite file, the next threshold still comes, and a new certificate restarts the series', async () => {
    sink = await startSmtpSink();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-reminders-'));
    let t = await start({ dataDir });
    await arrange(t);
    // Two processes' worth of runs at once: the app's connection and a second one to the same file.
    const concurrently = async (label: string) => {
      const second = openDatabase({ dataDir: dataDir! });
      try {
        const runs = await Promise.all([
          runReminders(jobDeps(t, t.database.db, 'instance-a'), { now: t.clock.now() }),
          runReminders(jobDeps(t, second.db, 'instance-b'), { now: t.clock.now() }),
        ]);
        console.log(`${label}: concurrent runs ->`, runs.map((r) => outcomes(r)));
        return runs;
      } finally {
        await second.close();
      }
    };
    await concurrently('day 10');
    expect(subjects()).toEqual([
      'admin@example.test: El CSD de Escuela Kemper Urgate vence en 10 días',
      'otra@example.test: The CSD of Abarrotes Gómez & Hijos expires in 45 days',
    ]);

    for (let restart = 1; restart <= 2; restart++) {
      await t.close();
      apps = [];
      t = await start({ dataDir });
      const again = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
      expect(outcomes(again)).toEqual(['already_sent', 'already_sent']);
    }
    expect(sink.mails).toHaveLength(2);

    // Claims hold on their own too (without the lease): two connections claim one key at once, one wins.
    const second = openDatabase({ dataDir });
    closers.push(() => second.close());
    const key = { organizationId: DEMO_ORGANIZATION_IDS.expired, credential: 'csd' as const, certificateNumber: '1', thresholdDays: 0 };
    const facts = { expiresAt: t.clock.now(), daysLeft: 0 };
    const claims = await Promise.all([claimReminder(t.database.db, key, facts, 'a', t.clock.now()), claimReminder(second.db, key, facts, 'b', t.clock.now())]);
    expect(claims.filter((c) => c !== null)).toHaveLength(1);

    // Day 10 → day 5: the 7-day reminder is due (once, though two runs start together); the 45-day
    // organization (now 40) has had its 60-day one.
    t.clock.advance(5 * DAY);
    await concurrently('day 5');
    expect(subjects()).toContain('admin@example.test: El CSD de Escuela Kemper Urgate vence en 5 días');
    expect(sink.mails).toHaveLength(3);

    // A new certificate (new number) five days from expiry: its own series, its own 7-day reminder.
    await t.close();
    apps = [];
    const renewed = demoOrganizations(new Date(t.clock.now().getTime() - 5 * DAY)).map((o) =>
      o.id === DEMO_ORGANIZATION_IDS.expiresSoon ? { ...o, certificate: { ...o.certificate, serial_number: '30001000000500009999' } } : o);
    t = await start({ dataDir, now: t.clock.now(), organizations: renewed });
    await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(sink.mails).toHaveLength(4);
    expect(sink.mails[3]!.text).toContain('número 30001000000500009999');
  });

  it('then a person who opted out on the settings page, or through the e-mail\'s unsubscribe link without signing in, gets no more reminders', async () => {
    sink = await startSmtpSink();
    const t = await start();
    await arrange(t);
    await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(sink.mails).toHaveLength(2);

    // admin: the settings page (checkbox off).
    const admin = await t.signIn('admin');
    const settings = await admin.agent.get('/account/settings');
    expect(settings.text).toContain('id="settings-reminders"');
    expect((await admin.agent.post('/account/settings').type('form').send({ _csrf: admin.csrf, language: 'es' })).status).toBe(303);

    // otherAdmin: the link in the e-mail, in a browser with no session.
    const link = /Stop these notices: (\S+)/.exec(sink.mails.find((m) => m.to[0] === 'otra@example.test')!.text)![1]!;
    const visitor = request.agent(t.url);
    const opened = await visitor.get(new URL(link).pathname);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/reminders/unsubscribe');
    const confirm = await visitor.get('/reminders/unsubscribe');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('otra@example.test');
    expect(confirm.text).not.toContain(new URL(link).pathname.split('/').pop());
    expect((await visitor.post('/reminders/unsubscribe').type('form').send({})).status).toBe(403);
    const done = await visitor.post('/reminders/unsubscribe').type('form').send({ _csrf: csrfFrom(confirm.text) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('ya no recibirá avisos');
    // A forged link opens nothing.
    const forged = request.agent(t.url);
    await forged.get(`/reminders/unsubscribe/${new URL(link).pathname.split('/').pop()!.slice(0, -2)}xx`);
    expect((await forged.get('/reminders/unsubscribe')).status).toBe(404);

    const rows = await t.database.db.selectFrom('users').select(['email', 'reminders_opted_out_at']).where('email', 'in', ['admin@example.test', 'otra@example.test']).execute();
    expect(rows.every((r) => r.reminders_opted_out_at !== null)).toBe(true);
    const changes = await t.database.db.selectFrom('audit_events').select(['detail']).where('action', '=', 'preferences.changed').execute();
    expect(changes.map((c) => JSON.parse(c.detail!).via).sort()).toEqual(['settings', 'unsubscribe_link']);
    expect(t.logs.text).not.toContain(new URL(link).pathname.split('/').pop());

    // Both organizations' next thresholds come due (10 → 7 days; 45 → 30 days): nobody is e-mailed.
    t.clock.advance(15 * DAY);
    const later = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(later.ran && later.due.map((d) => d.outcome)).toEqual(expect.arrayContaining(['no_recipients']));
    expect(sink.mails).toHaveLength(2);
  });

  it('then a message the mail server refuses is recorded, audited as a failure, and retried by the next run', async () => {
    sink = await startSmtpSink();
    const t = await start();
    await arrange(t);
    sink.reject = true;
    const first = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(outcomes(first)).toEqual(['failed', 'failed']);
    const failures = await t.database.db.selectFrom('audit_events').select('outcome').where('action', '=', 'reminder.emailed').execute();
    expect(failures.map((f) => f.outcome)).toEqual(['failure', 'failure']);
    sink.reject = false;
    t.clock.advance(DAY);
    const second = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(outcomes(second)).toEqual(['sent', 'sent']);
    expect(sink.mails).toHaveLength(2);
    const third = await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() });
    expect(outcomes(third)).toEqual(['already_sent', 'already_sent']);
  });

  it('then a run that cannot read Facturapi sends nothing, claims nothing, frees its lease, and the next run works', async () => {
    sink = await startSmtpSink();
    const t = await start();
    await arrange(t);
    const down = { ...jobDeps(t, t.database.db), facturapi: createFacturapiClient({ baseUrl: 'http://127.0.0.1:1/v2', userKey: TEST_USER_KEY, timeoutMs: 2000, retry: { baseDelayMs: 1 } }) };
    expect(await runReminders(down, { now: t.clock.now() })).toEqual({ ran: false, reason: 'facturapi_failed' });
    expect(await t.database.db.selectFrom('expiry_reminders').select('id').execute()).toEqual([]);
    expect(outcomes(await runReminders(jobDeps(t, t.database.db), { now: t.clock.now() }))).toEqual(['sent', 'sent']);
    expect(sink.mails).toHaveLength(2);
  });
});
