/**
 * The organization page's two upload forms: POST /organizations/:id/certificate (the CSD) and
 * POST /organizations/:id/fiel (the e.firma), one router per credential kind. Order matters: the
 * body-size guard, then multer (the CSRF token travels inside the multipart body, so multer runs
 * before the CSRF check), then the schema (the e.firma's also wants the explicit "I understand"
 * tick), then the use case. A success redirects (post/redirect/get) so a refresh never uploads
 * again; any other outcome re-renders the organization page, under the heading that says what
 * reached Facturapi, with that kind's form ready for another try and an empty password.
 *
 * A form error multer finds waits until the CSRF check has passed: re-rendering the page reads
 * the organization from Facturapi and audits the attempt in the signed-in person's name, and a
 * cross-site post must get neither, only the 403 (issue 9, item 16). The token is read from the
 * fields parsed before the error; a browser sends it first, so a real form error keeps its page.
 */
import { Router, type RequestHandler, type Response } from 'express';
import type { FacturapiClient } from '../facturapi/client.js';
import { csrfProtection } from '../web/csrf.js';
import { formBody } from '../web/form-body.js';
import type { Organization } from '../facturapi/organization.js';
import { organizationPageModel, renderOrganizationPage, withHistory, type UploadViewState } from '../organizations/organization.view.js';
import { organizationIdOf } from '../organizations/web/organization-loader.js';
import { actionContext } from '../accounts/web/request-context.js';
import { validate } from '../web/validate.js';
import { uploadFormErrors } from './web/upload-form-errors.js';
import { successQuery } from './upload.view.js';
import { recheckFormSchema } from './upload.schema.js';
import { uploadCredential, type UploadDeps } from './upload.service.js';
import { CREDENTIALS, type CredentialKind } from './credential-kinds.js';
import { rejectOversizedBody } from './web/upload.multer.js';
import { deferredUploadFormParser, readUploadForm, settleUpload, type InstalledOutcome } from './web/credential-upload.js';
import { uploadLimitPage } from './web/upload-limit-page.js';
import { recheckUpload } from './upload-recheck.service.js';

export { sentToFacturapi } from './web/credential-upload.js';

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

/** Where each kind's form sits on the organization page, and where its success lands. */
interface PagePlace {
  segment: string;
  successUrl: (organizationId: string, outcome: InstalledOutcome) => string;
  /** Where "check again" lands when it found the credential installed. */
  recheckedUrl: (organizationId: string, certificateNumber: string) => string;
}
const fielUrl = (id: string, number: string) => `/organizations/${id}?${new URLSearchParams({ fiel: number })}#fiel`;
const PAGE: Record<CredentialKind, PagePlace> = {
  csd: {
    segment: 'certificate',
    successUrl: (id, outcome) => `/organizations/${id}?${successQuery(outcome)}`,
    recheckedUrl: (id, number) => `/organizations/${id}?${new URLSearchParams({ uploaded: number, w: 'read_back' })}`,
  },
  fiel: { segment: 'fiel', successUrl: (id, outcome) => fielUrl(id, outcome.facts.certificateNumber), recheckedUrl: fielUrl },
};

export function uploadRouter(deps: UploadRouteDeps): Router {
  return credentialUploadRouter(deps, 'csd');
}

export function fielUploadRouter(deps: UploadRouteDeps): Router {
  return credentialUploadRouter(deps, 'fiel');
}

/** The organization page with an upload's state in the form of its kind. */
async function showOrganizationPage(deps: UploadRouteDeps, kind: CredentialKind, res: Response, status: number, organization: Organization | null, organizationId: string, state: UploadViewState): Promise<void> {
  const model = kind === 'csd' ? organizationPageModel(organization, deps.now(), state, organizationId) : organizationPageModel(organization, deps.now(), {}, organizationId, state);
  renderOrganizationPage(res, status, await withHistory(deps.audit, model));
}

function credentialUploadRouter(deps: UploadRouteDeps, kind: CredentialKind): Router {
  const router = Router();
  const page = PAGE[kind];
  const path = `/organizations/:organizationId/${page.segment}`;
  const { parseForm, deferredError } = deferredUploadFormParser(deps.bodyReadTimeoutMs);
  const showPage = (res: Response, status: number, organization: Organization | null, organizationId: string, state: UploadViewState) => showOrganizationPage(deps, kind, res, status, organization, organizationId, state);

  router.post(path, ...(deps.beforeParse ?? []), rejectOversizedBody, parseForm, ...(deps.afterParse ?? []), async (req, res) => {
    const deferred = deferredError(req, kind);
    if (deferred) throw deferred;
    const form = readUploadForm(kind, req, organizationIdOf(req.params));
    const outcome = await uploadCredential(deps, kind, form, actionContext(req, deps.now));
    const refused = settleUpload(req, res, kind, form, outcome, deps);
    if (refused === null) {
      deps.onCertificateChanged?.();
      res.redirect(303, page.successUrl(form.organizationId, outcome as InstalledOutcome));
      return;
    }
    await showPage(res, refused.status, refused.organization, form.organizationId, refused.state);
  });

  // "Check again" after an unanswered upload whose read-back failed: reads, never sends.
  router.post(`${path}/check`, ...(deps.beforeParse ?? []), formBody, csrfProtection, async (req, res) => {
    const organizationId = organizationIdOf(req.params);
    const form = validate(recheckFormSchema, req.body ?? {});
    const result = await recheckUpload(deps, kind, { organizationId, certificateNumber: form.number, attemptId: form.attempt });
    if (result.readBack === 'installed') {
      deps.onCertificateChanged?.();
      res.redirect(303, page.recheckedUrl(organizationId, form.number));
      return;
    }
    const installedNumber = result.organization ? CREDENTIALS[kind].installed(result.organization).serialNumber : null;
    const state: UploadViewState = { heading: 'no_answer', errors: [], noAnswer: { readBack: result.readBack, certificateNumber: form.number, installedNumber, attemptId: form.attempt } };
    await showPage(res, result.readBack === 'unconfirmed' ? 503 : 200, result.organization, organizationId, state);
  });

  router.use(path, uploadFormErrors(deps, showPage, CREDENTIALS[kind].auditAction));
  router.use(path, uploadLimitPage(deps, showPage));
  return router;
}
