/**
 * The one place that builds nodemailer's SMTP transport, from SMTP_URL. Timeouts are short
 * (nodemailer's defaults wait minutes) because an invitation is e-mailed while support waits for
 * the page. The URL holds the SMTP password: it is handed to nodemailer and never logged.
 */
import nodemailer from 'nodemailer';

/** What the mailer needs of a transport: send one message, or throw. */
export interface MailTransport {
  send(message: { from: string; to: string; subject: string; text: string; html: string; language: string }): Promise<{ messageId: string }>;
  close(): void;
}

export function createSmtpTransport(smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
    // No logger, no debug: nodemailer would write the AUTH exchange and the bodies (tokens).
    logger: false,
    debug: false,
  });
  return {
    async send(message) {
      const info = await transporter.sendMail({
        from: message.from, to: message.to, subject: message.subject, text: message.text, html: message.html,
        headers: { 'Content-Language': message.language, 'Auto-Submitted': 'auto-generated' },
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close: () => transporter.close(),
  };
}
