/**
 * POST /organizations/:id/certificate. Order matters: the body-size guard, then multer (the
 * CSRF token travels inside the multipart body, so multer runs before the CSRF check), then the
 * schema, then the use case. A success redirects (post/redirect/get) so a refresh never uploads
 * again; any other outcome re-renders the organization page, under the heading that says what
 * reached Facturapi, with the form ready for another try and an empty password.
 *
 * A form error multer finds waits until the CSRF check has passed: re-rendering the page reads
 * the organization from Facturapi and audits the attempt in the signed-in person's name, and a
 * cross-site post must get neither, only the 403 (issue 9, item 16). The token is read from the
 * fields parsed before the error; a browser sends it first, so a real form error keeps its page.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiUnavailableError } from '../facturapi/errors.js';
import { AppError, NotFoundError, UpstreamError } from '../web/errors.js';
import { csrfProtection } from '../web/csrf.js';
import { formBody } from '../web/form-body.js';
import { logAttemptNotRecorded, logAuditGap } from '../audit/audit-gaps.js';
import type { Logger } from '../logger.js';
import type { Formatters } from '../i18n/index.js';
import type { Organization } from '../facturapi/organization.js';
import { organizationPageModel, renderOrganizationPage, withHistory, type UploadViewState } from '../organizations/organization.view.js';
import { organizationIdOf } from '../organizations/web/organization-loader.js';
import { uploadWarnings } from './upload-warnings.js';
import { actionContext } from '../accounts/web/request-context.js';
import { validate } from '../web/validate.js';
import { UploadFormError } from './web/upload-form-error.js';
import { uploadFormErrors } from './web/upload-form-errors.js';
import { refusedView, successQuery } from './upload.view.js';
import { issuesToMessages } from './upload.view.js';
import { createUploadFormParser, parseUploadForm, rejectOversizedBody } from './web/upload.multer.js';
import { recheckFormSchema, uploadFormSchema } from './upload.schema.js';
import type { UploadOutcome } from './upload-outcome.js';
import { uploadCertificate, type UploadDeps } from './upload.service.js';
import { uploadLimitPage } from './web/upload-limit-page.js';
import { recheckUpload } from './upload-recheck.service.js';

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

/** The HTTP status of a page that says Facturapi failed: what the error page used to answer. */
function unavailableStatus(reason: FacturapiUnavailableError['reason']): number {
  return reason === 'timeout' ? 504 : 503;
}

/** The status of the organization page shown again after an upload that did not succeed. */
export function statusOf(outcome: UploadOutcome): number {
  switch (outcome.kind) {
    case 'already_installed':
      return 200;
    case 'not_sent':
    case 'unavailable':
      return unavailableStatus(outcome.reason);
    default:
      // Refused, here or by Facturapi: it is about the files the person sent.
      return 422;
  }
}

/**
 * Whether each outcome means the upload reached Facturapi (false: refused here). The upload limits
 * count the two apart; a Record, so a new outcome kind does not compile until it is placed here.
 */
export const REACHED_FACTURAPI: Record<UploadOutcome['kind'], boolean> = {
  uploaded: true, rejected: true, unauthorized: true, unavailable: true,
  // Refused here (another RFC installed, the same certificate, nothing could be read first): never sent.
  invalid: false, conflict: false, already_installed: false, not_sent: false, not_recorded: false,
};

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

  async function showPage(res: Response, status: number, organization: Organization | null, organizationId: string, state: UploadViewState): Promise<void> {
    renderOrganizationPage(res, status, await withHistory(deps.audit, organizationPageModel(organization, deps.now(), state, organizationId)));
  }

  router.post(path, ...(deps.beforeParse ?? []), rejectOversizedBody, parseForm, ...(deps.afterParse ?? []), async (req, res) => {
    const deferred = deferredFormErrors.get(req);
    if (deferred) throw deferred;
    // A repeated text field (two passwords) arrives as an array: too many fields, not a missing one.
    if (Object.values((req.body ?? {}) as Record<string, unknown>).some(Array.isArray)) throw new UploadFormError(400, [{ field: 'form', key: 'field.tooManyFields' }]);
    const form = validate(uploadFormSchema, { files: req.files ?? {}, body: req.body ?? {} }, (issues) => new UploadFormError(400, issuesToMessages(issues)));
    const organizationId = organizationIdOf(req.params);
    const { cer, key } = form.files;
    const input = { organizationId, cer: cer.buffer, key: key.buffer, password: form.body.password, confirmEarlierExpiry: form.body.confirmEarlierExpiry === 'yes' };
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
    // Our key is refused: an operator problem, not the person's files; the error page says so.
    if (outcome.kind === 'unauthorized') throw new UpstreamError(502, 'facturapi.unauthorized');
    // Installed (answered, or found by reading the organization back): post/redirect/get.
    if (outcome.kind === 'uploaded' || (outcome.kind === 'unavailable' && outcome.readBack === 'installed')) {
      deps.onCertificateChanged?.();
      res.redirect(303, `/organizations/${organizationId}?${successQuery(outcome)}`);
      return;
    }
    // The organization could not be found when it was read before sending.
    if (outcome.kind === 'rejected' && outcome.organization === null) throw new NotFoundError('error.organizationNotFound');
    const organization = 'organization' in outcome ? outcome.organization : null;
    const warnings = 'facts' in outcome && outcome.facts && organization && outcome.kind !== 'invalid' ? uploadWarnings({ facts: outcome.facts, organization, liveFacturapi: deps.liveFacturapi, now: deps.now() }) : [];
    const state = refusedView(outcome, warnings, res.locals.fmt as Formatters);
    // The files and the password cannot come back; the "expires sooner" tick can (what else the form had).
    const installedExpiry = organization?.certificate.hasCertificate ? organization.certificate.expiresAt : null;
    if (input.confirmEarlierExpiry && !state.confirmEarlierExpiry && outcome.facts && installedExpiry && outcome.facts.validTo < installedExpiry) {
      state.confirmEarlierExpiry = { validTo: outcome.facts.validTo, installedExpiresAt: installedExpiry, checked: true };
    }
    state.received = [
      { field: 'cer', name: cer.originalname, size: cer.size },
      { field: 'key', name: key.originalname, size: key.size },
    ];
    await showPage(res, statusOf(outcome), organization, organizationId, state);
  });

  // "Check again" after an unanswered upload whose read-back failed: reads, never sends.
  router.post(`${path}/check`, ...(deps.beforeParse ?? []), formBody, csrfProtection, async (req, res) => {
    const organizationId = organizationIdOf(req.params);
    const form = validate(recheckFormSchema, req.body ?? {});
    const result = await recheckUpload(deps, { organizationId, certificateNumber: form.number, attemptId: form.attempt });
    if (result.readBack === 'installed') {
      deps.onCertificateChanged?.();
      res.redirect(303, `/organizations/${organizationId}?${new URLSearchParams({ uploaded: form.number, w: 'read_back' })}`);
      return;
    }
    const installedNumber = result.organization?.certificate.serialNumber ?? null;
    const state: UploadViewState = { heading: 'no_answer', errors: [], noAnswer: { readBack: result.readBack, certificateNumber: form.number, installedNumber, attemptId: form.attempt } };
    await showPage(res, result.readBack === 'unconfirmed' ? 503 : 200, result.organization, organizationId, state);
  });

  router.use(path, uploadFormErrors(deps, showPage));
  router.use(path, uploadLimitPage(deps));
  return router;
}
