/**
 * The upload use case: inspect the CSD locally, and only if it is sound, relay it to Facturapi.
 * Returns an outcome (codes and facts, upload-outcome.ts) for the web layer to put into words;
 * never throws for expected failures.
 *
 * A relayed upload changes the customer's credential at Facturapi, so its audit attempt is
 * written first: if that fails nothing is sent (`not_recorded`). If completing it fails after
 * Facturapi answered, the outcome is still the truth, with `auditGap` for the route to log.
 */
import { inspectCsd, type Inspection } from '../certificates/index.js';
import type { InspectFn } from '../certificates/inspection-pool.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiRejectedError, FacturapiUnauthorizedError, FacturapiUnavailableError } from '../facturapi/errors.js';
import type { ActionContext } from '../audit/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditUpload, beginUploadAttempt, completeUploadAttempt } from './upload-audit.js';
import type { UploadOutcome } from './upload-outcome.js';
import { certificateWarnings } from './upload-warnings.js';

export interface UploadDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
  now: () => Date;
  liveFacturapi: boolean;
  /** The certificate check; runtime passes a worker pool's, tests may leave the inline default. */
  inspect?: InspectFn;
}

export interface UploadInput {
  organizationId: string;
  cer: Buffer;
  key: Buffer;
  password: string;
}

type Inspected = Extract<Inspection, { ok: true }>;

/** Runs the upload and writes its audit event, whatever the outcome. */
export async function uploadCertificate(deps: UploadDeps, input: UploadInput, ctx: ActionContext): Promise<UploadOutcome> {
  const inspection = await inspectUpload(deps, input, ctx);
  if (!inspection.ok) {
    const outcome: UploadOutcome = { kind: 'invalid', problems: inspection.problems, facts: inspection.facts };
    await auditUpload(deps.audit, ctx, input.organizationId, outcome);
    return outcome;
  }
  let auditEventId: string;
  try {
    auditEventId = await beginUploadAttempt(deps.audit, ctx, input.organizationId, inspection.facts);
  } catch (error) {
    return { kind: 'not_recorded', facts: inspection.facts, error };
  }
  const outcome = await relayUpload(deps, input, inspection);
  try {
    await completeUploadAttempt(deps.audit, auditEventId, ctx, outcome);
    return outcome;
  } catch (error) {
    return { ...outcome, auditGap: { auditEventId, error } };
  }
}

async function inspectUpload(deps: UploadDeps, input: UploadInput, ctx: ActionContext): Promise<Inspection> {
  const inspect: InspectFn = deps.inspect ?? inspectCsd;
  // The owner keeps one person's uploads queued behind each other, not behind everyone's.
  return inspect({ cer: input.cer, key: input.key, password: input.password, now: deps.now() }, { owner: ctx.actor?.id });
}

async function relayUpload(deps: UploadDeps, input: UploadInput, inspection: Inspected): Promise<Exclude<UploadOutcome, { kind: 'invalid' | 'not_recorded' }>> {
  const now = deps.now();
  // The organization is not loaded first: the PUT answers with it, and an unknown organization
  // is Facturapi's organization_not_found. Only a failure reloads it, to show the page again.
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
      return { kind: 'rejected', code: error.code, message: error.message, logId: error.logId, facts };
    }
    if (error instanceof FacturapiUnauthorizedError) return { kind: 'unauthorized', facts };
    if (error instanceof FacturapiUnavailableError) return { kind: 'unavailable', reason: error.reason, logId: error.logId ?? null, facts };
    throw error;
  }
}
