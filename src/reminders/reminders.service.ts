/**
 * The daily expiry-reminder job. `runReminders(deps, { now })` reads every organization from
 * Facturapi, works out for each credential the reminder due today (calendar days in Mexico City,
 * the configured thresholds), claims it in the database (once per organization, credential kind,
 * certificate number and threshold), e-mails the organization's account admins in their language
 * with a link to the organization page and an unsubscribe link (an organization with no account
 * admin: its reminder contact, with a fresh one-time upload link instead of the page and its own
 * unsubscribe link), and audits it. A job lease keeps
 * two runs from working at once. `dryRun` claims and sends nothing: it says what would be sent.
 * The job takes `now`; whatever triggers it (the scheduler, the CLI, a test) passes the clock.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Executor } from '../db/database.js';
import type { FacturapiClient } from '../facturapi/client.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { fetchAllOrganizations } from '../radar/radar.service.js';
import { expiringCredentials, type CredentialKind } from './credentials.js';
import { acquireLease, releaseLease } from './job-lease.js';
import { calendarDaysUntil } from '../organizations/expiry-days.js';
import { claimReminder, deliveredTo, findClaim, finishClaim, reclaimFailed, type ReminderKey } from './reminder-claims.js';
import { reminderAudience, type Audience, type Recipient } from './reminder-recipients.js';
import { issueUploadRequest, revokeUploadRequest } from '../uploads/upload-requests.service.js';
import type { ActionContext } from '../audit/action-context.js';
import { dueThreshold } from './reminder-thresholds.js';
import { contactUnsubscribeLink, unsubscribeLink, type UnsubscribeTokens } from './unsubscribe-token.js';

export const REMINDER_JOB = 'expiry-reminders';
/** Longer than a run over 3,000 organizations takes; a crashed holder frees it after this. */
export const LEASE_TTL_MS = 15 * 60_000;


export interface ReminderDeps {
  db: Executor;
  facturapi: FacturapiClient;
  mailer: Mailer;
  audit: AuditTrail;
  logger: Logger;
  publicUrl: string;
  thresholdDays: readonly number[];
  tokens: UnsubscribeTokens;
  /** Who holds the lease: one id per process. */
  instanceId?: string;
}

/** One reminder the run found due. */
export interface DueReminder extends ReminderKey {
  organizationName: string;
  rfc: string | null;
  expiresAt: Date;
  daysLeft: number;
  recipients: Recipient[];
  /** Who they are: the account admins, the reminder contact (no admin has an account), or nobody. */
  audience: Audience['kind'];
  /** Account admins who turned reminders off (audience `admins`). */
  optedOut: number;
  /** The contact's e-mail carries a fresh one-time upload link (audience `contact`; the link's page takes either credential). */
  uploadLink: boolean;
  /** would_send (dry run), sent, failed (some message not delivered; retried later), already_sent, no_recipients. */
  outcome: 'would_send' | 'sent' | 'failed' | 'already_sent' | 'no_recipients';
}

export type ReminderRun =
  | { ran: true; due: DueReminder[]; partial: boolean }
  | { ran: false; reason: 'lease_held' | 'facturapi_failed' };

export async function runReminders(deps: ReminderDeps, options: { now: Date; dryRun?: boolean }): Promise<ReminderRun> {
  const { now } = options;
  const holder = deps.instanceId ?? randomUUID();
  if (!options.dryRun && !(await acquireLease(deps.db, REMINDER_JOB, holder, now, LEASE_TTL_MS))) {
    deps.logger.info({ job: REMINDER_JOB }, 'reminder run skipped: another run holds the lease');
    return { ran: false, reason: 'lease_held' };
  }
  try {
    let listing;
    try {
      listing = await fetchAllOrganizations(deps.facturapi);
    } catch (error) {
      deps.logger.warn({ job: REMINDER_JOB, err: { code: (error as { code?: string })?.code } }, 'reminder run stopped: Facturapi could not be read');
      return { ran: false, reason: 'facturapi_failed' };
    }
    const due: DueReminder[] = [];
    for (const organization of listing.organizations) {
      for (const credential of expiringCredentials(organization)) {
        const daysLeft = calendarDaysUntil(credential.expiresAt, now);
        const thresholdDays = dueThreshold(daysLeft, deps.thresholdDays);
        if (thresholdDays === null) continue;
        const key: ReminderKey = { organizationId: organization.id, credential: credential.kind, certificateNumber: credential.certificateNumber, thresholdDays };
        const audience = await reminderAudience(deps.db, organization.id);
        const reminder: DueReminder = {
          ...key, organizationName: organization.name || organization.legalName, rfc: organization.rfc,
          expiresAt: credential.expiresAt, daysLeft, recipients: audience.recipients, audience: audience.kind,
          optedOut: audience.kind === 'admins' ? audience.optedOut : 0,
          uploadLink: audience.kind === 'contact', outcome: 'would_send',
        };
        due.push(reminder);
        reminder.outcome = await handle(deps, reminder, holder, now, options.dryRun ?? false);
      }
    }
    const counts = Object.fromEntries(['sent', 'failed', 'already_sent', 'no_recipients', 'would_send'].map((o) => [o, due.filter((d) => d.outcome === o).length]));
    deps.logger.info({ job: REMINDER_JOB, dryRun: options.dryRun ?? false, organizations: listing.organizations.length, ...counts }, 'reminder run finished');
    return { ran: true, due, partial: listing.partial !== null };
  } finally {
    if (!options.dryRun) await releaseLease(deps.db, REMINDER_JOB, holder, now);
  }
}

async function handle(deps: ReminderDeps, reminder: DueReminder, holder: string, now: Date, dryRun: boolean): Promise<DueReminder['outcome']> {
  const existing = await findClaim(deps.db, reminder);
  if (existing && existing.status !== 'failed') return 'already_sent';
  // No one to tell: claim nothing, so an admin added later still gets this threshold's reminder.
  if (reminder.recipients.length === 0) return 'no_recipients';
  if (dryRun) return existing ? 'failed' : 'would_send';
  const id = existing ? ((await reclaimFailed(deps.db, existing.id, holder, now)) ? existing.id : null) : await claimReminder(deps.db, reminder, reminder, holder, now);
  if (id === null) return 'already_sent';

  const already = await deliveredTo(deps.db, id);
  const organizationUrl = `${deps.publicUrl}/organizations/${reminder.organizationId}`;
  let delivered = already.size;
  let failed = 0;
  let uploadRequestId: string | null = null;
  const job: ActionContext = { now: () => now, actor: null, userAgent: 'reminder-job' };
  for (const person of reminder.recipients) {
    if (already.has(person.email)) continue;
    // The contact has no account: a fresh one-time upload link (hashed, 7 days, audited, listed on
    // the organization page) instead of the page, and the contact's own unsubscribe link.
    const link = person.userId === null && reminder.uploadLink
      ? await issueUploadRequest(deps, { organizationId: reminder.organizationId, credential: reminder.credential, email: person.email, language: person.language, publicUrl: deps.publicUrl, via: 'reminder' }, job)
      : null;
    const outcome = await deps.mailer.send({
      kind: 'expiry_reminder', to: person.email, language: person.language, userId: person.userId,
      organizationId: reminder.organizationId, reminderId: id,
      facts: {
        name: person.name, organizationName: reminder.organizationName, rfc: reminder.rfc, credential: reminder.credential,
        certificateNumber: reminder.certificateNumber, expiresAt: reminder.expiresAt, daysLeft: reminder.daysLeft,
        organizationUrl,
        // Each recipient's own signed link: the admin's turns their reminders off, the contact's removes the contact.
        ...(person.userId === null
          ? { recipient: 'reminder_contact' as const, unsubscribeUrl: contactUnsubscribeLink(deps.publicUrl, deps.tokens.issueForContact(reminder.organizationId, person.email)) }
          : { recipient: 'account_admin' as const, unsubscribeUrl: unsubscribeLink(deps.publicUrl, deps.tokens.issue(person.userId)) }),
        ...(link ? { uploadRequestUrl: link.link, uploadRequestExpiresAt: link.expiresAt } : {}),
      },
    });
    if (outcome.status === 'failed') {
      failed += 1;
      // Nobody has that link: revoked (audited) so the page does not list a request never received; the retry makes a new one.
      if (link) await revokeUploadRequest(deps, reminder.organizationId, link.id, job);
    } else {
      delivered += 1;
      if (link) uploadRequestId = link.id;
    }
  }
  const status = failed > 0 ? 'failed' : 'sent';
  await finishClaim(deps.db, id, status, now);
  await deps.audit.record({
    actor: null, organizationId: reminder.organizationId, action: 'reminder.emailed', outcome: failed > 0 ? 'failure' : 'success',
    userAgent: 'reminder-job',
    detail: {
      credential: reminder.credential satisfies CredentialKind, certificateNumber: reminder.certificateNumber,
      thresholdDays: reminder.thresholdDays, daysLeft: reminder.daysLeft, recipients: reminder.recipients.length, delivered, failed,
      retry: existing !== undefined, transport: deps.mailer.transport, audience: reminder.audience,
      ...(uploadRequestId ? { uploadRequestId } : {}),
    },
  });
  return status;
}
