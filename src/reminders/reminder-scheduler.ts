/**
 * Triggers the reminder job daily inside the server, with croner (maintained, no dependencies,
 * time zones and overrun protection built in): `REMINDER_CRON` in Mexico City time. The scheduler
 * only triggers; the job takes `now` from the injected clock, so tests call the job (or
 * `trigger()`) with their own clock. Overlapping runs in one process are skipped by croner's
 * `protect`; across processes and instances the job's database lease decides.
 */
import { Cron } from 'croner';
import type { Logger } from '../logger.js';

export interface ReminderSchedule {
  /** Runs the job now (start-up, tests). */
  trigger(): Promise<void>;
  nextRun(): Date | null;
  stop(): void;
}

export function scheduleReminders(options: { cron: string; now: () => Date; logger: Logger; job: (now: Date) => Promise<unknown> }): ReminderSchedule {
  const task = new Cron(options.cron, {
    name: 'expiry-reminders', timezone: 'America/Mexico_City', protect: true, unref: true,
    catch: (error) => options.logger.error({ err: { message: (error as Error)?.message } }, 'reminder job failed'),
  }, async () => {
    await options.job(options.now());
  });
  return { trigger: () => task.trigger(), nextRun: () => task.nextRun(), stop: () => task.stop() };
}
