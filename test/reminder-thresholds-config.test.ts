/**
 * Issue 12, part 3: "configurable thresholds". The server's reminder job (startReminderJob, as
 * server.ts starts it, in demo mode: its own emulator and demo accounts) takes its thresholds from
 * REMINDER_DAYS: with `20,3` the organization expiring in 10 days gets its 20-day reminder (the
 * default list would have sent the 15-day one), nothing at 7, and its 3-day reminder a week later;
 * with `5` nothing is due yet. E-mail goes through a real SMTP server on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { announceFirstRun } from '../src/first-run.js';
import { createLogger } from '../src/logger.js';
import { startReminderJob } from '../src/reminders/reminder-job.js';
import { startRuntime } from '../src/runtime.js';
import { DEMO_ORGANIZATION_IDS, TEST_SESSION_SECRET } from './support/app-harness.js';
import { LogCapture } from './support/log-capture.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { createTestClock } from './support/test-clock.js';

const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A demo-mode server's runtime and reminder job with REMINDER_DAYS set; returns what the job claimed and sent. */
async function demoServer(reminderDays: string) {
  const sink: SmtpSink = await startSmtpSink();
  cleanups.push(() => sink.close());
  const clock = createTestClock('2026-03-01T18:00:00Z');
  const logger = createLogger({ level: 'debug', destination: new LogCapture().stream });
  const config = loadConfig({
    NODE_ENV: 'test', DATA_DIR: '/nonexistent-test-data-dir', SESSION_SECRET: TEST_SESSION_SECRET, PUBLIC_URL: 'http://127.0.0.1:3000',
    REMINDER_DAYS: reminderDays, SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>',
  });
  const runtime = await startRuntime(config, logger, clock.now, { database: openDatabase({ memory: true }), inspectionPool: false });
  cleanups.push(() => runtime.close());
  await announceFirstRun(config, runtime.deps, clock.now, () => true);
  const job = startReminderJob(config, { ...runtime.deps, mailer: runtime.deps.mailer! }, logger, clock.now);
  cleanups.push(() => job.stop());
  await job.firstRun;
  const claims = async () => (await runtime.deps.db.selectFrom('expiry_reminders').select(['organization_id', 'threshold_days', 'days_left'])
    .where('organization_id', '=', DEMO_ORGANIZATION_IDS.expiresSoon).orderBy('claimed_at').execute()).map((c) => `${c.threshold_days}-day reminder at ${c.days_left} days left`);
  const subjects = () => sink.mails.filter((m) => m.subject.includes('Escuela Kemper Urgate')).map((m) => m.subject);
  return { clock, job, claims, subjects, config };
}

describe('when REMINDER_DAYS is set', () => {
  it('then the server\'s job sends the reminders of those days: with 20,3 the 20-day one at 10 days left, none at 7, the 3-day one at 3', async () => {
    const s = await demoServer('20,3');
    expect(s.config.reminders.thresholdDays).toEqual([20, 3]);
    console.log('REMINDER_DAYS=20,3 after start:', await s.claims());
    expect(await s.claims()).toEqual(['20-day reminder at 10 days left']);
    expect(s.subjects()).toEqual(['El CSD de Escuela Kemper Urgate vence en 10 días']);

    s.clock.advance(3 * DAY);
    await s.job.schedule.trigger();
    expect(await s.claims()).toEqual(['20-day reminder at 10 days left']);

    s.clock.advance(4 * DAY);
    await s.job.schedule.trigger();
    console.log('REMINDER_DAYS=20,3 a week later:', await s.claims());
    expect(await s.claims()).toEqual(['20-day reminder at 10 days left', '3-day reminder at 3 days left']);
    expect(s.subjects()).toEqual(['El CSD de Escuela Kemper Urgate vence en 10 días', 'El CSD de Escuela Kemper Urgate vence en 3 días']);
  });

  it('then with 5 nothing is due for the organization 10 days from expiry', async () => {
    const s = await demoServer('5');
    expect(await s.claims()).toEqual([]);
    expect(s.subjects()).toEqual([]);
  });
});
