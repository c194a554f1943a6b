/**
 * E-mails a freshly issued one-time link (invitation, password reset) to its person, in their
 * language. The link is also shown once to support, as before: a message that cannot be sent
 * loses nothing (the link still works; the mailer records the failure).
 */
import type { Executor } from '../db/database.js';
import type { Mailer, MailOutcome } from '../mail/mailer.js';
import { mailLanguageOf } from '../mail/mail-language.js';
import { getUserRow } from './users.service.js';

export interface LinkMail {
  purpose: 'invitation' | 'password_reset';
  userId: string;
  /** The whole link, token included (only the sent message holds it). */
  link: string;
  expiresAt: string;
  organizationId?: string | null;
}

export async function emailLink(mailer: Mailer, db: Executor, mail: LinkMail): Promise<MailOutcome> {
  const user = await getUserRow(db, mail.userId);
  return mailer.send({
    kind: mail.purpose,
    to: user.email,
    language: mailLanguageOf(user.language),
    facts: { name: user.name, link: mail.link, expiresAt: new Date(mail.expiresAt) },
    userId: user.id,
    organizationId: mail.organizationId ?? null,
  });
}
