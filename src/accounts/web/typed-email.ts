/**
 * What the login's e-mail field may leave in the audit trail. People sometimes type their password
 * there (issue 9, item 13), so the text is kept only when it looks like an e-mail address; anything
 * else is recorded as "not an e-mail" and the text is dropped.
 */
import type { AuditDetailValue } from '../../audit/audit-detail.js';

// A plain address: a local part without spaces, quotes or brackets, and a domain of letter/digit
// labels ending in a letters-only top-level label (so "clave@2024" or "Clave@Segura.1" are not).
const LOCAL = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}$/u;
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

export function looksLikeEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  return LOCAL.test(local) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') && DOMAIN.test(value.slice(at + 1));
}

/**
 * How a refusal records a typed e-mail: when it looks like an address, the address as typed (its
 * `subjectDetail`) and, lower-cased, the subject refusals are grouped by; otherwise only a marker.
 */
export function typedEmail(value: unknown): { detail: Record<string, AuditDetailValue>; subject?: string; subjectDetail?: Record<string, AuditDetailValue> } {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return { detail: {} };
  if (!looksLikeEmail(text)) return { detail: { emailShape: 'not_an_email' } };
  return { detail: {}, subject: text.toLowerCase(), subjectDetail: { email: text.slice(0, 254) } };
}
