/**
 * The upload use case: inspect the CSD locally, and only if it is sound, relay it to Facturapi.
 * Returns an outcome for the route to render; never throws for expected failures.
 */
import { inspectCsd, type CertificateFacts, type Problem } from '../certificates/index.js';
import type { InspectFn } from '../certificates/inspection-pool.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiRejectedError, FacturapiUnauthorizedError, FacturapiUnavailableError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import type { ActionContext } from '../accounts/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import type { FormMessage } from '../organizations/organization-page.js';
import { auditUpload } from './upload-audit.js';
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

export type UploadOutcome =
  | { kind: 'uploaded'; organization: Organization; facts: CertificateFacts; warnings: FormMessage[] }
  | { kind: 'invalid'; problems: Problem[]; facts: CertificateFacts | null }
  | { kind: 'rejected'; code: string | null; message: string; logId: string | null; facts: CertificateFacts }
  | { kind: 'unauthorized'; facts: CertificateFacts }
  | { kind: 'unavailable'; reason: FacturapiUnavailableError['reason']; logId: string | null; facts: CertificateFacts };

/** Runs the upload and writes its audit event, whatever the outcome. */
export async function uploadCertificate(deps: UploadDeps, input: UploadInput, ctx: ActionContext): Promise<UploadOutcome> {
  const outcome = await attemptUpload(deps, input, ctx);
  await auditUpload(deps.audit, ctx, input.organizationId, outcome);
  return outcome;
}

async function attemptUpload(deps: UploadDeps, input: UploadInput, ctx: ActionContext): Promise<UploadOutcome> {
  const now = deps.now();
  const inspect: InspectFn = deps.inspect ?? inspectCsd;
  // The owner keeps one person's uploads queued behind each other, not behind everyone's.
  const inspection = await inspect({ cer: input.cer, key: input.key, password: input.password, now }, { owner: ctx.actor?.id });
  if (!inspection.ok) return { kind: 'invalid', problems: inspection.problems, facts: inspection.facts };

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
