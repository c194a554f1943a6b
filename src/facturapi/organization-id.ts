/** Facturapi organization ids are MongoDB ObjectIds: 24 lower-case hex characters. */
export const ORGANIZATION_ID = /^[0-9a-f]{24}$/;

/** True when `value` has the shape of a Facturapi organization id. */
export function isOrganizationId(value: unknown): value is string {
  return typeof value === 'string' && ORGANIZATION_ID.test(value);
}
