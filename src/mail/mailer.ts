/**
 * Sends one e-mail and records it. With a transport (SMTP_URL) the message is handed to the SMTP
 * server, retried a few times on failure; without one it is only stored (the outbox, shown to
 * support at /outbox). Either way one mail_messages row says what happened, with the bodies as
 * stored (secret links masked, see mail-templates.ts). Never throws: a message that cannot be
 * sent is a recorded failure, never a lost invitation or a 500. Logs name the message's id,
 * kind and outcome, never its recipient's link or body.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Executor } from '../db/database.js';
import type { MailMessagesTable } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { MailLanguage } from './mail-language.js';
import { renderMail, type MailFacts, type MailKind } from './mail-templates.js';
import type { MailTransport } from './smtp-transport.js';

/** One message to send. */
export interface OutgoingMail<K extends MailKind = MailKind> {
  kind: K;
  to: string;
  language: MailLanguage;
  facts: MailFacts[K];
  userId?: string | null;
  organizationId?: string | null;
  reminderId?: string | null;
}

/** What happened: `stored` = kept in the outbox (no SMTP server configured). */
export interface MailOutcome {
  id: string;
  status: MailMessagesTable['status'];
  attempts: number;
  errorCode: string | null;
}

export interface Mailer {
  /** `outbox`: no SMTP server, messages are only stored. */
  readonly transport: 'outbox' | 'smtp';
  send<K extends MailKind>(mail: OutgoingMail<K>): Promise<MailOutcome>;
  close(): void;
}

export interface MailerOptions {
  db: Executor;
  /** null: the outbox only. */
  transport: MailTransport | null;
  from: string;
  now: () => Date;
  logger: Logger;
  /** Waits before each retry (ms); its length is the number of retries. Tests pass zeros. */
  retryDelaysMs?: readonly number[];
}

/** Two retries, after half a second and two seconds: enough for a refused connection or a greylisting blip. */
export const DEFAULT_RETRY_DELAYS_MS = [500, 2000] as const;

/** nodemailer's error code or the SMTP reply code: safe to store and log (never the message, which may quote the envelope). */
function errorCodeOf(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown };
  const code = typeof e?.code === 'string' ? e.code.slice(0, 40) : 'ERROR';
  return typeof e?.responseCode === 'number' ? `${code}:${e.responseCode}` : code;
}

export function createMailer(options: MailerOptions): Mailer {
  const retries = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  return {
    transport: options.transport ? 'smtp' : 'outbox',
    async send(mail) {
      const id = randomUUID();
      const { sent, stored } = renderMail(mail.kind, mail.language, mail.facts);
      let status: MailOutcome['status'] = 'stored';
      let attempts = 0;
      let errorCode: string | null = null;
      if (options.transport) {
        for (;;) {
          attempts += 1;
          try {
            await options.transport.send({ from: options.from, to: mail.to, language: mail.language, ...sent });
            status = 'sent';
            errorCode = null;
            break;
          } catch (error) {
            status = 'failed';
            errorCode = errorCodeOf(error);
            const wait = retries[attempts - 1];
            if (wait === undefined) break;
            await delay(wait);
          }
        }
      }
      const at = options.now().toISOString();
      try {
        await options.db.insertInto('mail_messages').values({
          id, created_at: at, kind: mail.kind, recipient: mail.to, language: mail.language,
          subject: stored.subject, text_body: stored.text, html_body: stored.html,
          transport: options.transport ? 'smtp' : 'outbox', status, attempts, error_code: errorCode,
          sent_at: status === 'sent' ? at : null, user_id: mail.userId ?? null,
          organization_id: mail.organizationId ?? null, reminder_id: mail.reminderId ?? null,
        }).execute();
      } catch (error) {
        options.logger.error({ mailId: id, kind: mail.kind, err: { message: (error as Error)?.message } }, 'could not record an e-mail');
      }
      const log = { mailId: id, kind: mail.kind, status, attempts, errorCode };
      if (status === 'failed') options.logger.warn(log, 'e-mail could not be sent');
      else options.logger.info(log, status === 'sent' ? 'e-mail sent' : 'e-mail kept in the outbox (no SMTP_URL)');
      return { id, status, attempts, errorCode };
    },
    close: () => options.transport?.close(),
  };
}
