/**
 * Issue 12, parts 1 and 3 together: the e.firma is a credential the reminder job covers, with its
 * own series (claimed per credential kind and number). Run as the server runs it, against the
 * emulator, mailing through a real SMTP server on loopback.
 */
import { afterEach, expect, it } from 'vitest';
import { runReminders } from '../src/reminders/reminders.service.js';
import { demoOrganizations } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';
import { DEMO_ORGANIZATION_IDS, startTestApp, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { reminderJobDeps } from './support/reminder-job.js';

const DAY = 86_400_000;
const PUBLIC_URL = 'http://csd.example.test';
const FIEL_NUMBER = '30001000000900000555';
let t: TestApp | undefined;
let sink: SmtpSink | undefined;
afterEach(async () => {
  await t?.close();
  await sink?.close();
});

it('an e.firma expiring in 7 days gets its reminder to the organization’s admin, claimed as a fiel credential', async () => {
  sink = await startSmtpSink();
  // The admin's organization (no CSD) holds an e.firma that expires in 7 days.
  const organizations = demoOrganizations(FIXTURE_REFERENCE_DATE).map((o) =>
    o.id === DEMO_ORGANIZATION_IDS.noCertificate
      ? { ...o, fiel: { has_certificate: true, updated_at: FIXTURE_REFERENCE_DATE.toISOString(), expires_at: new Date(FIXTURE_REFERENCE_DATE.getTime() + 7 * DAY).toISOString(), serial_number: FIEL_NUMBER } }
      : o,
  );
  t = await startTestApp({ env: { PUBLIC_URL }, organizations });
  const db = t.database.db;
  const run = await runReminders(reminderJobDeps(t, { smtpUrl: sink.url, publicUrl: PUBLIC_URL }), { now: t.clock.now() });
  expect(run.ran).toBe(true);
  const mail = sink.mails.find((m) => m.to[0] === 'admin@example.test');
  expect(mail?.subject).toBe('La e.firma de Café Altura Chiapaneca vence en 7 días');
  expect(mail?.text).toContain(`La e.firma (FIEL) de Café Altura Chiapaneca, número ${FIEL_NUMBER}`);
  const claims = await db.selectFrom('expiry_reminders').select(['organization_id', 'credential_kind', 'certificate_number', 'threshold_days']).where('organization_id', '=', DEMO_ORGANIZATION_IDS.noCertificate).execute();
  expect(claims).toEqual([{ organization_id: DEMO_ORGANIZATION_IDS.noCertificate, credential_kind: 'fiel', certificate_number: FIEL_NUMBER, threshold_days: 7 }]);
});
