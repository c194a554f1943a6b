/**
 * The upload use case: inspect the CSD locally and, at the same time, read the organization from
 * Facturapi; refuse here what Facturapi would refuse (another RFC installed), what changes nothing
 * (the same certificate) and what needs a yes first (one that expires before the installed one);
 * only then relay it. An upload Facturapi does not answer is followed by a read-back of the
 * organization, so the page and the trail say what is known instead of guessing.
 * Returns an outcome (codes and facts, upload-outcome.ts) for the web layer to put into words;
 * never throws for expected failures.
 *
 * A relayed upload changes the customer's credential at Facturapi, so its audit attempt is
 * written first: if that fails nothing is sent (`not_recorded`). If completing it fails after
 * Facturapi answered, the outcome is still the truth, with `auditGap` for the route to log.
 */
import { inspectCsd, type CertificateFacts, type Inspection } from '../certificates/index.js';
import type { InspectFn } from '../certificates/inspection-pool.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiRejectedError, FacturapiUnauthorizedError, FacturapiUnavailableError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import type { ActionContext } from '../audit/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditUpload, beginUploadAttempt, completeUploadAttempt } from './upload-audit.js';
import { decideBeforeSending } from './upload-checks.js';
import type { ReadBack, UploadOutcome } from './upload-outcome.js';
import { certificateWarnings } from './upload-warnings.js';

export interface UploadDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
  now: () => Date;
  liveFacturapi: boolean;
  /** The certificate check; runtime passes a worker pool's, tests may leave the inline default. */
  inspect?: InspectFn;
  /**
   * Deadline of the read-back after an unanswered upload. Shorter than a whole call (the person
   * has already waited for the upload): default 5 s.
   */
  readBackTimeoutMs?: number;
}

export interface UploadInput {
  organizationId: string;
  cer: Buffer;
  key: Buffer;
  password: string;
  /** The person ticked "replace it with one that expires sooner" (upload-checks.ts). */
  confirmEarlierExpiry?: boolean;
}

type Inspected = Extract<Inspection, { ok: true }>;
type OrganizationRead = { ok: true; organization: Organization } | { ok: false; error: unknown };

/** Runs the upload and writes its audit event, whatever the outcome. */
export async function uploadCertificate(deps: UploadDeps, input: UploadInput, ctx: ActionContext): Promise<UploadOutcome> {
  // In parallel: the read costs one Facturapi round trip, mostly hidden behind the check.
  const [inspection, read] = await Promise.all([inspectUpload(deps, input, ctx), readOrganization(deps.facturapi, input.organizationId)]);
  const swapped = inspection.swapped ? { swapped: true } : {};
  const current = read.ok ? read.organization : null;
  const decided = inspection.ok ? beforeSending(inspection.facts, read, input) : { kind: 'invalid' as const, problems: inspection.problems, facts: inspection.facts, organization: current };
  if (decided !== null) {
    const outcome = { ...decided, ...swapped } as UploadOutcome & { kind: Exclude<UploadOutcome['kind'], 'not_recorded'> };
    await auditUpload(deps.audit, ctx, input.organizationId, outcome);
    return outcome;
  }
  const sendable = inspection as Inspected;
  const organization = current!;
  let auditEventId: string;
  try {
    auditEventId = await beginUploadAttempt(deps.audit, ctx, input.organizationId, sendable.facts);
  } catch (error) {
    return { kind: 'not_recorded', facts: sendable.facts, error, ...swapped };
  }
  const outcome = { ...(await relayUpload(deps, input, sendable, organization, auditEventId)), ...swapped } as UploadOutcome & { kind: Exclude<UploadOutcome['kind'], 'not_recorded'> };
  try {
    await completeUploadAttempt(deps.audit, auditEventId, ctx, outcome);
    return outcome;
  } catch (error) {
    return { ...outcome, auditGap: { auditEventId, error } };
  }
}

/** null: send it. Otherwise the outcome of not sending (the organization could not be read, or a check said no). */
function beforeSending(facts: CertificateFacts, read: OrganizationRead, input: UploadInput): Exclude<UploadOutcome, { kind: 'uploaded' | 'unavailable' | 'not_recorded' | 'invalid' }> | null {
  if (!read.ok) {
    const { error } = read;
    if (error instanceof FacturapiUnavailableError) return { kind: 'not_sent', reason: error.reason, facts };
    if (error instanceof FacturapiUnauthorizedError) return { kind: 'unauthorized', facts };
    if (error instanceof FacturapiRejectedError) return { kind: 'rejected', code: error.code, message: error.message, logId: error.logId, facts, organization: null };
    throw error;
  }
  const decision = decideBeforeSending(facts, read.organization, input.confirmEarlierExpiry === true);
  if (decision.kind === 'send') return null;
  if (decision.kind === 'already_installed') return { kind: 'already_installed', facts, organization: read.organization };
  return { kind: 'conflict', code: decision.code, facts, organization: read.organization };
}

async function readOrganization(facturapi: FacturapiClient, organizationId: string, timeoutMs?: number): Promise<OrganizationRead> {
  try {
    return { ok: true, organization: await facturapi.getOrganization(organizationId, timeoutMs === undefined ? undefined : { timeoutMs }) };
  } catch (error) {
    return { ok: false, error };
  }
}

async function inspectUpload(deps: UploadDeps, input: UploadInput, ctx: ActionContext): Promise<Inspection> {
  const inspect: InspectFn = deps.inspect ?? inspectCsd;
  // The owner keeps one person's uploads queued behind each other, not behind everyone's.
  return inspect({ cer: input.cer, key: input.key, password: input.password, now: deps.now() }, { owner: ctx.actor?.id });
}

type RelayOutcome = Extract<UploadOutcome, { kind: 'uploaded' | 'rejected' | 'unauthorized' | 'unavailable' }>;

async function relayUpload(deps: UploadDeps, input: UploadInput, inspection: Inspected, before: Organization, auditEventId: string): Promise<RelayOutcome> {
  const now = deps.now();
  const { facts } = inspection;
  try {
    // What is relayed is DER: the original bytes when the person gave DER.
    const organization = await deps.facturapi.uploadCertificate(input.organizationId, {
      cer: inspection.cerDer,
      key: inspection.keyDer,
      password: input.password,
    });
    return { kind: 'uploaded', organization, facts, warnings: certificateWarnings({ facts, liveFacturapi: deps.liveFacturapi, now }) };
  } catch (error) {
    if (error instanceof FacturapiRejectedError) {
      return { kind: 'rejected', code: error.code, message: error.message, logId: error.logId, facts, organization: before };
    }
    if (error instanceof FacturapiUnauthorizedError) return { kind: 'unauthorized', facts };
    if (!(error instanceof FacturapiUnavailableError)) throw error;
    // No usable answer: it may or may not have been applied. Read the organization back.
    const read = await readOrganization(deps.facturapi, input.organizationId, deps.readBackTimeoutMs ?? 5_000);
    const readBack: ReadBack = !read.ok ? 'unconfirmed' : read.organization.certificate.serialNumber === facts.certificateNumber ? 'installed' : 'not_installed';
    return { kind: 'unavailable', reason: error.reason, logId: error.logId ?? null, facts, readBack, organization: read.ok ? read.organization : before, auditEventId };
  }
}
