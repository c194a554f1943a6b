/** Everything the trail records. Add here first; the audit page lists these for its filter. */
export const AUDIT_ACTIONS = [
  'login.success',
  'login.failure',
  'login.lockout',
  'logout',
  'access.denied',
  'setup.completed',
  'invitation.created',
  'invitation.accepted',
  'password_reset.created',
  'password.set',
  'user.created',
  'membership.added',
  'membership.removed',
  'user.disabled',
  'user.enabled',
  'user.removed',
  'certificate.upload',
  'certificate.delete',
  'fiel.upload',
  'preferences.changed',
  'reminder.emailed',
  'upload_request.created',
  'upload_request.revoked',
  'upload_request.used',
  'reminder_contact.set',
  'reminder_contact.removed',
] as const;

/** One of AUDIT_ACTIONS. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * `denied` = refused by a rule (role, membership, CSRF); `failure` = tried and failed;
 * `unknown` = a change sent to Facturapi whose outcome is not (yet) recorded: the attempt is
 * written before sending and completed after, so one never completed still shows.
 */
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied', 'unknown'] as const;

/** One of AUDIT_OUTCOMES. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
