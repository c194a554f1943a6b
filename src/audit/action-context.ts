import type { Clock } from '../clock.js';
import type { AuditActor } from './audit.service.js';

/**
 * Who is acting, from where, and the clock: everything a state change needs besides its
 * input, so the audit event can be written in the same transaction as the change.
 * The web layer builds one per request; the CLI and start-up use `actor: null`.
 */
export interface ActionContext {
  now: Clock;
  actor: AuditActor | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  /** Acting through a customer's one-time upload link (actor null): the request's id, for the audit detail. */
  uploadRequestId?: string | null;
}

/** The request-describing part of the context, spread into audit events. */
export function auditOrigin(ctx: ActionContext) {
  return { actor: ctx.actor, ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null, requestId: ctx.requestId ?? null };
}
