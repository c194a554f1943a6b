/**
 * Removing an organization's CSD (support staff only; the guard is passed in): a confirmation
 * page that names the organization and asks for its RFC (or id) to be typed, then
 * DELETE …/certificate at Facturapi. Every attempt is audited; one that reaches Facturapi is
 * written before the DELETE is sent (nothing is sent if it cannot be) and completed after.
 */
import { Router, type RequestHandler } from 'express';
import { auditOrigin } from '../accounts/action-context.js';
import { formBody } from '../http/form-body.js';
import { z } from 'zod';
import { logAttemptNotRecorded, logAuditGap } from '../audit/audit-gaps.js';
import type { AuditTrail, CompletedOutcome } from '../audit/audit.service.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import { csrfProtection } from '../http/csrf.js';
import { AppError, NotFoundError } from '../http/errors.js';
import { toHttpError } from '../http/facturapi-errors.js';
import { actionContext } from '../http/request-context.js';
import type { Logger } from '../logger.js';
import { organizationIdParams } from '../organizations/organizations.schema.js';
import type { Radar } from '../radar/radar.service.js';

export interface RemovalDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
  radar: Radar;
  now: () => Date;
  guard: RequestHandler;
}

/** What the person must type: the RFC, or the id when Facturapi has no RFC yet. */
export function confirmationText(organization: Organization): string {
  return organization.rfc ?? organization.id;
}

export function certificateRemovalRouter(deps: RemovalDeps): Router {
  const router = Router();
  const path = '/organizations/:organizationId/certificate/remove';
  const load = async (id: unknown) => {
    const params = organizationIdParams.safeParse({ organizationId: id });
    if (!params.success) throw new NotFoundError('error.organizationNotFound');
    return deps.facturapi.getOrganization(params.data.organizationId).catch((e: unknown) => {
      throw toHttpError(e);
    });
  };

  router.get(path, deps.guard, async (req, res) => {
    const organization = await load(req.params.organizationId);
    res.render('remove-certificate', { organization, error: null });
  });

  router.post(path, deps.guard, formBody, csrfProtection, async (req, res) => {
    const organization = await load(req.params.organizationId);
    const typed = z.object({ confirm: z.string().trim().max(64).default('') }).parse(req.body ?? {}).confirm;
    const ctx = actionContext(req, deps.now);
    const record = (outcome: 'success' | 'failure', detail: Record<string, string | null>) =>
      deps.audit.record({ ...auditOrigin(ctx), organizationId: organization.id, action: 'certificate.delete', outcome, detail: { certificateNumber: organization.certificate.serialNumber, ...detail } });

    if (!organization.certificate.hasCertificate) {
      res.status(409).render('remove-certificate', { organization, error: 'remove.noCertificate' });
      return;
    }
    if (typed.toUpperCase() !== confirmationText(organization).toUpperCase()) {
      await record('failure', { reason: 'confirmation_mismatch' });
      res.status(400).render('remove-certificate', { organization, error: 'remove.mismatch' });
      return;
    }
    const log = req.log as Logger;
    const certificateNumber = organization.certificate.serialNumber;
    const change = { action: 'certificate.delete', organizationId: organization.id, certificateNumber } as const;
    let attemptId: string;
    try {
      attemptId = await deps.audit.begin({ ...auditOrigin(ctx), organizationId: organization.id, action: 'certificate.delete', detail: { certificateNumber, result: 'sent' } });
    } catch (error) {
      logAttemptNotRecorded(log, change, error);
      throw new AppError(503, 'audit.notRecorded', {}, true);
    }
    // Facturapi has answered: a failure to write that down must not hide what it answered.
    const complete = async (outcome: CompletedOutcome, detail: { result: string; reason?: string }) => {
      await deps.audit.complete(attemptId, outcome, { certificateNumber, ...detail }).catch((error: unknown) => logAuditGap(log, attemptId, { ...change, result: detail.result }, error));
    };
    try {
      await deps.facturapi.deleteCertificate(organization.id);
    } catch (error) {
      if (error instanceof FacturapiError) await complete('failure', { result: 'failed', reason: error.name });
      throw toHttpError(error);
    }
    await complete('success', { result: 'removed' });
    deps.radar.forget();
    req.session.flash = { kind: 'success', key: 'remove.done' };
    res.redirect(303, `/organizations/${organization.id}`);
  });

  return router;
}
