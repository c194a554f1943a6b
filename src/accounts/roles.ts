/** Roles as data: support staff (ours) and account admins (the customer's). */
export const ROLES = ['support', 'account_admin'] as const;

/** One of ROLES. */
export type Role = (typeof ROLES)[number];

/** Narrows unknown input (CLI flags, form fields) to a Role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
