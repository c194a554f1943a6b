import type { Role } from './roles.js';

/**
 * The logged-in person as the rules see them. Pure data, so every rule is a pure function
 * that the guards (HTTP) and the services can share and tests can call without a database.
 */
export interface Actor {
  id: string;
  role: Role;
  organizationIds: ReadonlySet<string> | readonly string[];
}

function isMember(actor: Actor, organizationId: string): boolean {
  const ids = actor.organizationIds;
  return 'has' in ids ? ids.has(organizationId) : ids.includes(organizationId);
}

const isSupport = (actor: Pick<Actor, 'role'>): boolean => actor.role === 'support';

/** Support sees every organization; an account admin only those they are a member of. */
export function canViewOrganization(actor: Actor, organizationId: string): boolean {
  return isSupport(actor) || isMember(actor, organizationId);
}

/** Uploading follows viewing: support on a customer's behalf, admins for their own. */
export function canUploadCertificate(actor: Actor, organizationId: string): boolean {
  return canViewOrganization(actor, organizationId);
}

/**
 * Deleting a CSD stops the customer from invoicing, so only support may do it, even for
 * organizations an account admin owns.
 */
export function canDeleteCertificate(actor: Actor, _organizationId: string): boolean {
  return isSupport(actor);
}

/** Searching across all organizations would leak other customers: support only. */
export function canSearchOrganizations(actor: Actor): boolean {
  return isSupport(actor);
}

/** The expiry radar spans every customer: support only. */
export function canViewRadar(actor: Actor): boolean {
  return isSupport(actor);
}

/** Inviting, disabling, resetting and membership changes: support only. */
export function canManagePeople(actor: Actor): boolean {
  return isSupport(actor);
}

/**
 * A password-reset link from the web: support, for account admins only. Support accounts
 * (including one's own) are reset by the operator CLI: a stolen support session must not be
 * able to mint a new password for itself or a colleague, which would outlive the session.
 */
export function canResetPassword(actor: Pick<Actor, 'role'>, target: { role: Role }): boolean {
  return isSupport(actor) && target.role === 'account_admin';
}

/**
 * Audit of one organization: whoever can view it. `null` means the whole trail, including
 * events without an organization (logins, people management): support only.
 */
export function canViewAuditOf(actor: Actor, organizationId: string | null): boolean {
  if (organizationId === null) return isSupport(actor);
  return canViewOrganization(actor, organizationId);
}

/**
 * The rules a page may ask about, by name: views call `can('viewRadar')` or
 * `can('deleteCertificate', org.id)` (authenticate puts `can` in res.locals for the signed-in
 * person) instead of testing roles, so a page shows exactly what the guards allow.
 */
const RULES = {
  viewOrganization: canViewOrganization,
  uploadCertificate: canUploadCertificate,
  deleteCertificate: canDeleteCertificate,
  searchOrganizations: canSearchOrganizations,
  viewRadar: canViewRadar,
  managePeople: canManagePeople,
} satisfies Record<string, (actor: Actor, organizationId: string) => boolean>;

/** The name of a rule views can ask about. */
export type RuleName = keyof typeof RULES;

/** Whether `actor` passes the named rule (for `organizationId` when the rule is about one). */
export function can(actor: Actor, rule: RuleName, organizationId = ''): boolean {
  return RULES[rule](actor, organizationId);
}
