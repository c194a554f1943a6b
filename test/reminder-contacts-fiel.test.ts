/**
 * Issue 12, parts 3 and 4 for the e.firma: the reminder to an organization's reminder contact
 * (no account admin) carries a one-time upload link for the credential that expires, so an
 * expiring e.firma's reminder opens the e.firma form, not the CSD's. Run as the server runs the
 * job, against the emulator, mailing through a real SMTP server on loopback.
 */
import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { runReminders } from '../src/reminders/reminders.service.js';
import { demoOrganizations } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';
import { DEMO_ORGANIZATION_IDS, startTestApp, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { reminderJobDeps } from './support/reminder-job.js';

const DAY = 86_400_000;
const PUBLIC_URL = 'http://csd.example.test';
const FIEL_NUMBER = '30001000000900000777';
/** No account admin in the harness. */
const ORG = DEMO_ORGANIZATION_IDS.expiresSoon;
const FIEL_LINK = /Subir la e\.firma nueva: http:\/\/csd\.example\.test(\/upload-requests\/[A-Za-z0-9_-]{43})/;

let t: TestApp | undefined;
let sink: SmtpSink | undefined;
afterEach(async () => {
  await t?.close();
  await sink?.close();
});

it('when an organization without account admins has a reminder contact and its e.firma expires in 7 days, then the contact’s e-mail links to the e.firma form', async () => {
  sink = await startSmtpSink();
  const organizations = demoOrganizations(FIXTURE_REFERENCE_DATE).map((o) =>
    o.id === ORG ? { ...o, fiel: { has_certificate: true, updated_at: FIXTURE_REFERENCE_DATE.toISOString(), expires_at: new Date(FIXTURE_REFERENCE_DATE.getTime() + 7 * DAY).toISOString(), serial_number: FIEL_NUMBER } } : o,
  );
  t = await startTestApp({ env: { PUBLIC_URL }, organizations });
  const support = await t.signIn('support');
  const saved = await support.agent.post(`/organizations/${ORG}/reminder-contact`).type('form').send({ _csrf: support.csrf, email: 'contacto@cliente.example', language: 'es' });
  expect(saved.status).toBe(303);

  const db = t.database.db;
  const run = await runReminders(reminderJobDeps(t, { smtpUrl: sink.url, publicUrl: PUBLIC_URL }), { now: t.clock.now() });
  expect(run.ran).toBe(true);

  const mail = sink.mails.find((m) => m.to[0] === 'contacto@cliente.example' && m.subject.startsWith('La e.firma'));
  expect(mail?.subject).toBe('La e.firma de Escuela Kemper Urgate vence en 7 días');
  const path = FIEL_LINK.exec(mail!.text)?.[1];
  expect(path).toBeDefined();
  const requests = await db.selectFrom('upload_requests').select(['organization_id', 'credential_kind', 'email']).orderBy('credential_kind').execute();
  expect(requests).toEqual([
    { organization_id: ORG, credential_kind: 'csd', email: 'contacto@cliente.example' },
    { organization_id: ORG, credential_kind: 'fiel', email: 'contacto@cliente.example' },
  ]);

  // The link opens the e.firma's form (its explanation and confirmation), not the CSD's.
  const page = await request(t.url).get(path!);
  expect(page.status).toBe(200);
  expect(page.text).toContain('id="fiel-cer"');
  expect(page.text).not.toContain('id="cer"');
});
