/**
 * The audit event of an upload attempt: who, for which organization (and whether support acted
 * on the customer's behalf), the outcome and the certificate's public facts. Never the password,
 * the key or file contents: only the certificate number, RFC, expiry and error codes.
 *
 * An upload refused here is one event. One relayed to Facturapi is written as an attempt before
 * it is sent (`result: sent`, outcome `unknown`) and completed with the outcome after, so the
 * trail holds one entry per upload and a certificate is never installed without one.
 */
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import type { AuditDetail } from '../audit/audit-detail.js';
import type { CertificateFacts } from '../certificates/index.js';
import type { Organization } from '../facturapi/organization.js';
import type { UploadOutcome } from './upload-outcome.js';

/** The certificate's public facts, the holder's name included (the status box shows it later). */
function factsDetail(facts: CertificateFacts | null): AuditDetail {
  return facts
    ? { certificateNumber: facts.certificateNumber, rfc: facts.rfc, holderName: facts.legalName, certificateType: facts.type, validFrom: facts.validFrom.toISOString(), validTo: facts.validTo.toISOString() }
    : {};
}

/** The outcomes that get an audit detail (`not_recorded` is the one that could not be written). */
type RecordableOutcome = Exclude<UploadOutcome, { kind: 'not_recorded' }>;

/** The credential an upload is about, as the organization holds it: the CSD, or the e.firma for `fiel.upload`. */
function installedOf(organization: Organization, action: UploadAuditAction) {
  return action === 'fiel.upload' ? organization.fiel : organization.certificate;
}

function outcomeDetail(outcome: RecordableOutcome, action: UploadAuditAction = 'certificate.upload'): AuditDetail {
  switch (outcome.kind) {
    case 'uploaded':
      return { ...factsDetail(outcome.facts), ...swappedDetail(outcome) };
    case 'invalid':
      return { ...factsDetail(outcome.facts), problems: outcome.problems.map((p) => p.code).join(','), ...swappedDetail(outcome) };
    case 'conflict':
      return { ...factsDetail(outcome.facts), reason: outcome.code, installedCertificateNumber: installedOf(outcome.organization, action).serialNumber, installedRfc: outcome.organization.rfc };
    case 'already_installed':
      return { ...factsDetail(outcome.facts), reason: 'already_installed' };
    case 'not_sent':
      return { ...factsDetail(outcome.facts), reason: `facturapi_${outcome.reason}` };
    case 'rejected':
      return { ...factsDetail(outcome.facts), facturapiCode: outcome.code, facturapiLogId: outcome.logId };
    case 'unauthorized':
      return { ...factsDetail(outcome.facts), reason: 'facturapi_unauthorized' };
    case 'unavailable':
      // What Facturapi answered (nothing usable) and what reading the organization back showed.
      return {
        ...factsDetail(outcome.facts),
        reason: `facturapi_${outcome.reason}`,
        facturapiLogId: outcome.logId,
        readBack: outcome.readBack,
        installedCertificateNumber: outcome.readBack === 'unconfirmed' ? null : installedOf(outcome.organization, action).serialNumber,
      };
  }
}

function swappedDetail(outcome: { swapped?: boolean }): AuditDetail {
  return outcome.swapped ? { filesSwapped: true } : {};
}

/** The audit outcome of an upload: a read-back that could not confirm leaves it `unknown`. */
export function auditOutcomeOf(outcome: RecordableOutcome): 'success' | 'failure' | 'unknown' {
  if (outcome.kind === 'uploaded' || outcome.kind === 'already_installed') return 'success';
  if (outcome.kind === 'unavailable') return outcome.readBack === 'installed' ? 'success' : outcome.readBack === 'unconfirmed' ? 'unknown' : 'failure';
  return 'failure';
}

export function onBehalfDetail(ctx: ActionContext): AuditDetail {
  if (ctx.uploadRequestId) return { via: 'upload_request', uploadRequestId: ctx.uploadRequestId };
  return ctx.actor?.role === 'support' ? { onBehalfOfCustomer: true } : {};
}

/** Which credential's trail an upload writes to: the CSD's or the e.firma's (credential-kinds.ts). */
export type UploadAuditAction = 'certificate.upload' | 'fiel.upload';

/** The one writer of upload events; the functions below only choose the detail. */
async function recordUploadEvent(audit: AuditTrail, ctx: ActionContext, organizationId: string, success: boolean, detail: AuditDetail, action: UploadAuditAction = 'certificate.upload'): Promise<void> {
  await audit.record({
    ...auditOrigin(ctx),
    organizationId,
    action,
    outcome: success ? 'success' : 'failure',
    detail: { ...onBehalfDetail(ctx), ...detail },
  });
}

export function auditUpload(audit: AuditTrail, ctx: ActionContext, organizationId: string, outcome: RecordableOutcome, action: UploadAuditAction = 'certificate.upload'): Promise<void> {
  return recordUploadEvent(audit, ctx, organizationId, auditOutcomeOf(outcome) === 'success', { result: outcome.kind, ...outcomeDetail(outcome, action) }, action);
}

/** The attempt, written before the certificate is sent; returns its id for the completion. */
export function beginUploadAttempt(audit: AuditTrail, ctx: ActionContext, organizationId: string, facts: CertificateFacts, action: UploadAuditAction = 'certificate.upload'): Promise<string> {
  return audit.begin({ ...auditOrigin(ctx), organizationId, action, detail: { ...onBehalfDetail(ctx), result: 'sent', ...factsDetail(facts) } });
}

/** Completes the attempt with what Facturapi answered: the same detail a refused upload gets. */
export function completeUploadAttempt(audit: AuditTrail, attemptId: string, ctx: ActionContext, outcome: RecordableOutcome, action: UploadAuditAction = 'certificate.upload'): Promise<void> {
  return audit.complete(attemptId, auditOutcomeOf(outcome), { ...onBehalfDetail(ctx), result: outcome.kind, ...outcomeDetail(outcome, action) });
}

/**
 * The re-check of an attempt left `unknown`: completes it with what Facturapi now holds, keeping
 * the detail it had (facts, reason) and saying the answer came from a later read.
 */
export function completeByRecheck(audit: AuditTrail, attemptId: string, detail: AuditDetail, installed: boolean, installedCertificateNumber: string | null): Promise<void> {
  const readBack = installed ? 'installed' : 'not_installed';
  return audit.complete(attemptId, installed ? 'success' : 'failure', { ...detail, readBack, installedCertificateNumber, rechecked: true });
}

/** A form that could not even be read (multer/zod errors) is an attempt too. */
export function auditRejectedForm(audit: AuditTrail, ctx: ActionContext, organizationId: string, reason: string, action: UploadAuditAction = 'certificate.upload'): Promise<void> {
  return recordUploadEvent(audit, ctx, organizationId, false, { result: 'form_rejected', reason }, action);
}
