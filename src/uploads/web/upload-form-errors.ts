/**
 * The error handler both upload forms (CSD and e.firma) share: a form that could not be read is
 * audited as rejected and the organization page is shown again with the messages by the fields
 * (a stand-in when Facturapi cannot be read); a bad id falls through to the plain error page.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { FacturapiUnavailableError } from '../../facturapi/errors.js';
import type { FacturapiClient } from '../../facturapi/client.js';
import type { Organization } from '../../facturapi/organization.js';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { UploadViewState } from '../../organizations/organization.view.js';
import { loadOrganization, organizationIdOf } from '../../organizations/web/organization-loader.js';
import { actionContext } from '../../accounts/web/request-context.js';
import { auditRejectedForm } from '../upload-audit.js';
import { UploadFormError } from './upload-form-error.js';

export type ShowOrganizationPage = (res: Response, status: number, organization: Organization | null, organizationId: string, state: UploadViewState) => Promise<void>;

export function uploadFormErrors(
  deps: { audit: AuditTrail; facturapi: FacturapiClient; now: () => Date },
  showPage: ShowOrganizationPage,
  auditAction?: Parameters<typeof auditRejectedForm>[4],
): ErrorRequestHandler {
  return async (err, req, res: Response, next) => {
    if (!(err instanceof UploadFormError)) return next(err);
    if (typeof req.params.organizationId === 'string' && req.user) {
      await auditRejectedForm(deps.audit, actionContext(req, deps.now), req.params.organizationId.slice(0, 64), err.messages.map((m) => m.key).join(','), auditAction);
    }
    try {
      const organizationId = organizationIdOf(req.params);
      const organization = await loadOrganization(deps.facturapi, req.params).catch((error: unknown) => {
        if (error instanceof FacturapiUnavailableError) return null;
        throw error;
      });
      await showPage(res, err.status, organization, organizationId, { errors: err.messages });
    } catch {
      next(err);
    }
  };
}
