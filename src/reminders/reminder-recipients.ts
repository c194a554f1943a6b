/** Who gets an organization's reminders: its account admins who can sign in and did not opt out. */
import type { Executor } from '../db/database.js';
import { mailLanguageOf, type MailLanguage } from '../mail/mail-language.js';

export interface Recipient {
  userId: string;
  email: string;
  name: string;
  language: MailLanguage;
}

/**
 * Enabled account admins that are members of the organization, have set a password (an invitation
 * still pending is not an account yet: issue 12's upload-request link covers those) and have not
 * turned reminders off. Ordered by e-mail.
 */
export async function reminderRecipients(db: Executor, organizationId: string): Promise<Recipient[]> {
  const rows = await db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.language'])
    .where('memberships.organization_id', '=', organizationId)
    .where('users.role', '=', 'account_admin')
    .where('users.disabled_at', 'is', null)
    .where('users.password_hash', 'is not', null)
    .where('users.reminders_opted_out_at', 'is', null)
    .orderBy('users.email')
    .execute();
  return rows.map((r) => ({ userId: r.id, email: r.email, name: r.name, language: mailLanguageOf(r.language) }));
}
