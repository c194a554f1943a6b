/** Roles as data: support staff (ours) and account admins (the customer's). */
export const ROLES = ['support', 'account_admin'] as const;

/** One of ROLES. */
export type Role = (typeof ROLES)[number];

/** Only account admins belong to organizations (memberships); support staff see every one. */
export function holdsMemberships(role: Role): boolean {
  return role === 'account_admin';
}

/** Narrows unknown input (CLI flags, form fields) to a Role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
