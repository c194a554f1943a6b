/** The CLI's plain-text account of a reminder run (English: it is for the operator, like the logs). */
import { mexicoCityDate } from '../organizations/expiry-days.js';
import type { ReminderRun } from './reminders.service.js';

const LABEL = { would_send: 'would send', sent: 'sent', failed: 'FAILED (retried next run)', already_sent: 'already sent', no_recipients: 'no recipients' } as const;

export function formatRun(run: ReminderRun, options: { now: Date; dryRun: boolean; transport: 'outbox' | 'smtp' }): string {
  const head = `Expiry reminders as of ${mexicoCityDate(options.now)} (Mexico City)${options.dryRun ? ', dry run: nothing claimed or sent' : `, through ${options.transport === 'smtp' ? 'SMTP' : 'the outbox (no SMTP_URL)'}`}`;
  if (!run.ran) return `${head}\nNot run: ${run.reason === 'lease_held' ? 'another run holds the job lease' : 'Facturapi could not be read'}\n`;
  const lines = run.due.map((d) => {
    const to = d.audience === 'nobody' ? 'nobody: no account admin and no reminder contact (support can set one on the organization page)'
      : d.recipients.length === 0 ? `nobody: its ${d.optedOut} account admin(s) turned reminders off`
        : d.audience === 'contact' ? `reminder contact ${d.recipients.map((r) => `${r.email} (${r.language})`).join(', ')} (no account admin)${d.uploadLink ? ', with a one-time upload link' : ''}`
          : d.recipients.map((r) => `${r.email} (${r.language})`).join(', ');
    const when = d.daysLeft > 0 ? `${d.daysLeft} day(s) left` : d.daysLeft === 0 ? 'expires today' : `expired ${-d.daysLeft} day(s) ago`;
    return `- ${LABEL[d.outcome]}: ${d.organizationName} (${d.organizationId}) ${d.credential.toUpperCase()} ${d.certificateNumber}, ${when}, ${d.thresholdDays}-day reminder -> ${to}`;
  });
  const tail = run.partial ? ['(partial: not every organization could be read from Facturapi)'] : [];
  return `${[head, ...(lines.length > 0 ? lines : ['Nothing is due.']), ...tail].join('\n')}\n`;
}
