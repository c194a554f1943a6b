/**
 * Organization list and organization page. Facturapi is the source of truth, read through the
 * client; ids are checked to be Facturapi's 24-hex form before anything is sent. Facturapi's
 * errors are left to the error handler, which maps them once.
 */
import { Router, type RequestHandler } from 'express';
import { canManagePeople, canSearchOrganizations } from '../accounts/policies.js';
import { listMemberOrganizations } from './member-organizations.js';
import type { AuditTrail } from '../audit/audit.service.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { takeFlash } from '../web/flash.js';
import { validate } from '../web/validate.js';
import { certificateBadge } from './certificate-status.js';
import { organizationPageModel, renderOrganizationPage, successWarnings, withHistory } from './organization.view.js';
import type { Formatters } from '../i18n/index.js';
import { fielUploadedQuery, organizationListQuery, organizationPageQuery } from './organizations.schema.js';
import { loadOrganization } from './web/organization-loader.js';

export interface OrganizationsDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
  now: () => Date;
  /** Guards for the organization page (membership checks). */
  viewGuard: RequestHandler;
  /** The organization's account admins, listed on its page (accounts' query, passed in by app.ts). */
  accountAdminsOf?: (organizationId: string) => Promise<{ name: string; email: string; disabledAt: string | null; hasPassword: boolean }[]>;
  /** The organization's upload requests with their status, shown to support only (uploads' query, passed in by app.ts). */
  uploadRequestsOf?: (organizationId: string) => Promise<unknown[]>;
  /** Who gets the organization's expiry reminders and its reminder contact, shown to support only (reminders' query, passed in by app.ts). */
  remindersOf?: (organizationId: string) => Promise<unknown>;
}

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
        rows: organizations.map((organization) => ({ organization, badge: certificateBadge(organization.certificate, now), fielBadge: certificateBadge(organization.fiel, now) })),
      });
      return;
    }
    const { q, page = 1 } = validate(organizationListQuery, req.query);
    const result = await deps.facturapi.listOrganizations({ q: q?.trim() || undefined, page, limit: 20 });
    res.render('organizations', {
      searchable: true,
      q: q ?? '',
      page: result.page,
      totalPages: result.totalPages,
      totalResults: result.totalResults,
      rows: result.data.map((organization) => ({ organization, badge: certificateBadge(organization.certificate, now), fielBadge: certificateBadge(organization.fiel, now) })),
    });
  });

  router.get('/organizations/:organizationId', deps.viewGuard, async (req, res) => {
    const organization = await loadOrganization(deps.facturapi, req.params);
    // The success panel appears only when the certificate Facturapi now holds is the one just
    // uploaded, so a hand-made URL cannot show a false "uploaded".
    const uploaded = validate(organizationPageQuery, req.query);
    const fmt = res.locals.fmt as Formatters;
    const success =
      uploaded && uploaded.uploaded === organization.certificate.serialNumber
        ? { certificateNumber: uploaded.uploaded, validFrom: uploaded.from ?? null, warnings: successWarnings(uploaded.w, organization, deps.now(), fmt) }
        : null;
    const fielUploaded = validate(fielUploadedQuery, req.query);
    const fielSuccess = fielUploaded && organization.fiel.hasCertificate && fielUploaded.fiel === organization.fiel.serialNumber ? { certificateNumber: fielUploaded.fiel, validFrom: null, warnings: [] } : null;
    res.locals.flash = takeFlash(req);
    res.locals.admins = deps.accountAdminsOf ? await deps.accountAdminsOf(organization.id) : null;
    res.locals.uploadRequests = deps.uploadRequestsOf && req.user && canManagePeople(req.user) ? await deps.uploadRequestsOf(organization.id) : null;
    res.locals.reminders = deps.remindersOf && req.user && canManagePeople(req.user) ? await deps.remindersOf(organization.id) : null;
    renderOrganizationPage(res, 200, await withHistory(deps.audit, organizationPageModel(organization, deps.now(), { success }, organization.id, { success: fielSuccess })));
  });

  return router;
}
