/**
 * POST /organizations/:id/certificate. Order matters: the body-size guard, then multer (the
 * CSRF token travels inside the multipart body, so multer runs before the CSRF check), then the
 * schema, then the use case. A success redirects (post/redirect/get) so a refresh never uploads
 * again; any failure re-renders the organization page with messages and an empty password.
 *
 * A form error multer finds waits until the CSRF check has passed: re-rendering the page reads
 * the organization from Facturapi and audits the attempt in the signed-in person's name, and a
 * cross-site post must get neither, only the 403 (issue 9, item 16). The token is read from the
 * fields parsed before the error; a browser sends it first, so a real form error keeps its page.
 */
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { FacturapiClient } from '../facturapi/client.js';
import { AppError, UpstreamError } from '../web/errors.js';
import { logAttemptNotRecorded, logAuditGap } from '../audit/audit-gaps.js';
import type { Logger } from '../logger.js';
import type { Formatters } from '../i18n/index.js';
import { organizationPageModel, renderOrganizationPage, withHistory, type UploadViewState } from '../organizations/organization.view.js';
import { loadOrganization, organizationIdOf } from '../organizations/web/organization-loader.js';
import { uploadWarnings, type UploadWarning } from './upload-warnings.js';
import { actionContext } from '../accounts/web/request-context.js';
import { validate } from '../web/validate.js';
import { auditRejectedForm } from './upload-audit.js';
import { UploadFormError } from './web/upload-form-error.js';
import { facturapiRejectionMessage, issuesToMessages, problemMessages, warningMessages } from './upload.view.js';
import { createUploadFormParser, parseUploadForm, rejectOversizedBody } from './web/upload.multer.js';
import { uploadFormSchema } from './upload.schema.js';
import type { UploadOutcome } from './upload-outcome.js';
import { uploadCertificate, type UploadDeps } from './upload.service.js';
import { uploadLimitPage } from './web/upload-limit-page.js';

export interface UploadRouteDeps extends UploadDeps {
  facturapi: FacturapiClient;
  /** Runs before the body is read (the authorization guard: refuse before parsing). */
  beforeParse?: RequestHandler[];
  /** Runs after multer and before anything else looks at the body (CSRF, rate limit). */
  afterParse?: RequestHandler[];
  /** Time allowed to receive the whole body (config `UPLOAD_BODY_TIMEOUT_MS`); default 20 s. */
  bodyReadTimeoutMs?: number;
  /** Called after Facturapi accepted a certificate (drops the radar's cache). */
  onCertificateChanged?: () => void;
}

/** A refused upload: the page is shown again with these messages. */
function refusedView(outcome: Extract<UploadOutcome, { kind: 'invalid' | 'rejected' }>, warnings: UploadWarning[], fmt: Formatters): UploadViewState {
  if (outcome.kind === 'invalid') return { errors: problemMessages(outcome.problems, fmt) };
  return { errors: [facturapiRejectionMessage(outcome.code, outcome.message)], warnings: warningMessages(warnings, fmt), facturapiLogId: outcome.logId };
}

/** Facturapi down, or our key refused: nothing to show again, the error page says what happened. */
function upstreamError(outcome: Extract<UploadOutcome, { kind: 'unavailable' | 'unauthorized' }>): UpstreamError {
  if (outcome.kind === 'unauthorized') return new UpstreamError(502, 'facturapi.unauthorized');
  if (outcome.reason === 'rate_limited') return new UpstreamError(503, 'facturapi.rateLimited');
  return new UpstreamError(outcome.reason === 'timeout' ? 504 : 503, 'facturapi.unavailable');
}

/**
 * Whether each outcome means the upload reached Facturapi (false: refused here). The upload limits
 * count the two apart; a Record, so a new outcome kind does not compile until it is placed here.
 */
const REACHED_FACTURAPI: Record<UploadOutcome['kind'], boolean> = { uploaded: true, rejected: true, unauthorized: true, unavailable: true, invalid: false, not_recorded: false };

/** Whether this request's upload reached Facturapi (read by the upload limits when the response closes). */
export function sentToFacturapi(res: Response): boolean {
  return res.locals.uploadSentToFacturapi === true;
}

export function uploadRouter(deps: UploadRouteDeps): Router {
  const router = Router();
  const path = '/organizations/:organizationId/certificate';

  const parser = deps.bodyReadTimeoutMs === undefined ? parseUploadForm : createUploadFormParser({ readTimeoutMs: deps.bodyReadTimeoutMs });
  const deferredFormErrors = new WeakMap<Request, UploadFormError>();
  const parseForm: RequestHandler = (req, res, next) =>
    parser(req, res, (error?: unknown) => {
      if (!(error instanceof UploadFormError)) return next(error);
      deferredFormErrors.set(req, error);
      next();
    });
  router.post(path, ...(deps.beforeParse ?? []), rejectOversizedBody, parseForm, ...(deps.afterParse ?? []), async (req, res) => {
    const deferred = deferredFormErrors.get(req);
    if (deferred) throw deferred;
    const form = validate(uploadFormSchema, { files: req.files ?? {}, body: req.body ?? {} }, (issues) => new UploadFormError(400, issuesToMessages(issues)));
    // The id only: the organization is not loaded before relaying (see upload.service.ts).
    const organizationId = organizationIdOf(req.params);
    const { cer, key } = form.files;
    const input = { organizationId, cer: cer.buffer, key: key.buffer, password: form.body.password };
    const outcome = await uploadCertificate(deps, input, actionContext(req, deps.now));
    res.locals.uploadSentToFacturapi = REACHED_FACTURAPI[outcome.kind];
    const log = req.log as Logger;
    // The attempt could not be audited, so nothing was sent: say so, and that nothing changed.
    if (outcome.kind === 'not_recorded') {
      logAttemptNotRecorded(log, { action: 'certificate.upload', organizationId, certificateNumber: outcome.facts.certificateNumber }, outcome.error);
      throw new AppError(503, 'audit.notRecorded', {}, true);
    }
    // Facturapi answered but the trail could not say what: log it loudly, and show the truth anyway.
    if (outcome.auditGap) {
      logAuditGap(log, outcome.auditGap.auditEventId, { action: 'certificate.upload', organizationId, result: outcome.kind, certificateNumber: outcome.facts?.certificateNumber ?? null }, outcome.auditGap.error);
    }
    if (outcome.kind === 'uploaded') {
      deps.onCertificateChanged?.();
      const query = new URLSearchParams({ uploaded: outcome.facts.certificateNumber, from: outcome.facts.validFrom.toISOString() });
      // The result page recomputes the warnings' values; the URL carries their codes only.
      const warnings = outcome.warnings.map((w) => w.code);
      if (warnings.length > 0) query.set('w', warnings.join(','));
      res.redirect(303, `/organizations/${organizationId}?${query}`);
      return;
    }
    // Facturapi is down or refuses our key: say so at once rather than wait for it again.
    if (outcome.kind === 'unavailable' || outcome.kind === 'unauthorized') {
      throw upstreamError(outcome);
    }
    // Refused (here or by Facturapi): show the page again, with the organization as Facturapi has it.
    const organization = await loadOrganization(deps.facturapi, { organizationId });
    const warnings = outcome.kind === 'invalid' ? [] : uploadWarnings({ facts: outcome.facts, organization, liveFacturapi: deps.liveFacturapi, now: deps.now() });
    const state = refusedView(outcome, warnings, res.locals.fmt as Formatters);
    state.received = [
      { field: 'cer', name: cer.originalname, size: cer.size },
      { field: 'key', name: key.originalname, size: key.size },
    ];
    // Both kinds of refusal are about the files the person sent: 422.
    renderOrganizationPage(res, 422, await withHistory(deps.audit, organizationPageModel(organization, deps.now(), state)));
  });

  // Form errors re-render the organization page when it can be loaded; otherwise the plain error page.
  const formErrors: ErrorRequestHandler = async (err, req, res: Response, next) => {
    if (!(err instanceof UploadFormError)) return next(err);
    if (typeof req.params.organizationId === 'string' && req.user) {
      await auditRejectedForm(deps.audit, actionContext(req, deps.now), req.params.organizationId.slice(0, 64), err.messages.map((m) => m.key).join(','));
    }
    try {
      const organization = await loadOrganization(deps.facturapi, req.params);
      renderOrganizationPage(res, err.status, await withHistory(deps.audit, organizationPageModel(organization, deps.now(), { errors: err.messages })));
    } catch {
      next(err);
    }
  };
  router.use(path, formErrors);
  router.use(path, uploadLimitPage(deps));
  return router;
}
