/**
 * Warnings that do not stop an upload. Pure: derived from the certificate's facts, the
 * organization as Facturapi has it, whether we talk to the real Facturapi, and "now".
 */
import type { CertificateFacts } from '../certificates/index.js';
import type { Organization } from '../facturapi/organization.js';
import type { FormMessage } from '../organizations/organization-page.js';
import { SOON_DAYS, daysUntil } from '../organizations/certificate-status.js';

export interface WarningContext {
  facts: CertificateFacts;
  organization: Organization;
  liveFacturapi: boolean;
  now: Date;
}

/** Warnings worth knowing before sending. */
export function uploadWarnings({ facts, organization, liveFacturapi, now }: WarningContext): FormMessage[] {
  const warnings: FormMessage[] = [];
  const days = daysUntil(facts.validTo, now);
  if (days < SOON_DAYS && facts.validTo.getTime() > now.getTime()) {
    warnings.push({ field: 'form', key: 'warning.expires_soon', params: { days, validTo: facts.validTo.toISOString() } });
  }
  if (facts.isSatTest && liveFacturapi) warnings.push({ field: 'form', key: 'warning.sat_test_certificate' });
  if (organization.rfc && organization.rfc !== facts.rfc) {
    // Facturapi refuses an RFC change once a certificate is installed (certificate_previous_rfc_mismatch).
    const key = organization.certificate.hasCertificate ? 'warning.rfc_differs_replace' : 'warning.rfc_differs';
    warnings.push({ field: 'form', key, params: { certificateRfc: facts.rfc, organizationRfc: organization.rfc } });
  }
  return warnings;
}
