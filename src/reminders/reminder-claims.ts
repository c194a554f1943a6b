/**
 * The once-only rule of reminders, in the database. A reminder is claimed by inserting its row
 * (unique per organization, credential kind, certificate number and threshold) BEFORE anything is
 * sent: the insert that wins sends, any other (a restart, a second process or instance) finds the
 * row and sends nothing. A new certificate has a new number, so its series starts again. A claim
 * whose messages could not all be delivered is marked `failed` and retried by a later run (taken
 * back by a conditional update, so only one run retries it); one left `claimed` by a crash is not
 * retried: it may have been sent, and a duplicate is worse than a missed reminder that the next
 * threshold repeats.
 */
import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { ExpiryRemindersTable } from '../db/schema.js';
import type { CredentialKind } from './credentials.js';

export interface ReminderKey {
  organizationId: string;
  credential: CredentialKind;
  certificateNumber: string;
  thresholdDays: number;
}

export type ClaimStatus = ExpiryRemindersTable['status'];

const byKey = (db: Executor, key: ReminderKey) => db.selectFrom('expiry_reminders').select(['id', 'status'])
  .where('organization_id', '=', key.organizationId).where('credential_kind', '=', key.credential)
  .where('certificate_number', '=', key.certificateNumber).where('threshold_days', '=', key.thresholdDays);

/** The claim of `key`, if any. */
export function findClaim(db: Executor, key: ReminderKey): Promise<{ id: string; status: ClaimStatus } | undefined> {
  return byKey(db, key).executeTakeFirst();
}

/** Claims `key`; returns the claim's id, or null when another run already has it. */
export async function claimReminder(
  db: Executor, key: ReminderKey, facts: { expiresAt: Date; daysLeft: number }, holder: string, now: Date,
): Promise<string | null> {
  const id = randomUUID();
  const inserted = await db.insertInto('expiry_reminders').values({
    id, organization_id: key.organizationId, credential_kind: key.credential, certificate_number: key.certificateNumber,
    threshold_days: key.thresholdDays, expires_at: facts.expiresAt.toISOString(), days_left: facts.daysLeft,
    claimed_at: now.toISOString(), claimed_by: holder, status: 'claimed', finished_at: null,
  }).onConflict((oc) => oc.columns(['organization_id', 'credential_kind', 'certificate_number', 'threshold_days']).doNothing()).executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1 ? id : null;
}

/** Takes a failed claim back for a retry; true for the one run that gets it. */
export async function reclaimFailed(db: Executor, id: string, holder: string, now: Date): Promise<boolean> {
  const r = await db.updateTable('expiry_reminders').set({ status: 'claimed', claimed_by: holder, claimed_at: now.toISOString() })
    .where('id', '=', id).where('status', '=', 'failed').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records how the claim ended. */
export async function finishClaim(db: Executor, id: string, status: 'sent' | 'failed', now: Date): Promise<void> {
  await db.updateTable('expiry_reminders').set({ status, finished_at: now.toISOString() }).where('id', '=', id).execute();
}

/** Recipients that already have this reminder (sent, or kept in the outbox). */
export async function deliveredTo(db: Executor, reminderId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('mail_messages').select('recipient').where('reminder_id', '=', reminderId).where('status', 'in', ['sent', 'stored']).execute();
  return new Set(rows.map((r) => r.recipient));
}
