/**
 * The upload use case, for either credential (credential-kinds.ts: the CSD or the e.firma):
 * inspect the pair locally as that kind and, at the same time, read the organization from
 * Facturapi; refuse here what Facturapi would refuse and what changes nothing (for the CSD also
 * ask before installing one that expires sooner: upload-checks.ts); only then relay it. An upload
 * Facturapi does not answer is followed by a read-back of the organization, so the page and the
 * trail say what is known instead of guessing.
 * Returns an outcome (codes and facts, upload-outcome.ts) for the web layer to put into words;
 * never throws for expected failures. Callable with an organization id and an action context
 * alone, so the signed-in forms and the one-time upload links share it.
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
import { CREDENTIALS, type CredentialKind, type CredentialSpec } from './credential-kinds.js';
import type { ReadBack, UploadOutcome } from './upload-outcome.js';

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
  /** Exactly as typed; relayed, never stored or logged. */
  password: string;
  /** CSD only: the person ticked "replace it with one that expires sooner" (upload-checks.ts). */
  confirmEarlierExpiry?: boolean;
}

type Inspected = Extract<Inspection, { ok: true }>;
type OrganizationRead = { ok: true; organization: Organization } | { ok: false; error: unknown };
type Recordable = UploadOutcome & { kind: Exclude<UploadOutcome['kind'], 'not_recorded'> };

/** Runs the upload of a credential of this kind and writes its audit event, whatever the outcome. */
export async function uploadCredential(deps: UploadDeps, kind: CredentialKind, input: UploadInput, ctx: ActionContext): Promise<UploadOutcome> {
  const spec = CREDENTIALS[kind];
  // In parallel: the read costs one Facturapi round trip, mostly hidden behind the check.
  const [inspection, read] = await Promise.all([inspectUpload(deps, spec, input, ctx), readOrganization(deps.facturapi, input.organizationId)]);
  const swapped = inspection.swapped ? { swapped: true } : {};
  const current = read.ok ? read.organization : null;
  const decided = inspection.ok ? beforeSending(spec, inspection.facts, read, input) : { kind: 'invalid' as const, problems: inspection.problems, facts: inspection.facts, organization: current };
  if (decided !== null) {
    const outcome = { ...decided, ...swapped } as Recordable;
    await auditUpload(deps.audit, ctx, input.organizationId, outcome, spec.auditAction);
    return outcome;
  }
  const sendable = inspection as Inspected;
  const organization = current!;
  let auditEventId: string;
  try {
    auditEventId = await beginUploadAttempt(deps.audit, ctx, input.organizationId, sendable.facts, spec.auditAction);
  } catch (error) {
    return { kind: 'not_recorded', facts: sendable.facts, error, ...swapped };
  }
  const outcome = { ...(await relayUpload(deps, spec, input, sendable, organization, auditEventId)), ...swapped } as Recordable;
  try {
    await completeUploadAttempt(deps.audit, auditEventId, ctx, outcome, spec.auditAction);
    return outcome;
  } catch (error) {
    return { ...outcome, auditGap: { auditEventId, error } };
  }
}

/** null: send it. Otherwise the outcome of not sending (the organization could not be read, or a check said no). */
function beforeSending(spec: CredentialSpec, facts: CertificateFacts, read: OrganizationRead, input: UploadInput): Exclude<UploadOutcome, { kind: 'uploaded' | 'unavailable' | 'not_recorded' | 'invalid' }> | null {
  if (!read.ok) {
    const { error } = read;
    if (error instanceof FacturapiUnavailableError) return { kind: 'not_sent', reason: error.reason, facts };
    if (error instanceof FacturapiUnauthorizedError) return { kind: 'unauthorized', facts };
    if (error instanceof FacturapiRejectedError) return { kind: 'rejected', code: error.code, message: error.message, logId: error.logId, facts, organization: null };
    throw error;
  }
  const decision = spec.decide(facts, read.organization, input.confirmEarlierExpiry === true);
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

async function inspectUpload(deps: UploadDeps, spec: CredentialSpec, input: UploadInput, ctx: ActionContext): Promise<Inspection> {
  const inspect: InspectFn = deps.inspect ?? inspectCsd;
  // The owner keeps one person's uploads queued behind each other, not behind everyone's.
  return inspect({ cer: input.cer, key: input.key, password: input.password, now: deps.now(), expect: spec.expect }, { owner: ctx.actor?.id });
}

type RelayOutcome = Extract<UploadOutcome, { kind: 'uploaded' | 'rejected' | 'unauthorized' | 'unavailable' }>;

async function relayUpload(deps: UploadDeps, spec: CredentialSpec, input: UploadInput, inspection: Inspected, before: Organization, auditEventId: string): Promise<RelayOutcome> {
  const now = deps.now();
  const { facts } = inspection;
  try {
    // What is relayed is DER: the original bytes when the person gave DER.
    const organization = await spec.send(deps.facturapi, input.organizationId, { cer: inspection.cerDer, key: inspection.keyDer, password: input.password });
    return { kind: 'uploaded', organization, facts, warnings: spec.warnings(facts, deps.liveFacturapi, now) };
  } catch (error) {
    if (error instanceof FacturapiRejectedError) {
      return { kind: 'rejected', code: error.code, message: error.message, logId: error.logId, facts, organization: before };
    }
    if (error instanceof FacturapiUnauthorizedError) return { kind: 'unauthorized', facts };
    if (!(error instanceof FacturapiUnavailableError)) throw error;
    // No usable answer: it may or may not have been applied. Read the organization back.
    const read = await readOrganization(deps.facturapi, input.organizationId, deps.readBackTimeoutMs ?? 5_000);
    const readBack: ReadBack = !read.ok ? 'unconfirmed' : spec.installed(read.organization).serialNumber === facts.certificateNumber ? 'installed' : 'not_installed';
    return { kind: 'unavailable', reason: error.reason, logId: error.logId ?? null, facts, readBack, organization: read.ok ? read.organization : before, auditEventId };
  }
}
