/**
 * An organization's reminder contact (issue 12): the e-mail address that gets its expiry reminders
 * while it has no account admin (customers who never took an invitation, or whose admins were all
 * disabled). Support sets or removes it on the organization page; each change is audited in the
 * same transaction. An address is not a secret: the trail names it, as for upload requests.
 */
import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { mailLanguageOf, type MailLanguage } from '../mail/mail-language.js';

export interface ReminderContact {
  email: string;
  language: MailLanguage;
  setAt: Date;
}

export async function getReminderContact(db: Executor, organizationId: string): Promise<ReminderContact | null> {
  const row = await db.selectFrom('reminder_contacts').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  return row ? { email: row.email, language: mailLanguageOf(row.language), setAt: new Date(row.set_at) } : null;
}

/** Sets (or replaces) the contact; audited as `reminder_contact.set` when something changed. */
export function setReminderContact(
  deps: { db: Executor; audit: AuditTrail }, input: { organizationId: string; email: string; language: MailLanguage }, ctx: ActionContext,
): Promise<void> {
  return inTransaction(deps.db, async (trx) => {
    const before = await trx.selectFrom('reminder_contacts').selectAll().where('organization_id', '=', input.organizationId).executeTakeFirst();
    if (before && before.email === input.email && before.language === input.language) return;
    const at = ctx.now().toISOString();
    await trx.insertInto('reminder_contacts')
      .values({ organization_id: input.organizationId, email: input.email, language: input.language, set_by: ctx.actor?.id ?? null, set_at: at })
      .onConflict((oc) => oc.column('organization_id').doUpdateSet({ email: input.email, language: input.language, set_by: ctx.actor?.id ?? null, set_at: at }))
      .execute();
    await deps.audit.record({
      ...auditOrigin(ctx), action: 'reminder_contact.set', outcome: 'success', organizationId: input.organizationId,
      detail: { email: input.email, language: input.language, ...(before ? { previousEmail: before.email } : {}) },
    }, trx);
  });
}

/** Removes the contact; false when there was none. Audited as `reminder_contact.removed`. */
export function removeReminderContact(deps: { db: Executor; audit: AuditTrail }, organizationId: string, ctx: ActionContext): Promise<boolean> {
  return inTransaction(deps.db, async (trx) => {
    const before = await trx.selectFrom('reminder_contacts').select('email').where('organization_id', '=', organizationId).executeTakeFirst();
    if (!before) return false;
    await trx.deleteFrom('reminder_contacts').where('organization_id', '=', organizationId).execute();
    await deps.audit.record({ ...auditOrigin(ctx), action: 'reminder_contact.removed', outcome: 'success', organizationId, detail: { email: before.email } }, trx);
    return true;
  });
}

/**
 * The contact's own unsubscribe link (web/contact-unsubscribe.routes.ts): removes the contact only
 * while it is still `email` (a link from an old e-mail of a replaced contact removes nothing).
 * Audited as `reminder_contact.removed` through the link, in the same transaction.
 */
export function removeReminderContactByLink(
  deps: { db: Executor; audit: AuditTrail }, link: { organizationId: string; email: string }, ctx: ActionContext,
): Promise<'removed' | 'not_the_contact'> {
  return inTransaction(deps.db, async (trx) => {
    const deleted = await trx.deleteFrom('reminder_contacts')
      .where('organization_id', '=', link.organizationId).where('email', '=', link.email).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return 'not_the_contact';
    await deps.audit.record({
      ...auditOrigin(ctx), action: 'reminder_contact.removed', outcome: 'success', organizationId: link.organizationId,
      detail: { email: link.email, via: 'unsubscribe_link' },
    }, trx);
    return 'removed';
  });
}

/** Whether `email` is still the organization's reminder contact. */
export async function isReminderContact(db: Executor, link: { organizationId: string; email: string }): Promise<boolean> {
  const contact = await getReminderContact(db, link.organizationId);
  return contact?.email === link.email;
}
