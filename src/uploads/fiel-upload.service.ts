/**
 * The e.firma (FIEL) upload use case, the CSD's sibling (upload.service.ts): inspect the pair
 * locally as an e.firma (a CSD is refused here, `fiel_required`) while the organization is read
 * from Facturapi; refuse here what Facturapi would refuse (another RFC than the organization's)
 * and what changes nothing (the same e.firma); only then relay it to `PUT /fiel`. An unanswered
 * upload is followed by a read-back of the organization's `fiel`.
 *
 * Callable with an organization id and an action context alone, so another entry point (the
 * one-time upload links of issue 12, part 4) can reuse it. The audit trail gets `fiel.upload`
 * events with the same shape as the CSD's: an attempt written before sending (nothing is sent
 * if it cannot be written) and completed with the outcome after.
 */
import { inspectCsd, type CertificateFacts, type Inspection } from '../certificates/index.js';
import type { InspectFn } from '../certificates/inspection-pool.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiRejectedError, FacturapiUnauthorizedError, FacturapiUnavailableError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import type { ActionContext } from '../audit/action-context.js';
import { auditUpload, beginUploadAttempt, completeUploadAttempt } from './upload-audit.js';
import type { ReadBack, UploadOutcome } from './upload-outcome.js';
import type { UploadDeps } from './upload.service.js';
import { expiresSoonWarning } from './upload-warnings.js';

export interface FielUploadInput {
  organizationId: string;
  cer: Buffer;
  key: Buffer;
  /** Exactly as typed; relayed, never stored or logged. */
  password: string;
}

const AUDIT_ACTION = 'fiel.upload';

type Recordable = UploadOutcome & { kind: Exclude<UploadOutcome['kind'], 'not_recorded'> };
type OrganizationRead = { ok: true; organization: Organization } | { ok: false; error: unknown };
type Inspected = Extract<Inspection, { ok: true }>;

/** Runs the e.firma upload and writes its audit event, whatever the outcome. Never throws for expected failures. */
export async function uploadFiel(deps: UploadDeps, input: FielUploadInput, ctx: ActionContext): Promise<UploadOutcome> {
  const inspect: InspectFn = deps.inspect ?? inspectCsd;
  const [inspection, read] = await Promise.all([
    inspect({ cer: input.cer, key: input.key, password: input.password, now: deps.now(), expect: 'FIEL' }, { owner: ctx.actor?.id }),
    readOrganization(deps.facturapi, input.organizationId),
  ]);
  const swapped = inspection.swapped ? { swapped: true } : {};
  const decided: Recordable | null = inspection.ok
    ? beforeSending(inspection.facts, read)
    : { kind: 'invalid', problems: inspection.problems, facts: inspection.facts, organization: read.ok ? read.organization : null };
  if (decided !== null) {
    const outcome = { ...decided, ...swapped } as Recordable;
    await auditUpload(deps.audit, ctx, input.organizationId, outcome, AUDIT_ACTION);
    return outcome;
  }
  const sendable = inspection as Inspected;
  const before = (read as { ok: true; organization: Organization }).organization;
  let auditEventId: string;
  try {
    auditEventId = await beginUploadAttempt(deps.audit, ctx, input.organizationId, sendable.facts, AUDIT_ACTION);
  } catch (error) {
    return { kind: 'not_recorded', facts: sendable.facts, error, ...swapped };
  }
  const outcome = { ...(await relay(deps, input, sendable, before, auditEventId)), ...swapped } as Recordable;
  try {
    await completeUploadAttempt(deps.audit, auditEventId, ctx, outcome, AUDIT_ACTION);
    return outcome;
  } catch (error) {
    return { ...outcome, auditGap: { auditEventId, error } };
  }
}

/** null: send it. Otherwise the outcome of not sending. */
function beforeSending(facts: CertificateFacts, read: OrganizationRead): Recordable | null {
  if (!read.ok) {
    const { error } = read;
    if (error instanceof FacturapiUnavailableError) return { kind: 'not_sent', reason: error.reason, facts };
    if (error instanceof FacturapiUnauthorizedError) return { kind: 'unauthorized', facts };
    if (error instanceof FacturapiRejectedError) return { kind: 'rejected', code: error.code, message: error.message, logId: error.logId, facts, organization: null };
    throw error;
  }
  const organization = read.organization;
  // The e.firma is the taxpayer's own signature: it must be the organization's RFC, when one is known.
  if (organization.rfc && organization.rfc !== facts.rfc) return { kind: 'conflict', code: 'fiel_rfc_mismatch', facts, organization };
  // SAT never reuses a certificate number: the same number is the same e.firma.
  if (organization.fiel.hasCertificate && organization.fiel.serialNumber === facts.certificateNumber) return { kind: 'already_installed', facts, organization };
  return null;
}

async function readOrganization(facturapi: FacturapiClient, organizationId: string, timeoutMs?: number): Promise<OrganizationRead> {
  try {
    return { ok: true, organization: await facturapi.getOrganization(organizationId, timeoutMs === undefined ? undefined : { timeoutMs }) };
  } catch (error) {
    return { ok: false, error };
  }
}

async function relay(deps: UploadDeps, input: FielUploadInput, inspection: Inspected, before: Organization, auditEventId: string): Promise<Recordable> {
  const { facts } = inspection;
  try {
    const organization = await deps.facturapi.uploadFiel(input.organizationId, { cer: inspection.cerDer, key: inspection.keyDer, password: input.password });
    const soon = expiresSoonWarning(facts.validTo, deps.now());
    return { kind: 'uploaded', organization, facts, warnings: soon ? [soon] : [] };
  } catch (error) {
    if (error instanceof FacturapiRejectedError) return { kind: 'rejected', code: error.code, message: error.message, logId: error.logId, facts, organization: before };
    if (error instanceof FacturapiUnauthorizedError) return { kind: 'unauthorized', facts };
    if (!(error instanceof FacturapiUnavailableError)) throw error;
    const read = await readOrganization(deps.facturapi, input.organizationId, deps.readBackTimeoutMs ?? 5_000);
    const readBack: ReadBack = !read.ok ? 'unconfirmed' : read.organization.fiel.serialNumber === facts.certificateNumber ? 'installed' : 'not_installed';
    return { kind: 'unavailable', reason: error.reason, logId: error.logId ?? null, facts, readBack, organization: read.ok ? read.organization : before, auditEventId };
  }
}
