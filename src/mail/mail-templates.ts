/**
 * Every e-mail the app writes, in one place, in Spanish (default) and English: a subject, a plain
 * text body and a simple HTML body, built from facts (names, dates, links), never from request
 * input. Everything interpolated into the HTML is escaped.
 *
 * Links that are secrets (a one-time set-password link, a signed unsubscribe link, later a
 * one-time upload link) go through `secret()`: each message is rendered twice, once with them for
 * the recipient and once with a marker for what the app stores (the outbox, the delivery record),
 * so no token is ever written to the database or shown to anyone but the recipient.
 * Mail words live here rather than in src/i18n: the catalogues there belong to the web pages.
 */
import type { MailLanguage } from './mail-language.js';

/** What is kept of a secret link: the link's path up to the token, then this. */
export const SECRET_LINK_MARKER = '[enlace privado: solo en el correo enviado / private link: only in the e-mail sent]';

/** A rendered e-mail. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** The credential an expiry reminder is about ('fiel' once the e.firma is handled). */
export type CredentialKind = 'csd' | 'fiel';

/** Facts of each kind of e-mail. */
export interface MailFacts {
  invitation: { name: string; link: string; expiresAt: Date };
  password_reset: { name: string; link: string; expiresAt: Date };
  expiry_reminder: {
    name: string;
    organizationName: string;
    rfc: string | null;
    credential: CredentialKind;
    certificateNumber: string;
    expiresAt: Date;
    /** Calendar days left in Mexico City; 0 on the day it expires, negative after. */
    daysLeft: number;
    organizationUrl: string;
    /** Who gets it: an account admin, or an organization's reminder contact (an address, no account). */
    recipient: 'account_admin' | 'reminder_contact';
    /** The recipient's own signed unsubscribe link (the admin's, or the contact's for this organization). */
    unsubscribeUrl: string;
    /** A one-time upload link for organizations whose admins have no account (issue 12, part 4). */
    uploadRequestUrl?: string;
    /** When that upload link stops working. */
    uploadRequestExpiresAt?: Date;
  };
  /** Support asks a customer to upload their own credential (issue 12, part 4). */
  upload_request: {
    organizationName: string;
    rfc: string | null;
    credential: CredentialKind;
    /** The one-time upload link, token included (only the sent message holds it). */
    link: string;
    expiresAt: Date;
  };
}
export type MailKind = keyof MailFacts;

/** One line of a body: plain text, or text with a link. */
type Line = string | { text: string; url: string; secret?: boolean };

const LOCALES: Record<MailLanguage, string> = { es: 'es-MX', en: 'en-US' };
const dateOf = (lang: MailLanguage, d: Date) => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'America/Mexico_City' }).format(d);
const dateTimeOf = (lang: MailLanguage, d: Date) =>
  new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'America/Mexico_City' }).format(d);

const CREDENTIAL = {
  // Spanish says "el CSD" but "la e.firma": the article travels with the name.
  es: { csd: { short: 'CSD', long: 'certificado de sello digital (CSD)', the: 'El' }, fiel: { short: 'e.firma', long: 'e.firma (FIEL)', the: 'La' } },
  en: { csd: { short: 'CSD', long: 'digital seal certificate (CSD)', the: 'The' }, fiel: { short: 'e.firma', long: 'e.firma (FIEL)', the: 'The' } },
} as const;

const days = (lang: MailLanguage, n: number) => (lang === 'es' ? (n === 1 ? '1 día' : `${n} días`) : n === 1 ? '1 day' : `${n} days`);

type ReminderFacts = MailFacts['expiry_reminder'];
type CredentialWords = { short: string; long: string; the: string };

/**
 * A reminder to an organization's reminder contact: an address with no account, so no
 * organization page (it needs a sign-in); the one-time upload link, when there is one, is how
 * they act; their own unsubscribe link removes the address (support can also do it).
 */
function contactLinesEs(f: ReminderFacts, c: CredentialWords, org: string, state: string): Line[] {
  const renew = f.credential === 'csd'
    ? 'Sin un CSD vigente, Facturapi no puede timbrar las facturas de la organización. Tramita uno nuevo en el SAT (CertiSAT)'
    : 'Sin una e.firma vigente, Facturapi no puede descargar los CFDI de la organización. Renuévala en el SAT';
  const it = f.credential === 'csd' ? 'súbelo' : 'súbela';
  return [
    'Hola:',
    `${c.the} ${c.long} de ${org}, número ${f.certificateNumber}, ${state}`,
    ...(f.uploadRequestUrl
      ? [
          `${renew} y ${it} con este enlace. No necesitas cuenta, y ni la llave privada (.key) ni su contraseña pasan por soporte. Sirve solo para esta organización, funciona hasta que se suba el certificado${f.uploadRequestExpiresAt ? ` y vence el ${dateTimeOf('es', f.uploadRequestExpiresAt)} (hora de la Ciudad de México)` : ''}:`,
          { text: f.credential === 'csd' ? 'Subir el CSD nuevo' : 'Subir la e.firma nueva', url: f.uploadRequestUrl, secret: true },
        ]
      : [`${renew} y pide a soporte de csd-relay un enlace para subirl${f.credential === 'csd' ? 'o' : 'a'}.`]),
    'Recibes este aviso porque soporte de csd-relay registró este correo como contacto de la organización para los avisos de vencimiento: la organización no tiene administradores con cuenta. Para no recibir más avisos de vencimiento de esta organización usa este enlace; también puedes pedírselo a soporte de csd-relay:',
    { text: 'Dejar de recibir estos avisos', url: f.unsubscribeUrl, secret: true },
  ];
}

function contactLinesEn(f: ReminderFacts, c: CredentialWords, org: string, state: string): Line[] {
  const renew = f.credential === 'csd'
    ? "Without a valid CSD, Facturapi cannot stamp the organization's invoices. Get a new one from SAT (CertiSAT)"
    : "Without a valid e.firma, Facturapi cannot download the organization's CFDI. Renew it at SAT";
  return [
    'Hello,',
    `The ${c.long} of ${org}, number ${f.certificateNumber}, ${state}`,
    ...(f.uploadRequestUrl
      ? [
          `${renew} and upload it with this link. No account is needed, and neither the private key (.key) nor its password goes through support. It works for this organization only, until the certificate is uploaded${f.uploadRequestExpiresAt ? `, and expires on ${dateTimeOf('en', f.uploadRequestExpiresAt)} (Mexico City time)` : ''}:`,
          { text: `Upload the new ${c.short}`, url: f.uploadRequestUrl, secret: true },
        ]
      : [`${renew} and ask csd-relay support for a link to upload it.`]),
    'You get this notice because csd-relay support registered this address as the organization\'s contact for expiry notices: the organization has no admin with an account. To stop getting expiry notices for this organization, use this link; you can also ask csd-relay support:',
    { text: 'Stop these notices', url: f.unsubscribeUrl, secret: true },
  ];
}

/** The words: one function per kind and language, returning the subject and the lines. */
const WRITERS: { [K in MailKind]: Record<MailLanguage, (f: MailFacts[K]) => { subject: string; lines: Line[] }> } = {
  invitation: {
    es: (f) => ({
      subject: 'Invitación a csd-relay',
      lines: [
        `Hola, ${f.name}:`,
        'Soporte de csd-relay te invitó a administrar el certificado de sello digital (CSD) de tu organización en Facturapi.',
        `Para crear tu contraseña abre este enlace. Funciona una sola vez y vence el ${dateTimeOf('es', f.expiresAt)} (hora de la Ciudad de México):`,
        { text: 'Crear mi contraseña', url: f.link, secret: true },
        'Si no esperabas este correo, ignóralo: sin el enlace no se activa ninguna cuenta.',
      ],
    }),
    en: (f) => ({
      subject: 'Your invitation to csd-relay',
      lines: [
        `Hello ${f.name},`,
        "csd-relay support invited you to manage your organization's digital seal certificate (CSD) at Facturapi.",
        `To create your password, open this link. It works once and expires on ${dateTimeOf('en', f.expiresAt)} (Mexico City time):`,
        { text: 'Create my password', url: f.link, secret: true },
        'If you did not expect this e-mail, ignore it: without the link no account is activated.',
      ],
    }),
  },
  password_reset: {
    es: (f) => ({
      subject: 'Restablece tu contraseña de csd-relay',
      lines: [
        `Hola, ${f.name}:`,
        'Soporte de csd-relay creó un enlace para que elijas una contraseña nueva. Tu contraseña actual sigue funcionando hasta que lo uses.',
        `Abre este enlace. Funciona una sola vez y vence el ${dateTimeOf('es', f.expiresAt)} (hora de la Ciudad de México):`,
        { text: 'Elegir una contraseña nueva', url: f.link, secret: true },
        'Si tú no lo pediste, avisa a soporte.',
      ],
    }),
    en: (f) => ({
      subject: 'Reset your csd-relay password',
      lines: [
        `Hello ${f.name},`,
        'csd-relay support created a link for you to choose a new password. Your current password keeps working until you use it.',
        `Open this link. It works once and expires on ${dateTimeOf('en', f.expiresAt)} (Mexico City time):`,
        { text: 'Choose a new password', url: f.link, secret: true },
        'If you did not ask for this, tell support.',
      ],
    }),
  },
  expiry_reminder: {
    es: (f) => {
      const c = CREDENTIAL.es[f.credential];
      const org = f.rfc ? `${f.organizationName} (RFC ${f.rfc})` : f.organizationName;
      const when = dateOf('es', f.expiresAt);
      const subject = f.daysLeft > 1 ? `${c.the} ${c.short} de ${f.organizationName} vence en ${days('es', f.daysLeft)}`
        : f.daysLeft === 1 ? `${c.the} ${c.short} de ${f.organizationName} vence mañana`
          : f.daysLeft === 0 ? `${c.the} ${c.short} de ${f.organizationName} vence hoy` : `${c.the} ${c.short} de ${f.organizationName} venció`;
      const state = f.daysLeft > 0 ? `vence el ${when}: ${f.daysLeft === 1 ? 'falta 1 día' : `faltan ${days('es', f.daysLeft)}`}.`
        : f.daysLeft === 0 ? `vence hoy, ${when}.` : `venció el ${when}.`;
      if (f.recipient === 'reminder_contact') return { subject, lines: contactLinesEs(f, c, org, state) };
      return {
        subject,
        lines: [
          `Hola, ${f.name}:`,
          `${c.the} ${c.long} de ${org}, número ${f.certificateNumber}, ${state}`,
          f.credential === 'csd'
            ? 'Sin un CSD vigente, Facturapi no puede timbrar las facturas de la organización. Tramita uno nuevo en el SAT (CertiSAT) y súbelo en csd-relay:'
            : 'Sin una e.firma vigente, Facturapi no puede descargar los CFDI de la organización. Renuévala en el SAT y súbela en csd-relay:',
          { text: `Abrir ${f.organizationName} en csd-relay`, url: f.organizationUrl },
          ...(f.uploadRequestUrl ? [{ text: 'Subir el certificado nuevo (enlace de un solo uso)', url: f.uploadRequestUrl, secret: true }] : []),
          'Recibes este aviso porque administras esta organización en csd-relay. Para no recibir más avisos de vencimiento:',
          { text: 'Dejar de recibir estos avisos', url: f.unsubscribeUrl, secret: true },
        ],
      };
    },
    en: (f) => {
      const c = CREDENTIAL.en[f.credential];
      const org = f.rfc ? `${f.organizationName} (RFC ${f.rfc})` : f.organizationName;
      const when = dateOf('en', f.expiresAt);
      const subject = f.daysLeft > 1 ? `The ${c.short} of ${f.organizationName} expires in ${days('en', f.daysLeft)}`
        : f.daysLeft === 1 ? `The ${c.short} of ${f.organizationName} expires tomorrow`
          : f.daysLeft === 0 ? `The ${c.short} of ${f.organizationName} expires today` : `The ${c.short} of ${f.organizationName} has expired`;
      const state = f.daysLeft > 0 ? `expires on ${when}: ${days('en', f.daysLeft)} left.` : f.daysLeft === 0 ? `expires today, ${when}.` : `expired on ${when}.`;
      if (f.recipient === 'reminder_contact') return { subject, lines: contactLinesEn(f, c, org, state) };
      return {
        subject,
        lines: [
          `Hello ${f.name},`,
          `The ${c.long} of ${org}, number ${f.certificateNumber}, ${state}`,
          f.credential === 'csd'
            ? "Without a valid CSD, Facturapi cannot stamp the organization's invoices. Get a new one from SAT (CertiSAT) and upload it in csd-relay:"
            : "Without a valid e.firma, Facturapi cannot download the organization's CFDI. Renew it at SAT and upload it in csd-relay:",
          { text: `Open ${f.organizationName} in csd-relay`, url: f.organizationUrl },
          ...(f.uploadRequestUrl ? [{ text: 'Upload the new certificate (one-time link)', url: f.uploadRequestUrl, secret: true }] : []),
          'You get this notice because you manage this organization in csd-relay. To stop getting expiry notices:',
          { text: 'Stop these notices', url: f.unsubscribeUrl, secret: true },
        ],
      };
    },
  },
  upload_request: {
    es: (f) => {
      const c = CREDENTIAL.es[f.credential];
      // "el CSD", "la e.firma".
      const the = c.the.toLowerCase();
      const org = f.rfc ? `${f.organizationName} (RFC ${f.rfc})` : f.organizationName;
      return {
        subject: `Sube ${the} ${c.short} de ${f.organizationName}`,
        lines: [
          'Hola:',
          `Soporte de csd-relay te pide subir ${the} ${c.long} de ${org}. Lo haces tú mismo: no necesitas cuenta, y ni la llave privada (.key) ni su contraseña pasan por soporte.`,
          `Abre este enlace. Sirve solo para esta organización, funciona hasta que el certificado se suba y vence el ${dateTimeOf('es', f.expiresAt)} (hora de la Ciudad de México):`,
          { text: `Subir ${the} ${c.short}`, url: f.link, secret: true },
          'Si no esperabas este correo, ignóralo y avisa a soporte.',
        ],
      };
    },
    en: (f) => {
      const c = CREDENTIAL.en[f.credential];
      const org = f.rfc ? `${f.organizationName} (RFC ${f.rfc})` : f.organizationName;
      return {
        subject: `Upload the ${c.short} of ${f.organizationName}`,
        lines: [
          'Hello,',
          `csd-relay support asks you to upload the ${c.long} of ${org}. You do it yourself: no account is needed, and neither the private key (.key) nor its password goes through support.`,
          `Open this link. It works for this organization only, until the certificate is uploaded, and expires on ${dateTimeOf('en', f.expiresAt)} (Mexico City time):`,
          { text: `Upload the ${c.short}`, url: f.link, secret: true },
          'If you did not expect this e-mail, ignore it and tell support.',
        ],
      };
    },
  },
};

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A secret link as stored: its path without the last segment (the token), then the marker. */
function masked(url: string): string {
  return `${url.replace(/\/[^/]*$/, '/')}${SECRET_LINK_MARKER}`;
}

function assemble(lang: MailLanguage, subject: string, lines: Line[], reveal: boolean): MailContent {
  const urlOf = (l: Exclude<Line, string>) => (l.secret && !reveal ? masked(l.url) : l.url);
  const text = lines.map((l) => (typeof l === 'string' ? l : `${l.text}: ${urlOf(l)}`)).join('\n\n');
  const body = lines
    .map((l) => (typeof l === 'string' ? `<p>${escapeHtml(l)}</p>`
      : l.secret && !reveal ? `<p>${escapeHtml(l.text)}: <code>${escapeHtml(urlOf(l))}</code></p>`
        : `<p><a href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a><br><span style="color:#555;font-size:90%">${escapeHtml(l.url)}</span></p>`))
    .join('\n');
  const html = `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.5;max-width:40em">\n${body}\n<p style="color:#555;font-size:90%">csd-relay</p>\n</body></html>`;
  return { subject, text, html };
}

/** The e-mail as sent (with its secret links) and as stored (links masked). */
export function renderMail<K extends MailKind>(kind: K, lang: MailLanguage, facts: MailFacts[K]): { sent: MailContent; stored: MailContent } {
  const { subject, lines } = (WRITERS[kind][lang] as (f: MailFacts[K]) => { subject: string; lines: Line[] })(facts);
  return { sent: assemble(lang, subject, lines, true), stored: assemble(lang, subject, lines, false) };
}
