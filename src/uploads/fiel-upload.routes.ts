/**
 * POST /organizations/:id/fiel: the e.firma's own upload form, in the CSD route's order and with
 * its guards (upload.routes.ts): the body-size guard, multer (the CSRF token travels inside the
 * multipart body), CSRF and the upload limits, then the schema (which also wants the explicit
 * "I understand" tick), then the use case (fiel-upload.service.ts). A success redirects to the
 * page's e.firma panel; anything else re-renders the page with the messages in the e.firma form.
 * Form errors found by multer wait until the CSRF check has passed, as for the CSD.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Organization } from '../facturapi/organization.js';
import { AppError, NotFoundError, UpstreamError } from '../web/errors.js';
import { logAttemptNotRecorded, logAuditGap } from '../audit/audit-gaps.js';
import type { Logger } from '../logger.js';
import type { Formatters } from '../i18n/index.js';
import { organizationPageModel, renderOrganizationPage, withHistory, type UploadViewState } from '../organizations/organization.view.js';
import { organizationIdOf } from '../organizations/web/organization-loader.js';
import { actionContext } from '../accounts/web/request-context.js';
import { validate } from '../web/validate.js';
import { UploadFormError } from './web/upload-form-error.js';
import { uploadFormErrors } from './web/upload-form-errors.js';
import { issuesToMessages, refusedView } from './upload.view.js';
import { createUploadFormParser, parseUploadForm, rejectOversizedBody } from './web/upload.multer.js';
import { fielFormSchema } from './upload.schema.js';
import { uploadFiel } from './fiel-upload.service.js';
import type { UploadRouteDeps } from './upload.routes.js';
import { uploadLimitPage } from './web/upload-limit-page.js';

/** The outcomes that reached Facturapi (the upload limits count them apart). */
const REACHED = new Set(['uploaded', 'rejected', 'unauthorized', 'unavailable']);

export function fielUploadRouter(deps: UploadRouteDeps): Router {
  const router = Router();
  const path = '/organizations/:organizationId/fiel';
  const parser = deps.bodyReadTimeoutMs === undefined ? parseUploadForm : createUploadFormParser({ readTimeoutMs: deps.bodyReadTimeoutMs });
  const deferredFormErrors = new WeakMap<Request, UploadFormError>();
  const parseForm: RequestHandler = (req, res, next) =>
    parser(req, res, (error?: unknown) => {
      if (!(error instanceof UploadFormError)) return next(error);
      deferredFormErrors.set(req, error);
      next();
    });

  async function showPage(res: Response, status: number, organization: Organization | null, organizationId: string, state: UploadViewState): Promise<void> {
    renderOrganizationPage(res, status, await withHistory(deps.audit, organizationPageModel(organization, deps.now(), {}, organizationId, state)));
  }

  router.post(path, ...(deps.beforeParse ?? []), rejectOversizedBody, parseForm, ...(deps.afterParse ?? []), async (req, res) => {
    const deferred = deferredFormErrors.get(req);
    if (deferred) throw deferred;
    if (Object.values((req.body ?? {}) as Record<string, unknown>).some(Array.isArray)) throw new UploadFormError(400, [{ field: 'form', key: 'field.tooManyFields' }]);
    const form = validate(fielFormSchema, { files: req.files ?? {}, body: req.body ?? {} }, (issues) => new UploadFormError(400, issuesToMessages(issues)));
    const organizationId = organizationIdOf(req.params);
    const { cer, key } = form.files;
    const outcome = await uploadFiel(deps, { organizationId, cer: cer.buffer, key: key.buffer, password: form.body.password }, actionContext(req, deps.now));
    res.locals.uploadSentToFacturapi = REACHED.has(outcome.kind);
    const log = req.log as Logger;
    if (outcome.kind === 'not_recorded') {
      logAttemptNotRecorded(log, { action: 'fiel.upload', organizationId, certificateNumber: outcome.facts.certificateNumber }, outcome.error);
      throw new AppError(503, 'audit.notRecorded', {}, true);
    }
    if (outcome.auditGap) {
      logAuditGap(log, outcome.auditGap.auditEventId, { action: 'fiel.upload', organizationId, result: outcome.kind, certificateNumber: outcome.facts?.certificateNumber ?? null }, outcome.auditGap.error);
    }
    if (outcome.kind === 'unauthorized') throw new UpstreamError(502, 'facturapi.unauthorized');
    if (outcome.kind === 'uploaded' || (outcome.kind === 'unavailable' && outcome.readBack === 'installed')) {
      deps.onCertificateChanged?.();
      res.redirect(303, `/organizations/${organizationId}?${new URLSearchParams({ fiel: outcome.facts.certificateNumber })}#fiel`);
      return;
    }
    if (outcome.kind === 'rejected' && outcome.organization === null) throw new NotFoundError('error.organizationNotFound');
    const organization = 'organization' in outcome ? outcome.organization : null;
    const state = refusedView(outcome, [], res.locals.fmt as Formatters);
    state.received = [
      { field: 'cer', name: cer.originalname, size: cer.size },
      { field: 'key', name: key.originalname, size: key.size },
    ];
    const status = outcome.kind === 'already_installed' ? 200 : outcome.kind === 'not_sent' || outcome.kind === 'unavailable' ? (outcome.reason === 'timeout' ? 504 : 503) : 422;
    await showPage(res, status, organization, organizationId, state);
  });

  router.use(path, uploadFormErrors(deps, showPage, 'fiel.upload'));
  router.use(path, uploadLimitPage(deps));
  return router;
}
