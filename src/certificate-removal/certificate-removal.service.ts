/**
 * Removing an organization's CSD at Facturapi, as a use case: the typed confirmation must match,
 * and every attempt is audited. One that reaches Facturapi is written before the DELETE is sent
 * (nothing is sent if it cannot be: `not_recorded`) and completed after; if completing fails, the
 * outcome is still the truth, with `auditGap` for the route to log. Returns codes and facts; the
 * route turns them into a page.
 */
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import type { AuditTrail, CompletedOutcome } from '../audit/audit.service.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';

export interface RemovalServiceDeps {
  facturapi: FacturapiClient;
  audit: AuditTrail;
}

/** The attempt was sent but its completion could not be written: the trail says "outcome unknown". */
export interface RemovalAuditGap {
  auditEventId: string;
  result: 'removed' | 'failed';
  error: unknown;
}

export type RemovalOutcome =
  /** Facturapi holds no certificate for it: nothing to remove (not audited, nothing sent). */
  | { kind: 'no_certificate' }
  /** What was typed is not the confirmation text (audited as a failure). */
  | { kind: 'mismatch' }
  /** The attempt could not be audited, so nothing was sent. */
  | { kind: 'not_recorded'; error: unknown }
  /** Facturapi refused or failed; `error` is its error, for the error handler. */
  | { kind: 'failed'; error: FacturapiError; auditGap?: RemovalAuditGap }
  | { kind: 'removed'; auditGap?: RemovalAuditGap };

/** What the person must type: the RFC, or the id when Facturapi has no RFC yet. */
export function confirmationText(organization: Organization): string {
  return organization.rfc ?? organization.id;
}

export async function removeCertificate(deps: RemovalServiceDeps, organization: Organization, typed: string, ctx: ActionContext): Promise<RemovalOutcome> {
  if (!organization.certificate.hasCertificate) return { kind: 'no_certificate' };
  const certificateNumber = organization.certificate.serialNumber;
  const origin = { ...auditOrigin(ctx), organizationId: organization.id, action: 'certificate.delete' } as const;
  if (typed.toUpperCase() !== confirmationText(organization).toUpperCase()) {
    await deps.audit.record({ ...origin, outcome: 'failure', detail: { certificateNumber, reason: 'confirmation_mismatch' } });
    return { kind: 'mismatch' };
  }
  let auditEventId: string;
  try {
    auditEventId = await deps.audit.begin({ ...origin, detail: { certificateNumber, result: 'sent' } });
  } catch (error) {
    return { kind: 'not_recorded', error };
  }
  // Facturapi has answered: a failure to write that down must not hide what it answered.
  const complete = async (outcome: CompletedOutcome, detail: { result: 'removed' | 'failed'; reason?: string }): Promise<{ auditGap?: RemovalAuditGap }> => {
    try {
      await deps.audit.complete(auditEventId, outcome, { certificateNumber, ...detail });
      return {};
    } catch (error) {
      return { auditGap: { auditEventId, result: detail.result, error } };
    }
  };
  try {
    await deps.facturapi.deleteCertificate(organization.id);
  } catch (error) {
    // Anything but Facturapi's own errors is a bug of ours: let it through as it is.
    if (!(error instanceof FacturapiError)) throw error;
    return { kind: 'failed', error, ...(await complete('failure', { result: 'failed', reason: error.name })) };
  }
  return { kind: 'removed', ...(await complete('success', { result: 'removed' })) };
}
