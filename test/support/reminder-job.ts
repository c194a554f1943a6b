/**
 * What the server's expiry-reminder job gets (reminders.service.ts `ReminderDeps`), built for a
 * test app: its emulator, clock and log capture, mail through a real SMTP server (the sink), over
 * `db` — the app's database, or a second connection to its file standing in for another instance.
 */
import { createAuditTrail } from '../../src/audit/audit.service.js';
import type { Executor } from '../../src/db/database.js';
import { createFacturapiClient } from '../../src/facturapi/client.js';
import { createLogger } from '../../src/logger.js';
import { createMailer } from '../../src/mail/mailer.js';
import { createSmtpTransport } from '../../src/mail/smtp-transport.js';
import type { ReminderDeps } from '../../src/reminders/reminders.service.js';
import { unsubscribeTokens } from '../../src/reminders/unsubscribe-token.js';
import { TEST_SESSION_SECRET, TEST_USER_KEY, type TestApp } from './app-harness.js';

export function reminderJobDeps(app: TestApp, options: { smtpUrl: string; publicUrl: string; db?: Executor; instanceId?: string }): ReminderDeps {
  const db = options.db ?? app.database.db;
  const logger = createLogger({ level: 'debug', destination: app.logs.stream });
  return {
    db, logger, publicUrl: options.publicUrl, thresholdDays: [60, 30, 15, 7, 1, 0], tokens: unsubscribeTokens(TEST_SESSION_SECRET),
    facturapi: createFacturapiClient({ baseUrl: app.emulator.url, userKey: TEST_USER_KEY, timeoutMs: 5000, logger }),
    mailer: createMailer({ db, transport: createSmtpTransport(options.smtpUrl), from: 'no-reply@example.test', now: app.clock.now, logger, retryDelaysMs: [0, 0] }),
    audit: createAuditTrail(db, { now: app.clock.now }),
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
  };
}
