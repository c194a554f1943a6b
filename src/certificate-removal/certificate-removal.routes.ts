/**
 * Removing an organization's CSD (support staff only; the guard is passed in): a confirmation
 * page that names the organization and asks for its RFC (or id) to be typed, then the use case
 * (certificate-removal.service.ts) runs DELETE …/certificate at Facturapi, audited. Facturapi's
 * errors are left to the error handler, which maps them once.
 */
import { Router, type RequestHandler } from 'express';
import { formBody } from '../web/form-body.js';
import { logAttemptNotRecorded, logAuditGap } from '../audit/audit-gaps.js';
import type { AuditTrail } from '../audit/audit.service.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { csrfProtection } from '../web/csrf.js';
import { AppError } from '../web/errors.js';
import { actionContext } from '../accounts/web/request-context.js';
import { validate } from '../web/validate.js';
import type { Logger } from '../logger.js';
import { loadOrganization } from '../organizations/web/organization-loader.js';
import type { Radar } from '../radar/radar.service.js';
import { removalForm } from './certificate-removal.schema.js';
import { removeCertificate, type RemovalAuditGap } from './certificate-removal.service.js';

export interface RemovalDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
  radar: Radar;
  now: () => Date;
  guard: RequestHandler;
}

export function certificateRemovalRouter(deps: RemovalDeps): Router {
  const router = Router();
  const path = '/organizations/:organizationId/certificate/remove';

  router.get(path, deps.guard, async (req, res) => {
    const organization = await loadOrganization(deps.facturapi, req.params);
    res.render('remove-certificate', { organization, error: null });
  });

  router.post(path, deps.guard, formBody, csrfProtection, async (req, res) => {
    const organization = await loadOrganization(deps.facturapi, req.params);
    const { confirm } = validate(removalForm, req.body ?? {});
    const outcome = await removeCertificate(deps, organization, confirm, actionContext(req, deps.now));
    const log = req.log as Logger;
    const change = { action: 'certificate.delete', organizationId: organization.id, certificateNumber: organization.certificate.serialNumber } as const;
    const logGap = (gap: RemovalAuditGap | undefined) => gap && logAuditGap(log, gap.auditEventId, { ...change, result: gap.result }, gap.error);
    switch (outcome.kind) {
      case 'no_certificate':
        res.status(409).render('remove-certificate', { organization, error: 'remove.noCertificate' });
        return;
      case 'mismatch':
        res.status(400).render('remove-certificate', { organization, error: 'remove.mismatch' });
        return;
      case 'not_recorded':
        logAttemptNotRecorded(log, change, outcome.error);
        throw new AppError(503, 'audit.notRecorded', {}, true);
      case 'failed':
        logGap(outcome.auditGap);
        throw outcome.error;
      case 'removed':
        logGap(outcome.auditGap);
        await deps.radar.forget();
        req.session.flash = { kind: 'success', key: 'remove.done' };
        res.redirect(303, `/organizations/${organization.id}`);
    }
  });

  return router;
}
