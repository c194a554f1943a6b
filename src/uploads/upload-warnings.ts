/**
 * Warnings that do not stop an upload. Pure: derived from the certificate's facts, the
 * organization as Facturapi has it, whether we talk to the real Facturapi, and "now".
 */
import type { CertificateFacts } from '../certificates/index.js';
import type { Organization } from '../facturapi/organization.js';
import type { FormMessage } from '../organizations/organization.view.js';
import { SOON_DAYS, daysUntil } from '../organizations/certificate-status.js';

export interface WarningContext {
  facts: CertificateFacts;
  organization: Organization;
  liveFacturapi: boolean;
  now: Date;
}

/** The expiry of a certificate that expires within SOON_DAYS, as a warning. */
export function expiresSoonWarning(validTo: Date, now: Date): FormMessage | null {
  const days = daysUntil(validTo, now);
  if (days >= SOON_DAYS || validTo.getTime() <= now.getTime()) return null;
  return { field: 'form', key: 'warning.expires_soon', params: { days, validTo: validTo.toISOString() } };
}

/** What the certificate alone says: it expires soon; it is a SAT test certificate while we talk to the real Facturapi. */
export function certificateWarnings({ facts, liveFacturapi, now }: Omit<WarningContext, 'organization'>): FormMessage[] {
  const soon = expiresSoonWarning(facts.validTo, now);
  return [...(soon ? [soon] : []), ...(facts.isSatTest && liveFacturapi ? [{ field: 'form' as const, key: 'warning.sat_test_certificate' as const }] : [])];
}

/** Every warning, including the RFC comparison with the organization as Facturapi has it. */
export function uploadWarnings({ facts, organization, liveFacturapi, now }: WarningContext): FormMessage[] {
  const warnings = certificateWarnings({ facts, liveFacturapi, now });
  if (organization.rfc && organization.rfc !== facts.rfc) {
    // Facturapi refuses an RFC change once a certificate is installed (certificate_previous_rfc_mismatch).
    const key = organization.certificate.hasCertificate ? 'warning.rfc_differs_replace' : 'warning.rfc_differs';
    warnings.push({ field: 'form', key, params: { certificateRfc: facts.rfc, organizationRfc: organization.rfc } });
  }
  return warnings;
}
