/**
 * An upload refused by an upload limit (accounts/web/rate-limits.ts) is shown on the
 * organization page, not on a bare error page, in the form that was sent (the CSD's or the
 * e.firma's: the router's `showPage` puts it there): which limit it is (an account admin's or
 * support staff's sends, or refusals here), how many it allows, when it resets, with the form
 * ready for then. If the organization cannot be loaded, the error goes on to the plain 429 page.
 */
import type { ErrorRequestHandler } from 'express';
import type { FacturapiClient } from '../../facturapi/client.js';
import type { Formatters } from '../../i18n/index.js';
import { UploadLimitError } from '../../accounts/web/rate-limits.js';
import { loadOrganization } from '../../organizations/web/organization-loader.js';
import type { ShowOrganizationPage } from './upload-form-errors.js';

export function uploadLimitPage(deps: { facturapi: FacturapiClient }, showPage: ShowOrganizationPage): ErrorRequestHandler {
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
      await showPage(res, 429, organization, organization.id, { errors: [message] });
    } catch {
      next(err);
    }
  };
}
