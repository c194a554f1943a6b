/**
 * "Check again": an upload Facturapi did not answer, whose read-back failed too, is looked up
 * once more. The organization is read again and the number of the credential of that kind (the
 * CSD or the e.firma, credential-kinds.ts) compared with the one sent; when the attempt is still
 * open in that kind's trail (outcome `unknown`, this organization, this certificate number) it is
 * completed with the answer. Never sends anything to Facturapi.
 */
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiUnavailableError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { completeByRecheck } from './upload-audit.js';
import { CREDENTIALS, type CredentialKind } from './credential-kinds.js';
import type { ReadBack } from './upload-outcome.js';

export interface RecheckDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
}

export interface RecheckInput {
  organizationId: string;
  /** The certificate number that was sent (20 digits). */
  certificateNumber: string;
  /** The attempt's audit event id, as the page that offered the button had it. */
  attemptId: string;
}

export type RecheckOutcome = { readBack: Exclude<ReadBack, 'unconfirmed'>; organization: Organization } | { readBack: 'unconfirmed'; organization: null };

/** Open attempts looked at: an organization has at most a handful; more would be a loop gone wrong. */
const OPEN_ATTEMPTS_SCANNED = 50;

export async function recheckUpload(deps: RecheckDeps, kind: CredentialKind, input: RecheckInput): Promise<RecheckOutcome> {
  const spec = CREDENTIALS[kind];
  let organization: Organization;
  try {
    organization = await deps.facturapi.getOrganization(input.organizationId);
  } catch (error) {
    if (error instanceof FacturapiUnavailableError) return { readBack: 'unconfirmed', organization: null };
    throw error;
  }
  const installedNumber = spec.installed(organization).serialNumber;
  const installed = installedNumber === input.certificateNumber;
  const { rows } = await deps.audit.query({ organizationId: input.organizationId, action: spec.auditAction, outcome: 'unknown', page: 1, pageSize: OPEN_ATTEMPTS_SCANNED, withTotal: false });
  const attempt = rows.find((row) => row.id === input.attemptId && row.detail.certificateNumber === input.certificateNumber);
  if (attempt) await completeByRecheck(deps.audit, attempt.id, attempt.detail, installed, installedNumber);
  return { readBack: installed ? 'installed' : 'not_installed', organization };
}
