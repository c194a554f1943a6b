/**
 * The reminder job as the server runs it: once at start-up (claims make a repeat harmless, and the
 * demo's expiring organization shows its reminder in the outbox at once), then on REMINDER_CRON.
 */
import type { AuditTrail } from '../audit/audit.service.js';
import type { AppConfig } from '../config.js';
import type { Executor } from '../db/database.js';
import type { FacturapiClient } from '../facturapi/client.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { scheduleReminders, type ReminderSchedule } from './reminder-scheduler.js';
import { runReminders } from './reminders.service.js';
import { unsubscribeTokens } from './unsubscribe-token.js';

export interface ReminderJobParts {
  db: Executor;
  facturapi: FacturapiClient;
  mailer: Mailer;
  audit: AuditTrail;
  sessionSecret: string;
}

export interface ReminderJob {
  schedule: ReminderSchedule;
  firstRun: Promise<void>;
  /** Stops the schedule and waits for a run in progress (shutdown: before the database closes). */
  stop(): Promise<void>;
}

export function startReminderJob(config: AppConfig, parts: ReminderJobParts, logger: Logger, now: () => Date): ReminderJob {
  const deps = {
    db: parts.db, facturapi: parts.facturapi, mailer: parts.mailer, audit: parts.audit, logger, publicUrl: config.publicUrl,
    thresholdDays: config.reminders.thresholdDays, tokens: unsubscribeTokens(parts.sessionSecret),
  };
  let running: Promise<unknown> = Promise.resolve();
  const schedule = scheduleReminders({
    cron: config.reminders.cron, now, logger,
    job: (at) => (running = runReminders(deps, { now: at })),
  });
  return {
    schedule,
    firstRun: schedule.trigger(),
    async stop() {
      schedule.stop();
      await running.catch(() => undefined);
    },
  };
}
