/**
 * What every upload form does around the use case (upload.service.ts), whichever credential it
 * takes and wherever it sits (the organization page's CSD and e.firma forms, a one-time upload
 * link): defer multer's form errors until the CSRF check has passed, read the form with its
 * kind's schema, and afterwards settle the outcome: log what the trail could not say, turn the
 * outcomes that are not a page (audit not written, our key refused, organization gone) into
 * errors, and give either "installed" (the caller redirects) or the page state of a refusal.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Organization } from '../../facturapi/organization.js';
import type { Formatters, MessageKey } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import { logAttemptNotRecorded, logAuditGap } from '../../audit/audit-gaps.js';
import type { FormMessage, UploadViewState } from '../../organizations/organization.view.js';
import { AppError, NotFoundError, UpstreamError } from '../../web/errors.js';
import { validate } from '../../web/validate.js';
import { CREDENTIALS, type CredentialKind } from '../credential-kinds.js';
import type { UploadOutcome } from '../upload-outcome.js';
import { fielFormSchema, uploadFormSchema } from '../upload.schema.js';
import type { UploadInput } from '../upload.service.js';
import { issuesToMessages, refusedView } from '../upload.view.js';
import { UploadFormError } from './upload-form-error.js';
import { createUploadFormParser, parseUploadForm } from './upload.multer.js';

/**
 * The e.firma form's own words for the messages its files share with the CSD form (the schema
 * and the multipart parser say them the CSD's way: "the CSD's .cer file").
 */
const FIEL_WORDS: Partial<Record<MessageKey, MessageKey>> = {
  'field.cer.required': 'fiel.field.cer.required',
  'field.key.required': 'fiel.field.key.required',
  'field.file.tooLarge': 'fiel.field.file.tooLarge',
};

function inWordsOf(kind: CredentialKind, messages: FormMessage[]): FormMessage[] {
  if (kind === 'csd') return messages;
  return messages.map((message) => {
    const key = FIEL_WORDS[message.key];
    return key ? { ...message, key } : message;
  });
}

/**
 * The multipart parser whose form errors wait: re-rendering the page reads the organization from
 * Facturapi and audits the attempt, which a cross-site post must not get (issue 9, item 16); the
 * route throws the deferred error once the CSRF check has passed.
 */
export function deferredUploadFormParser(bodyReadTimeoutMs: number | undefined): { parseForm: RequestHandler; deferredError: (req: Request, kind: CredentialKind) => UploadFormError | undefined } {
  const parser = bodyReadTimeoutMs === undefined ? parseUploadForm : createUploadFormParser({ readTimeoutMs: bodyReadTimeoutMs });
  const deferred = new WeakMap<Request, UploadFormError>();
  const parseForm: RequestHandler = (req, res, next) =>
    parser(req, res, (error?: unknown) => {
      if (!(error instanceof UploadFormError)) return next(error);
      deferred.set(req, error);
      next();
    });
  const deferredError = (req: Request, kind: CredentialKind) => {
    const error = deferred.get(req);
    return error && kind !== 'csd' ? new UploadFormError(error.status as 400 | 413, inWordsOf(kind, error.messages)) : error;
  };
  return { parseForm, deferredError };
}

interface ReceivedFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** The use case's input with the files as received (their names and sizes go back on a refusal). */
export interface UploadForm extends UploadInput {
  files: { cer: ReceivedFile; key: ReceivedFile };
}

/** The form of this kind, validated (throws UploadFormError with the messages by the fields). */
export function readUploadForm(kind: CredentialKind, req: Request, organizationId: string): UploadForm {
  const body = (req.body ?? {}) as Record<string, unknown>;
  // A repeated text field (two passwords) arrives as an array: too many fields, not a missing one.
  if (Object.values(body).some(Array.isArray)) throw new UploadFormError(400, [{ field: 'form', key: 'field.tooManyFields' }]);
  const raw = { files: req.files ?? {}, body };
  const invalid = (issues: Parameters<typeof issuesToMessages>[0]) => new UploadFormError(400, inWordsOf(kind, issuesToMessages(issues)));
  if (kind === 'fiel') {
    // The e.firma form also wants the explicit "I understand" tick.
    const form = validate(fielFormSchema, raw, invalid);
    return { organizationId, cer: form.files.cer.buffer, key: form.files.key.buffer, password: form.body.password, files: form.files };
  }
  const form = validate(uploadFormSchema, raw, invalid);
  return { organizationId, cer: form.files.cer.buffer, key: form.files.key.buffer, password: form.body.password, confirmEarlierExpiry: form.body.confirmEarlierExpiry === 'yes', files: form.files };
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

/** The HTTP status of the page shown again after an upload that did not end installed. */
export function statusOf(outcome: UploadOutcome): number {
  switch (outcome.kind) {
    case 'already_installed':
      return 200;
    case 'not_sent':
    case 'unavailable':
      // What the error page used to answer when Facturapi failed.
      return outcome.reason === 'timeout' ? 504 : 503;
    default:
      // Refused, here or by Facturapi: it is about the files the person sent.
      return 422;
  }
}

export type InstalledOutcome = Extract<UploadOutcome, { kind: 'uploaded' | 'unavailable' }>;

/** Installed: Facturapi answered, or reading the organization back found it. */
export function isInstalled(outcome: UploadOutcome): outcome is InstalledOutcome {
  return outcome.kind === 'uploaded' || (outcome.kind === 'unavailable' && outcome.readBack === 'installed');
}

/** The page of an upload that did not end installed. */
export interface RefusedPage {
  status: number;
  organization: Organization | null;
  state: UploadViewState;
}

/**
 * After the use case: what the form's page does next (see the file's comment). null: installed
 * (`isInstalled(outcome)`), the caller redirects; nothing is built for the success.
 */
export function settleUpload(req: Request, res: Response, kind: CredentialKind, form: UploadForm, outcome: UploadOutcome, deps: { liveFacturapi: boolean; now: () => Date }): RefusedPage | null {
  const spec = CREDENTIALS[kind];
  const { organizationId } = form;
  res.locals.uploadSentToFacturapi = REACHED_FACTURAPI[outcome.kind];
  const log = req.log as Logger;
  // The attempt could not be audited, so nothing was sent: say so, and that nothing changed.
  if (outcome.kind === 'not_recorded') {
    logAttemptNotRecorded(log, { action: spec.auditAction, organizationId, certificateNumber: outcome.facts.certificateNumber }, outcome.error);
    throw new AppError(503, 'audit.notRecorded', {}, true);
  }
  // Facturapi answered but the trail could not say what: log it loudly, and show the truth anyway.
  if (outcome.auditGap) {
    logAuditGap(log, outcome.auditGap.auditEventId, { action: spec.auditAction, organizationId, result: outcome.kind, certificateNumber: outcome.facts?.certificateNumber ?? null }, outcome.auditGap.error);
  }
  // Our key is refused: an operator problem, not the person's files; the error page says so.
  if (outcome.kind === 'unauthorized') throw new UpstreamError(502, 'facturapi.unauthorized');
  if (isInstalled(outcome)) return null;
  // The organization could not be found when it was read before sending.
  if (outcome.kind === 'rejected' && outcome.organization === null) throw new NotFoundError('error.organizationNotFound');
  const organization = 'organization' in outcome ? outcome.organization : null;
  const warnings = 'facts' in outcome && outcome.facts && organization && outcome.kind !== 'invalid' ? spec.refusedWarnings({ facts: outcome.facts, organization, liveFacturapi: deps.liveFacturapi, now: deps.now() }) : [];
  const state = refusedView(outcome, warnings, res.locals.fmt as Formatters, kind);
  // The files and the password cannot come back; the "expires sooner" tick can (what else the form had).
  const installedExpiry = organization?.certificate.hasCertificate ? organization.certificate.expiresAt : null;
  if (form.confirmEarlierExpiry && !state.confirmEarlierExpiry && outcome.facts && installedExpiry && outcome.facts.validTo < installedExpiry) {
    state.confirmEarlierExpiry = { validTo: outcome.facts.validTo, installedExpiresAt: installedExpiry, checked: true };
  }
  state.received = [
    { field: 'cer', name: form.files.cer.originalname, size: form.files.cer.size },
    { field: 'key', name: form.files.key.originalname, size: form.files.key.size },
  ];
  return { status: statusOf(outcome), organization, state };
}
