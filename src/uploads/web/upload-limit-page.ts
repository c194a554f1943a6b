/**
 * An upload refused by an upload limit (accounts/web/rate-limits.ts) is shown on the
 * organization page, not on a bare error page: which limit it is (an account admin's or support
 * staff's sends, or refusals here), how many it allows, when it resets, with the form ready for
 * then. If the organization cannot be loaded, the error goes on to the plain 429 page.
 */
import type { ErrorRequestHandler } from 'express';
import type { FacturapiClient } from '../../facturapi/client.js';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Formatters } from '../../i18n/index.js';
import { UploadLimitError } from '../../accounts/web/rate-limits.js';
import { organizationPageModel, renderOrganizationPage, withHistory } from '../../organizations/organization.view.js';
import { loadOrganization } from '../../organizations/web/organization-loader.js';

export function uploadLimitPage(deps: { facturapi: FacturapiClient; audit: AuditTrail; now: () => Date }): ErrorRequestHandler {
  return async (err, req, res, next) => {
    if (!(err instanceof UploadLimitError)) return next(err);
    try {
      const organization = await loadOrganization(deps.facturapi, req.params);
      const fmt = res.locals.fmt as Formatters;
      const message = {
        field: 'form' as const,
        key: `upload.limit.${err.limitName}` as const,
        params: { max: err.max, resetsAt: fmt.time(err.resetAt), minutes: Math.max(1, Math.ceil(err.retryAfterSeconds / 60)) },
      };
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      renderOrganizationPage(res, 429, await withHistory(deps.audit, organizationPageModel(organization, deps.now(), { errors: [message] })));
    } catch {
      next(err);
    }
  };
}
