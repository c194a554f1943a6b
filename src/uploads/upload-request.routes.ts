/**
 * Upload requests (issue 12, part 4). Support creates and revokes them on the organization page;
 * the customer opens the e-mailed link, without an account, and gets that organization's upload
 * form for the requested credential (the CSD's or the e.firma's) and nothing else: the same
 * checks, messages and limits as the signed-in upload (uploadCredential, the shared form handling
 * of web/credential-upload.ts), with the request as the actor (actor null, its id in the audit detail).
 *
 * The token travels in the path only: the page's one link to it is the form's action, the
 * language switch is a bare `?lang=`, a success redirects to a page without it, and the access
 * log redacts it (request-logger.ts). A dead link (used, revoked, expired, unknown) is a 410,
 * decided before the body is read.
 */
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Executor } from '../db/database.js';
import type { UploadRequestRow } from '../db/schema.js';
import type { FacturapiClient } from '../facturapi/client.js';
import type { Organization } from '../facturapi/organization.js';
import type { FormCsrf } from '../web/csrf.js';
import { csrfProtection } from '../web/csrf.js';
import { formBody } from '../web/form-body.js';
import { AppError, NotFoundError } from '../web/errors.js';
import { validate } from '../web/validate.js';
import type { ActionContext } from '../audit/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Mailer } from '../mail/mailer.js';
import { MAX_FILE_BYTES } from '../certificates/index.js';
import { actionContext } from '../accounts/web/request-context.js';
import { looksLikeEmail } from '../accounts/web/typed-email.js';
import { organizationIdOf, loadOrganization } from '../organizations/web/organization-loader.js';
import type { UploadViewState } from '../organizations/organization.view.js';
import { auditRejectedForm } from './upload-audit.js';
import { uploadCredential, type UploadDeps } from './upload.service.js';
import { CREDENTIALS } from './credential-kinds.js';
import { deferredUploadFormParser, isInstalled, readUploadForm, settleUpload, type InstalledOutcome } from './web/credential-upload.js';
import { UploadFormError } from './web/upload-form-error.js';
import { rejectOversizedBody } from './web/upload.multer.js';
import { createUploadRequest, findUsableRequest, holdForUpload, markOpened, markUsed, releaseHold, revokeUploadRequest } from './upload-requests.service.js';

export interface PublicUploadRequestDeps extends UploadDeps {
  db: Executor;
  csrf: FormCsrf;
  /** The upload limits (keyed by the request, see app.ts); run after the CSRF check. */
  limiters: RequestHandler[];
  bodyReadTimeoutMs?: number;
  onCertificateChanged?: () => void;
}

/** The request a link names, once the link was checked (res.locals). */
const requestOf = (res: Response) => res.locals.uploadRequest as UploadRequestRow;

/** The limits count per request: one customer's guesses never use up another's budget. */
export const uploadRequestLimitKey = (req: Request) => `upload-request:${(req.res?.locals.uploadRequest as UploadRequestRow | undefined)?.id ?? 'none'}`;

/** The customer acts, not a signed-in person: no actor, the request's id in every event. */
function linkContext(req: Request, res: Response, now: () => Date): ActionContext {
  return { ...actionContext(req, now), actor: null, uploadRequestId: requestOf(res).id };
}

export function publicUploadRequestRouter(deps: PublicUploadRequestDeps): Router {
  const router = Router();
  const path = '/upload-requests/:token';
  const { parseForm, deferredError } = deferredUploadFormParser(deps.bodyReadTimeoutMs);

  // The token must name a usable request before anything else happens (the body is not read).
  const liveLink: RequestHandler = async (req, res, next) => {
    const found = await findUsableRequest(deps.db, String(req.params.token ?? ''), deps.now());
    if (!found.ok) {
      res.status(410).render('upload-request-invalid', { reason: found.reason });
      return;
    }
    res.locals.uploadRequest = found.row;
    // The switch must not repeat the token in the page: a bare query keeps the browser's path.
    res.locals.languageHref = (lang: string) => `?lang=${lang}`;
    next();
  };

  /** The request's form: the CSD's or the e.firma's, as the request says. */
  async function showForm(req: Request, res: Response, status: number, organization: Organization | null, state: UploadViewState): Promise<void> {
    res.locals.csrfToken = deps.csrf.token(req, res);
    res.status(status).render('upload-request', {
      organization, upload: state, credential: requestOf(res).credential_kind, action: req.originalUrl.split('?')[0], maxFileBytes: MAX_FILE_BYTES,
    });
  }

  const readOrganization = (id: string) => deps.facturapi.getOrganization(id).catch(() => null);

  router.get('/upload-requests/done', (req, res) => {
    // Which credential was received: only the words depend on it, so a hand-made query misleads nobody.
    res.render('upload-request-done', { credential: req.query.credential === 'fiel' ? 'fiel' : 'csd' });
  });

  router.get(path, liveLink, async (req, res) => {
    const row = requestOf(res);
    await markOpened(deps.db, row.id, deps.now());
    await showForm(req, res, 200, await readOrganization(row.organization_id), {});
  });

  router.post(path, liveLink, rejectOversizedBody, parseForm, deps.csrf.protect, ...deps.limiters, async (req, res) => {
    const row = requestOf(res);
    const kind = row.credential_kind;
    const deferred = deferredError(req, kind);
    if (deferred) throw deferred;
    const form = readUploadForm(kind, req, row.organization_id);
    const ctx = linkContext(req, res, deps.now);
    if (!(await holdForUpload(deps.db, row.id, deps.now()))) {
      await showForm(req, res, 409, await readOrganization(row.organization_id), { errors: [{ field: 'form', key: 'uploadRequest.busy' }] });
      return;
    }
    let outcome;
    try {
      outcome = await uploadCredential(deps, kind, form, ctx);
    } finally {
      // Installed: markUsed below clears the hold with the link. Anything else: the link works again.
      if (!outcome || !isInstalled(outcome)) await releaseHold(deps.db, row.id);
    }
    const refused = settleUpload(req, res, kind, form, outcome, deps);
    if (refused === null) {
      // Installed. Single use: the link is dead from here on.
      await markUsed(deps, row, (outcome as InstalledOutcome).facts.certificateNumber, ctx);
      deps.onCertificateChanged?.();
      res.redirect(303, kind === 'fiel' ? '/upload-requests/done?credential=fiel' : '/upload-requests/done');
      return;
    }
    await showForm(req, res, refused.status, refused.organization ?? (await readOrganization(row.organization_id)), refused.state);
  });

  const formErrors: ErrorRequestHandler = async (err, req, res: Response, next) => {
    if (!(err instanceof UploadFormError) || !res.locals.uploadRequest) return next(err);
    try {
      const row = requestOf(res);
      await auditRejectedForm(deps.audit, linkContext(req, res, deps.now), row.organization_id, err.messages.map((m) => m.key).join(','), CREDENTIALS[row.credential_kind].auditAction);
      await showForm(req, res, err.status, await readOrganization(row.organization_id), { errors: err.messages });
    } catch (error) {
      next(error);
    }
  };
  router.use(path, formErrors);
  return router;
}

/** What support types to send a request. Only the CSD for now; the e.firma is refused with a message. */
const createRequestForm = z.object({
  // A plain address only: no control characters (a NUL passed the old pattern), spaces, quotes or brackets.
  email: z.string().trim().toLowerCase().max(254).refine(looksLikeEmail),
  credential: z.enum(['csd', 'fiel']).default('csd'),
  language: z.enum(['es', 'en']).default('es'),
});
const requestIdParams = z.object({ requestId: z.string().uuid() });

export interface UploadRequestAdminDeps {
  db: Executor;
  audit: AuditTrail;
  facturapi: FacturapiClient;
  mailer: Mailer;
  now: () => Date;
  publicUrl: string;
  /** Support only (the guard of app.ts). */
  guard: RequestHandler;
}

/** Creating and revoking requests, from the organization page (support). */
export function uploadRequestAdminRouter(deps: UploadRequestAdminDeps): Router {
  const router = Router();
  const base = '/organizations/:organizationId/upload-requests';

  // The link is shown once, on this POST's own response (never a redirect: it would have to carry
  // it in the URL or the session), as invitations are: without SMTP_URL, or when the e-mail failed,
  // this page is the only way it reaches the customer. Cache-Control: no-store (noStore, app.ts).
  router.post(base, deps.guard, formBody, csrfProtection, async (req, res) => {
    const form = validate(createRequestForm, req.body, () => new AppError(400, 'uploadRequest.invalidEmail'));
    const organization = await loadOrganization(deps.facturapi, req.params);
    const created = await createUploadRequest(deps, {
      organizationId: organization.id, organizationName: organization.legalName || organization.name, rfc: organization.rfc,
      credential: form.credential, email: form.email, language: form.language, publicUrl: deps.publicUrl,
    }, actionContext(req, deps.now));
    res.render('link-issued', {
      purpose: 'upload_request', email: form.email, link: created.link, expiresAt: created.expiresAt, mailStatus: created.mail.status,
      credential: form.credential, organizationName: organization.legalName || organization.name,
      back: { href: `/organizations/${organization.id}#upload-requests`, key: 'link.issued.back.upload_request' },
    });
  });

  router.post(`${base}/:requestId/revoke`, deps.guard, formBody, csrfProtection, async (req, res) => {
    const organizationId = organizationIdOf({ organizationId: req.params.organizationId });
    const { requestId } = validate(requestIdParams, req.params, () => new NotFoundError('uploadRequest.notFound'));
    const revoked = await revokeUploadRequest(deps, organizationId, requestId, actionContext(req, deps.now));
    req.session.flash = { kind: revoked ? 'success' : 'info', key: revoked ? 'uploadRequest.revoked' : 'uploadRequest.notRevocable' };
    res.redirect(303, `/organizations/${organizationId}#upload-requests`);
  });

  return router;
}
