/** Values allowed in an event's detail: flat scalars, so nothing nested can hide a secret. */
export type AuditDetailValue = string | number | boolean | null;

/** Free-form, secret-free facts about an event (certificate number, problem codes, …). */
export type AuditDetail = Readonly<Record<string, AuditDetailValue>>;

/** Keys that name a secret. Their values must never reach the trail, whatever they hold. */
export const SECRET_KEY_PATTERN = /password|passphrase|secret|token|cookie|authorization|^key$|keyBytes|csrf/i;

/** Long strings are cut: the trail is for facts, and a huge value is more likely pasted content. */
export const MAX_DETAIL_STRING = 500;
const MAX_DETAIL_KEYS = 40;

/** Thrown when a caller tries to put a secret-looking key in an event's detail. */
export class SecretInAuditDetailError extends Error {
  readonly code = 'secret_in_audit_detail';
  constructor(readonly key: string) {
    super(`Audit detail key "${key}" looks like a secret and is not allowed`);
    this.name = 'SecretInAuditDetailError';
  }
}

/**
 * Cleans a detail object before it is stored.
 *
 * A secret-looking key is a programming error. With `strict` (development and tests) it
 * throws so the bug is found at once; without it (production) the key is dropped and the
 * event is still written, because losing the audit event would be worse than losing a field.
 * The key name is kept in `_dropped` so the drop is visible.
 */
export function sanitizeDetail(detail: AuditDetail | undefined, strict: boolean): string | null {
  if (!detail) return null;
  const clean: Record<string, AuditDetailValue> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(detail).slice(0, MAX_DETAIL_KEYS)) {
    if (SECRET_KEY_PATTERN.test(key)) {
      if (strict) throw new SecretInAuditDetailError(key);
      dropped.push(key.slice(0, 40));
      continue;
    }
    clean[key.slice(0, 60)] = typeof value === 'string' ? value.slice(0, MAX_DETAIL_STRING) : scalar(value);
  }
  if (dropped.length > 0) clean._dropped = dropped.join(',');
  return Object.keys(clean).length > 0 ? JSON.stringify(clean) : null;
}

// Guards against callers that bypass the types: an object or Buffer (file contents, a key)
// is never stringified into the trail.
function scalar(value: unknown): AuditDetailValue {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return '[omitted]';
}
