/**
 * Warnings that do not stop an upload, as codes with the facts their messages need (the web
 * layer, upload.view.ts, puts them into words). Pure: derived from the certificate's facts, the
 * organization as Facturapi has it, whether we talk to the real Facturapi, and "now".
 */
import type { CertificateFacts } from '../certificates/index.js';
import type { Organization } from '../facturapi/organization.js';
import { SOON_DAYS, daysUntil } from '../organizations/certificate-status.js';

export type UploadWarning =
  /** The certificate expires within SOON_DAYS. */
  | { code: 'expires_soon'; days: number; validTo: Date }
  /** A SAT test certificate, while we talk to the real Facturapi. */
  | { code: 'sat_test_certificate' }
  /**
   * The certificate's RFC is not the organization's, and no certificate is installed (with one
   * installed the upload is refused before sending: upload-checks.ts).
   */
  | { code: 'rfc_differs'; certificateRfc: string; organizationRfc: string };

export interface WarningContext {
  facts: CertificateFacts;
  organization: Organization;
  liveFacturapi: boolean;
  now: Date;
}

/** The expiry of a certificate that expires within SOON_DAYS, as a warning. */
export function expiresSoonWarning(validTo: Date, now: Date): UploadWarning | null {
  const days = daysUntil(validTo, now);
  if (days >= SOON_DAYS || validTo.getTime() <= now.getTime()) return null;
  return { code: 'expires_soon', days, validTo };
}

/** What the certificate alone says: it expires soon; it is a SAT test certificate while we talk to the real Facturapi. */
export function certificateWarnings({ facts, liveFacturapi, now }: Omit<WarningContext, 'organization'>): UploadWarning[] {
  const soon = expiresSoonWarning(facts.validTo, now);
  return [...(soon ? [soon] : []), ...(facts.isSatTest && liveFacturapi ? [{ code: 'sat_test_certificate' as const }] : [])];
}

/** Every warning, including the RFC comparison with the organization as Facturapi has it. */
export function uploadWarnings({ facts, organization, liveFacturapi, now }: WarningContext): UploadWarning[] {
  const warnings = certificateWarnings({ facts, liveFacturapi, now });
  if (organization.rfc && organization.rfc !== facts.rfc && !organization.certificate.hasCertificate) {
    warnings.push({ code: 'rfc_differs', certificateRfc: facts.rfc, organizationRfc: organization.rfc });
  }
  return warnings;
}
