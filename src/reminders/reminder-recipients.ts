/**
 * Who gets an organization's reminders: its account admins who can sign in and did not opt out;
 * when it has no account admin at all, its reminder contact (reminder-contacts.ts), if support
 * set one; otherwise nobody, and the run's report and the organization page say so.
 */
import type { Executor } from '../db/database.js';
import { mailLanguageOf, type MailLanguage } from '../mail/mail-language.js';
import { getReminderContact } from './reminder-contacts.js';

export interface Recipient {
  /** Null for the organization's reminder contact (an address, not an account). */
  userId: string | null;
  email: string;
  name: string;
  language: MailLanguage;
}

/**
 * `admins`: its account admins (possibly none left after opt-outs: `optedOut` says how many
 * turned reminders off); `contact`: no account admin, the reminder contact gets them; `nobody`:
 * neither an account admin nor a contact.
 */
export type Audience =
  | { kind: 'admins'; recipients: Recipient[]; optedOut: number }
  | { kind: 'contact'; recipients: [Recipient] }
  | { kind: 'nobody'; recipients: [] };

/**
 * Enabled account admins that are members of the organization and have set a password (an
 * invitation still pending is not an account yet: the contact's upload link covers those).
 * Ordered by e-mail, with whether each turned reminders off.
 */
async function accountAdmins(db: Executor, organizationId: string) {
  return db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.language', 'users.reminders_opted_out_at'])
    .where('memberships.organization_id', '=', organizationId)
    .where('users.role', '=', 'account_admin')
    .where('users.disabled_at', 'is', null)
    .where('users.password_hash', 'is not', null)
    .orderBy('users.email')
    .execute();
}

export async function reminderAudience(db: Executor, organizationId: string): Promise<Audience> {
  const admins = await accountAdmins(db, organizationId);
  if (admins.length > 0) {
    const recipients = admins.filter((r) => r.reminders_opted_out_at === null).map((r) => ({ userId: r.id, email: r.email, name: r.name, language: mailLanguageOf(r.language) }));
    return { kind: 'admins', recipients, optedOut: admins.length - recipients.length };
  }
  // Admins who opted out are still admins: the contact is for organizations with no account at all.
  const contact = await getReminderContact(db, organizationId);
  if (!contact) return { kind: 'nobody', recipients: [] };
  return { kind: 'contact', recipients: [{ userId: null, email: contact.email, name: '', language: contact.language }] };
}

/** What the organization page tells support about its reminders: who gets them, and its contact. */
export interface ReminderSetup {
  audience: Audience['kind'];
  /** Account admins who turned reminders off. */
  optedOut: number;
  /** How many account admins get them. */
  admins: number;
  contact: Awaited<ReturnType<typeof getReminderContact>>;
}

export async function reminderSetup(db: Executor, organizationId: string): Promise<ReminderSetup> {
  const audience = await reminderAudience(db, organizationId);
  return {
    audience: audience.kind,
    optedOut: audience.kind === 'admins' ? audience.optedOut : 0,
    admins: audience.kind === 'admins' ? audience.recipients.length : 0,
    contact: await getReminderContact(db, organizationId),
  };
}
