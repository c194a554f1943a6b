/**
 * An audit event's detail in words: one short sentence per event, in the reader's language, with
 * dates in Mexico City time (the formatters' zone), instead of the stored key/value pairs. The
 * stored detail stays as it is (the CSV keeps it too, machine-readable); this is only its reading.
 * Keys this file does not know are still shown, as "key: value", so nothing recorded is hidden.
 */
import type { Formatters, MessageKey, Params, Translate } from '../i18n/index.js';
import { isMessageKey } from '../i18n/index.js';
import type { AuditDetailValue } from './audit-detail.js';
import type { AuditEventView } from './audit-query.js';

type Detail = Record<string, AuditDetailValue>;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** Keys read by the sentences below (or internal ids a person cannot use); anything else is listed as it is. */
const KNOWN = new Set([
  'result', 'certificateNumber', 'rfc', 'certificateType', 'validTo', 'problems', 'facturapiCode', 'facturapiLogId', 'reason',
  'onBehalfOfCustomer', 'email', 'expiresAt', 'role', 'via', 'method', 'route', 'rule', 'count', 'lastAt', 'clients', 'emailShape',
  'userId', 'targetUserId',
]);

/** Ends a sentence with one period: a date like "3:24 p.m." already ends with one. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The translation of `prefix + code` when the catalogue has it, else the code itself. */
function labelOf(t: Translate, prefix: string, code: string): string {
  const key = `${prefix}${code}`;
  return isMessageKey(key) ? t(key) : code;
}

/**
 * The machine codes of an event's detail in the reader's words, the catalogue's where it has them
 * and the code itself otherwise (for the organization page's history): the problems and Facturapi's
 * code, then the reason. A form refused before any check keeps its message keys, comma-joined, as
 * its reason.
 */
export function codesInWords(detail: AuditEventView['detail'], t: Translate): { codes: string[]; words: string[] } {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const codes = (text(detail.problems) ?? text(detail.facturapiCode) ?? '').split(',').filter(Boolean);
  const reason = text(detail.reason);
  const formRejected = detail.result === 'form_rejected';
  const reasons = reason === null ? [] : formRejected ? reason.split(',').filter(Boolean) : [reason];
  return {
    codes: [...codes, ...(reason === null ? [] : [reason])],
    words: [...codes.map((c) => labelOf(t, 'audit.problem.', c)), ...reasons.map((c) => labelOf(t, formRejected ? 'audit.formProblem.' : 'audit.reason.', c))],
  };
}

export interface EventWords {
  /** The sentence(s) describing the event; '' when there is nothing to say. */
  text: string;
  /** Machine codes in the detail (problems, Facturapi's code, reasons), for whoever quotes them to support. */
  codes: string[];
}

/** The person an event's detail names by id (`userId`, `targetUserId`), when known. */
export type PersonName = { name: string; email: string };

/** The user ids an event's detail names, to look their names up in one go. */
export function personIdsOf(event: Pick<AuditEventView, 'detail'>): string[] {
  return ['userId', 'targetUserId'].map((k) => event.detail[k]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The event's detail as words for the reader (`t`, `fmt` of the request); `people` names the users it refers to. */
export function describeEvent(event: Pick<AuditEventView, 'action' | 'outcome' | 'detail'>, t: Translate, fmt: Formatters, people: ReadonlyMap<string, PersonName> = new Map()): EventWords {
  const d = event.detail as Detail;
  const str = (key: string) => (typeof d[key] === 'string' && d[key] !== '' ? (d[key] as string) : null);
  const when = (key: string) => {
    const value = str(key);
    return value && ISO_INSTANT.test(value) ? fmt.dateTime(new Date(value)) : value;
  };
  const day = (key: string) => {
    const value = str(key);
    return value && ISO_INSTANT.test(value) ? fmt.date(new Date(value)) : value;
  };
  const parts: string[] = [];
  const say = (key: MessageKey, params?: Params) => parts.push(sentence(t(key, params)));
  const number = str('certificateNumber');
  const codes = [str('problems'), str('facturapiCode'), str('reason')].filter((c): c is string => c !== null).flatMap((c) => c.split(','));

  const personId = typeof d.targetUserId === 'string' ? d.targetUserId : typeof d.userId === 'string' ? d.userId : null;
  const known = personId ? people.get(personId) : undefined;
  const person = known ? `${known.name} <${known.email}>` : null;

  switch (event.action) {
    case 'certificate.upload':
    case 'fiel.upload': {
      const result = str('result');
      const certificate = number ? t('audit.say.certificate', { number }) : t('audit.say.theCertificate');
      if (result === 'uploaded') say(str('rfc') ? 'audit.say.upload.uploadedRfc' : 'audit.say.upload.uploaded', { certificate, rfc: str('rfc') ?? '', validTo: day('validTo') ?? '' });
      else if (result === 'sent') say('audit.say.upload.sent', { certificate });
      else if (result === 'invalid') say('audit.say.upload.invalid', { certificate, problems: (str('problems') ?? '').split(',').filter(Boolean).map((c) => labelOf(t, 'audit.problem.', c)).join('; ') });
      else if (result === 'rejected') say('audit.say.upload.rejected', { certificate, code: labelOf(t, 'audit.problem.', str('facturapiCode') ?? '—') });
      else if (result === 'unauthorized') say('audit.say.upload.unauthorized', { certificate });
      else if (result === 'unavailable') say('audit.say.upload.unavailable', { certificate });
      // The reason is the form's message keys, comma-joined: each in words.
      else if (result === 'form_rejected') say('audit.say.upload.formRejected', { reason: (str('reason') ?? '').split(',').filter(Boolean).map((c) => labelOf(t, 'audit.formProblem.', c)).join('; ') });
      if (d.onBehalfOfCustomer === true) say('audit.say.onBehalf');
      if (str('facturapiLogId')) say('audit.say.facturapiLogId', { logId: str('facturapiLogId')! });
      break;
    }
    case 'certificate.delete': {
      const certificate = number ? t('audit.say.certificate', { number }) : t('audit.say.theCertificate');
      const result = str('result');
      if (str('reason') === 'confirmation_mismatch') say('audit.say.delete.mismatch', { certificate });
      else if (result === 'removed') say('audit.say.delete.removed', { certificate });
      else if (result === 'sent') say('audit.say.delete.sent', { certificate });
      else if (result === 'failed') say('audit.say.delete.failed', { certificate, reason: labelOf(t, 'audit.reason.', str('reason') ?? '') });
      break;
    }
    case 'login.failure':
    case 'login.lockout':
    case 'access.denied': {
      const reason = str('reason');
      if (event.action === 'access.denied' && reason !== 'csrf') say('audit.say.denied', { method: str('method') ?? '', route: str('route') ?? '' });
      if (event.action === 'access.denied' && person) say('audit.say.person', { person });
      else if (reason) say('audit.say.reason', { reason: labelOf(t, 'audit.reason.', reason) });
      if (str('email')) say('audit.say.typedEmail', { email: str('email')! });
      if (d.emailShape === 'not_an_email') say('audit.say.notAnEmail');
      const count = typeof d.count === 'number' ? d.count : null;
      if (count !== null && count > 1) say(str('lastAt') ? 'audit.say.countUntil' : 'audit.say.count', { count, lastAt: when('lastAt') ?? '' });
      if (d.clients === 'many') say('audit.say.manyClients');
      break;
    }
    case 'invitation.created':
    case 'password_reset.created':
      say(event.action === 'invitation.created' ? 'audit.say.invitation' : 'audit.say.passwordReset', { email: str('email') ?? '—', expiresAt: when('expiresAt') ?? '—' });
      break;
    case 'user.created':
      say('audit.say.userCreated', { email: str('email') ?? '—', role: str('role') ? labelOf(t, 'role.', str('role')!) : '—' });
      break;
    case 'user.disabled':
    case 'user.enabled':
    case 'user.removed':
      if (str('email')) say('audit.say.account', { email: known ? person! : str('email')! });
      else if (person) say('audit.say.account', { email: person });
      break;
    case 'membership.added':
    case 'membership.removed':
    case 'password.set':
    case 'invitation.accepted':
      if (person) say('audit.say.person', { person });
      break;
    default:
      break;
  }
  if (str('via')) say('audit.say.via', { via: labelOf(t, 'audit.via.', str('via')!) });
  const rest = Object.entries(d).filter(([key, value]) => !KNOWN.has(key) && value !== null && value !== '');
  if (rest.length > 0) parts.push(sentence(rest.map(([key, value]) => `${key}: ${typeof value === 'string' && ISO_INSTANT.test(value) ? fmt.dateTime(new Date(value)) : String(value)}`).join('; ')));
  return { text: parts.join(' '), codes };
}
