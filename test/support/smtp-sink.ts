/**
 * A real SMTP server on loopback (the smtp-server package, from the nodemailer project) that
 * keeps what arrives, for tests of outgoing e-mail. `reject` makes it refuse recipients (a 550),
 * to test failures. The messages are decoded enough to read: headers, and the text and HTML parts
 * (quoted-printable or base64), so a test asserts on what a mail client would show.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Resolves when at least `count` messages have arrived (bounded wait, no sleeps). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  reject: boolean;
  close(): Promise<void>;
}

/** RFC 2047 encoded words (nodemailer splits long subjects into several): bytes joined, then read as UTF-8. */
function decodeWords(value: string): string {
  const pieces = value.split(/(=\?utf-8\?[bq]\?[^?]*\?=)/i);
  let out = '';
  let bytes: Buffer[] = [];
  const flush = () => {
    out += Buffer.concat(bytes).toString('utf8');
    bytes = [];
  };
  pieces.forEach((piece, i) => {
    const word = /^=\?utf-8\?([bq])\?([^?]*)\?=$/i.exec(piece);
    if (word) {
      const [, enc = '', text = ''] = word;
      bytes.push(enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'));
      return;
    }
    // Whitespace between two encoded words is not part of the text.
    if (/^\s*$/.test(piece) && i > 0 && i < pieces.length - 1) return;
    flush();
    out += piece;
  });
  flush();
  return out;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (/base64/i.test(encoding ?? '')) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding ?? '')) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The text and HTML parts of a (possibly multipart) message. */
function parts(raw: string): { headers: Record<string, string>; text: string; html: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const out = { headers, text: '', html: '' };
  if (!boundary) {
    const decoded = decodeBody(body, headers['content-transfer-encoding']);
    if (/text\/html/i.test(headers['content-type'] ?? '')) out.html = decoded;
    else out.text = decoded;
    return out;
  }
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const inner = parts(chunk.replace(/^\r?\n/, ''));
    out.text ||= inner.text;
    out.html ||= inner.html;
  }
  return out;
}

/** `auth`: require these credentials (AUTH PLAIN/LOGIN over plain TCP, loopback only). */
export async function startSmtpSink(options: { auth?: { user: string; pass: string } } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const sink: Partial<SmtpSink> & { reject: boolean } = { reject: false };
  const server = new SMTPServer({
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      callback(options.auth ? new Error('Invalid username or password') : null, options.auth ? undefined : { user: auth.username });
    },
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (sink.reject) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, text, html } = parts(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address), raw, headers, subject: decodeWords(headers.subject ?? ''), text, html,
        });
        waiters.forEach((w) => w());
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    waitFor(count: number, timeoutMs = 5000) {
      if (mails.length >= count) return Promise.resolve(mails);
      return new Promise<ReceivedMail[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} e-mails, got ${mails.length}`));
        }, timeoutMs);
        const check = () => {
          if (mails.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mails);
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as SmtpSink;
}
