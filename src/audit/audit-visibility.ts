/**
 * What a reader may see of an event. Account admins read their organizations' events, and those
 * include what support staff did there (uploads on the customer's behalf, removals, memberships).
 * Support staff's IP addresses, browsers and e-mail addresses are csd-relay's internal details,
 * so an account admin sees those events as done by "csd-relay support" (the views name an actor
 * without e-mail from its role). Support sees every field. Applied to every way events are read
 * out: the audit page, its CSV and the organization page's history.
 */
import type { AuditEventView } from './audit-query.js';

/**
 * The event as `viewer` may see it; `undefined` (no known reader) sees the least. Roles are
 * compared by name, as the trail records them (`actor_role`), so the trail needs nothing of
 * the accounts module.
 */
export function asSeenBy(viewer: { role: string } | undefined, event: AuditEventView): AuditEventView {
  if (viewer?.role === 'support' || event.actorRole !== 'support') return event;
  return { ...event, actorUserId: null, actorEmail: null, ip: null, userAgent: null };
}
