/**
 * The organization a URL names, for the routes that show or change it. The id must have
 * Facturapi's shape (organizations.schema.ts) before anything is sent, or the answer is the
 * "organization not found" page; what Facturapi itself answers (unknown organization, down, our
 * key refused) goes to the error handler, which maps Facturapi's errors once.
 *
 * The upload does not load before relaying (the PUT answers with the organization, and an unknown
 * one is Facturapi's organization_not_found): it takes only the id, and a refused upload reloads.
 */
import type { FacturapiClient } from '../../facturapi/client.js';
import type { Organization } from '../../facturapi/organization.js';
import { NotFoundError } from '../../web/errors.js';
import { validate } from '../../web/validate.js';
import { organizationIdParams } from '../organizations.schema.js';

const notFound = () => new NotFoundError('error.organizationNotFound');

/** The organization id of the route's parameters, or the 404 page. */
export function organizationIdOf(params: unknown): string {
  return validate(organizationIdParams, params, notFound).organizationId;
}

/** Reads the organization the route's parameters name from Facturapi, or fails with its page. */
export async function loadOrganization(facturapi: FacturapiClient, params: unknown): Promise<Organization> {
  return facturapi.getOrganization(organizationIdOf(params));
}
