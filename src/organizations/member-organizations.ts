/**
 * The organizations an account admin belongs to, read one by one from Facturapi (an admin has a
 * handful). One that Facturapi no longer knows is left out rather than failing the whole page.
 */
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiRejectedError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';

export async function listMemberOrganizations(facturapi: FacturapiClient, organizationIds: readonly string[]): Promise<Organization[]> {
  const results = await Promise.all(
    organizationIds.map((id) =>
      facturapi.getOrganization(id).catch((error: unknown) => {
        if (error instanceof FacturapiRejectedError && (error.status === 404 || error.code === 'organization_not_found')) return null;
        throw error;
      }),
    ),
  );
  return results.filter((o): o is Organization => o !== null);
}
