/**
 * GET /organizations/options?q=: the organization pickers' matches as JSON, for public/app.js's
 * combobox (without JavaScript the pages run the same search themselves). Searching spans every
 * customer, so the guard (support only) is given where it is mounted. Facturapi's errors go to the
 * error handler like any page's: the script shows "could not search" on any non-200.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { validate } from '../web/validate.js';
import type { OrganizationDirectory } from './organization-directory.js';

const optionsQuery = z.object({ q: z.string().trim().max(100).optional().catch(undefined) });

/** Matches shown per search: a picker, not a listing (the organization list pages through all). */
const MAX_OPTIONS = 10;

export function organizationOptionsRouter(deps: { directory: OrganizationDirectory; guard: RequestHandler }): Router {
  const router = Router();
  router.get('/organizations/options', deps.guard, async (req, res) => {
    const { q } = validate(optionsQuery, req.query);
    const options = q ? await deps.directory.search(q, MAX_OPTIONS) : [];
    res.json({ options: options.map((o) => ({ id: o.id, name: o.legalName || o.name, rfc: o.rfc })) });
  });
  return router;
}
