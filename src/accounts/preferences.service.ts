/**
 * A person's e-mail preferences: the language of their e-mails and whether they get expiry
 * reminders. Changed on their settings page or, for the reminders, through the unsubscribe link
 * of a reminder (no login); each change is audited.
 */
import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { mailLanguageOf, type MailLanguage } from '../mail/mail-language.js';
import { getUserRow } from './users.service.js';

export interface Preferences {
  language: MailLanguage;
  reminders: boolean;
}

export async function getPreferences(db: Executor, userId: string): Promise<Preferences> {
  const row = await getUserRow(db, userId);
  return { language: mailLanguageOf(row.language), reminders: row.reminders_opted_out_at === null };
}

/**
 * Stores the preferences given (others unchanged) and writes `preferences.changed` when something
 * changed. `via` says where: the settings page or the e-mail's unsubscribe link.
 */
export function setPreferences(
  db: Executor, audit: AuditTrail, userId: string, wanted: Partial<Preferences>, ctx: ActionContext, via: 'settings' | 'unsubscribe_link',
): Promise<Preferences> {
  return inTransaction(db, async (trx) => {
    const row = await getUserRow(trx, userId);
    const before: Preferences = { language: mailLanguageOf(row.language), reminders: row.reminders_opted_out_at === null };
    const after: Preferences = { ...before, ...wanted };
    if (after.language === before.language && after.reminders === before.reminders) return before;
    const at = ctx.now().toISOString();
    await trx.updateTable('users').set({
      language: after.language,
      reminders_opted_out_at: after.reminders ? null : (row.reminders_opted_out_at ?? at),
      updated_at: at,
    }).where('id', '=', userId).execute();
    await audit.record({
      ...auditOrigin(ctx), action: 'preferences.changed', outcome: 'success',
      detail: { userId, email: row.email, via, language: after.language, reminders: after.reminders },
    }, trx);
    return after;
  });
}
