import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as demoAccounts from './0002-demo-accounts.js';
import * as readinessHeartbeat from './0003-readiness-heartbeat.js';
import * as auditOutcomeUnknown from './0005-audit-outcome-unknown.js';
import * as mail from './0006-mail.js';
import * as expiryReminders from './0007-expiry-reminders.js';
import * as sharedState from './0008-shared-state.js';
import * as uploadRequests from './0009-upload-requests.js';
import * as reminderContacts from './0010-reminder-contacts.js';

/**
 * Every migration, listed by hand. A static list (not FileMigrationProvider) works the same
 * under tsx and from the compiled dist/, and bundles cleanly. Names sort in run order.
 * All pending ones run in one transaction (see migrator.ts), so a migration cannot use
 * statements SQLite refuses inside a transaction (VACUUM; PRAGMA foreign_keys is ignored there).
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-demo-accounts': demoAccounts,
  '0003-readiness-heartbeat': readinessHeartbeat,
  '0005-audit-outcome-unknown': auditOutcomeUnknown,
  '0006-mail': mail,
  '0007-expiry-reminders': expiryReminders,
  '0008-shared-state': sharedState,
  '0009-upload-requests': uploadRequests,
  '0010-reminder-contacts': reminderContacts,
};
