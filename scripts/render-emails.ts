/**
 * Prints every e-mail the app sends (issue 12's closing note), in Spanish by default
 * (`--lang en` for English), rendered through the real templates (src/mail/mail-templates.ts):
 * the subject and the plain-text body as the recipient gets them. The secret links carry a
 * placeholder instead of a token. Usage: `npx tsx scripts/render-emails.ts [--lang en]`.
 */
import { renderMail, type MailFacts, type MailKind } from '../src/mail/mail-templates.js';
import { INVITATION_TTL_MS, PASSWORD_RESET_TTL_MS } from '../src/accounts/one-time-tokens.js';
import { UPLOAD_REQUEST_TTL_MS } from '../src/uploads/upload-requests.service.js';

const lang = process.argv.includes('--lang') && process.argv[process.argv.indexOf('--lang') + 1] === 'en' ? 'en' : 'es';
const URL = 'https://csd-relay.example.mx';
const TOKEN = '‹token›';
const NOW = new Date('2026-01-14T18:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const DAY = 86_400_000;
const org = { organizationName: 'Escuela Kemper Urgate', rfc: 'EKU9003173C9' };
const reminder = (daysLeft: number, extra: Partial<MailFacts['expiry_reminder']> = {}): MailFacts['expiry_reminder'] => ({
  name: 'Ana Administradora', ...org, credential: 'csd', certificateNumber: '30001000000500003416', expiresAt: at(daysLeft * DAY), daysLeft,
  organizationUrl: `${URL}/organizations/65a1c0de0000000000000001`, recipient: 'account_admin', unsubscribeUrl: `${URL}/reminders/unsubscribe/${TOKEN}`, ...extra,
});
const contactUnsubscribe = { name: '', recipient: 'reminder_contact', unsubscribeUrl: `${URL}/reminders/contact-unsubscribe/${TOKEN}` } as const;
const contact = { ...contactUnsubscribe, uploadRequestUrl: `${URL}/upload-requests/${TOKEN}`, uploadRequestExpiresAt: at(UPLOAD_REQUEST_TTL_MS) } as const;

const MAILS: { title: string; kind: MailKind; facts: MailFacts[MailKind] }[] = [
  { title: 'Invitation (support invites an account admin)', kind: 'invitation', facts: { name: 'Ana Administradora', link: `${URL}/account/set-password/${TOKEN}`, expiresAt: at(INVITATION_TTL_MS) } },
  { title: 'Password reset (support creates a reset link)', kind: 'password_reset', facts: { name: 'Ana Administradora', link: `${URL}/account/set-password/${TOKEN}`, expiresAt: at(PASSWORD_RESET_TTL_MS) } },
  { title: 'Expiry reminder to an account admin, CSD, 60/30/15/7 days (here 10 days left: the 15-day reminder)', kind: 'expiry_reminder', facts: reminder(10) },
  { title: 'Expiry reminder to an account admin, CSD, 1 day', kind: 'expiry_reminder', facts: reminder(1) },
  { title: 'Expiry reminder to an account admin, CSD, the day it expires (threshold 0, on the day)', kind: 'expiry_reminder', facts: reminder(0) },
  { title: 'Expiry reminder to an account admin, CSD, expired (threshold 0 caught up after the day, within 30 days)', kind: 'expiry_reminder', facts: reminder(-3) },
  { title: 'Expiry reminder to an account admin, e.firma, 7 days', kind: 'expiry_reminder', facts: reminder(7, { credential: 'fiel', certificateNumber: '30001000000500003442' }) },
  { title: 'Expiry reminder to the reminder contact of an organization without account admins, CSD (with a one-time upload link)', kind: 'expiry_reminder', facts: reminder(10, contact) },
  { title: 'Expiry reminder to the reminder contact, CSD, expired', kind: 'expiry_reminder', facts: reminder(-3, contact) },
  { title: 'Expiry reminder to the reminder contact, e.firma (with a one-time upload link)', kind: 'expiry_reminder', facts: reminder(7, { ...contact, credential: 'fiel', certificateNumber: '30001000000500003442' }) },
  { title: 'Upload request (support asks the customer to upload their CSD)', kind: 'upload_request', facts: { ...org, credential: 'csd', link: `${URL}/upload-requests/${TOKEN}`, expiresAt: at(UPLOAD_REQUEST_TTL_MS) } },
  { title: 'Upload request (support asks the customer to upload their e.firma)', kind: 'upload_request', facts: { ...org, credential: 'fiel', link: `${URL}/upload-requests/${TOKEN}`, expiresAt: at(UPLOAD_REQUEST_TTL_MS) } },
];

for (const mail of MAILS) {
  const { sent } = renderMail(mail.kind, lang, mail.facts as never);
  process.stdout.write(`### ${mail.title}\n\n**Asunto / Subject:** ${sent.subject}\n\n\`\`\`text\n${sent.text}\n\`\`\`\n\n`);
}
