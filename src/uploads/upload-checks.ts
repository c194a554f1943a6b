/**
 * What is decided before sending, from the certificate's facts and the organization as Facturapi
 * holds it (read once per upload, in parallel with the certificate check): refuse what Facturapi
 * would refuse, say "already installed" instead of sending the same certificate again, and ask
 * before replacing a certificate with one that expires sooner. Pure.
 */
import type { CertificateFacts } from '../certificates/index.js';
import type { Organization } from '../facturapi/organization.js';
import type { ConflictCode } from './upload-outcome.js';

export type PreSendDecision = { kind: 'send' } | { kind: 'already_installed' } | { kind: 'conflict'; code: ConflictCode };

export function decideBeforeSending(facts: CertificateFacts, organization: Organization, confirmedEarlierExpiry: boolean): PreSendDecision {
  const installed = organization.certificate;
  if (!installed.hasCertificate) return { kind: 'send' };
  // Facturapi keeps the RFC of the installed CSD and refuses another (certificate_previous_rfc_mismatch).
  if (organization.rfc && organization.rfc !== facts.rfc) return { kind: 'conflict', code: 'previous_rfc_mismatch' };
  // SAT never reuses a certificate number: the same number is the same certificate.
  if (installed.serialNumber === facts.certificateNumber) return { kind: 'already_installed' };
  if (installed.expiresAt && facts.validTo.getTime() < installed.expiresAt.getTime() && !confirmedEarlierExpiry) {
    return { kind: 'conflict', code: 'expires_before_installed' };
  }
  return { kind: 'send' };
}

/**
 * The e.firma's checks: it is the taxpayer's own signature, so it must carry the organization's
 * RFC (when one is known), whatever is installed; the same number is the same e.firma. An
 * e.firma that expires sooner is not asked about: Facturapi uses it for downloads only.
 */
export function decideFielBeforeSending(facts: CertificateFacts, organization: Organization): PreSendDecision {
  if (organization.rfc && organization.rfc !== facts.rfc) return { kind: 'conflict', code: 'fiel_rfc_mismatch' };
  // SAT never reuses a certificate number: the same number is the same e.firma.
  if (organization.fiel.hasCertificate && organization.fiel.serialNumber === facts.certificateNumber) return { kind: 'already_installed' };
  return { kind: 'send' };
}
