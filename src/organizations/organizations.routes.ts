/**
 * Organization list and organization page. Facturapi is the source of truth, read through the
 * client; ids are checked to be Facturapi's 24-hex form before anything is sent.
 */
import { Router, type RequestHandler } from 'express';
import { canSearchOrganizations } from '../accounts/policies.js';
import { listMemberOrganizations } from './member-organizations.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { z } from 'zod';
import type { FacturapiClient } from '../facturapi/client.js';
import { NotFoundError } from '../http/errors.js';
import { toHttpError } from '../http/facturapi-errors.js';
import { takeFlash } from '../http/flash.js';
import { certificateBadge } from './certificate-status.js';
import { organizationPageModel, renderOrganizationPage, successWarnings, withHistory } from './organization.view.js';
import type { Formatters } from '../i18n/index.js';
import { organizationIdParams, uploadedQuery } from './organizations.schema.js';

export interface OrganizationsDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
  now: () => Date;
  /** Guards for the organization page (membership checks). */
  viewGuard: RequestHandler;
}

const listQuery = z.object({
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(30).optional().catch(undefined),
});

export function organizationsRouter(deps: OrganizationsDeps): Router {
  const router = Router();

  router.get('/organizations', async (req, res) => {
    const now = deps.now();
    // Account admins never search across customers: they see the organizations they belong to.
    if (!req.user || !canSearchOrganizations(req.user)) {
      const organizations = await listMemberOrganizations(deps.facturapi, req.user?.organizationIds ?? []);
      res.render('organizations', {
        searchable: false,
        q: '',
        page: 1,
        totalPages: 1,
        totalResults: organizations.length,
        rows: organizations.map((organization) => ({ organization, badge: certificateBadge(organization.certificate, now) })),
      });
      return;
    }
    const { q, page = 1 } = listQuery.parse(req.query);
    const result = await deps.facturapi.listOrganizations({ q: q?.trim() || undefined, page, limit: 20 }).catch((e: unknown) => {
      throw toHttpError(e);
    });
    res.render('organizations', {
      searchable: true,
      q: q ?? '',
      page: result.page,
      totalPages: result.totalPages,
      totalResults: result.totalResults,
      rows: result.data.map((organization) => ({ organization, badge: certificateBadge(organization.certificate, now) })),
    });
  });

  router.get('/organizations/:organizationId', deps.viewGuard, async (req, res) => {
    const params = organizationIdParams.safeParse(req.params);
    if (!params.success) throw new NotFoundError('error.organizationNotFound');
    const organization = await deps.facturapi.getOrganization(params.data.organizationId).catch((e: unknown) => {
      throw toHttpError(e);
    });
    // The success panel appears only when the certificate Facturapi now holds is the one just
    // uploaded, so a hand-made URL cannot show a false "uploaded".
    const uploaded = uploadedQuery.safeParse(req.query);
    const fmt = res.locals.fmt as Formatters;
    const success =
      uploaded.success && uploaded.data.uploaded === organization.certificate.serialNumber
        ? { certificateNumber: uploaded.data.uploaded, validFrom: uploaded.data.from ?? null, warnings: successWarnings(uploaded.data.w, organization, deps.now(), fmt) }
        : null;
    res.locals.flash = takeFlash(req);
    renderOrganizationPage(res, 200, await withHistory(deps.audit, organizationPageModel(organization, deps.now(), { success })));
  });

  return router;
}
