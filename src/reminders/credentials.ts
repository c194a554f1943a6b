/**
 * The credentials of an organization that can expire, in one shape: the CSD and the e.firma
 * (issue 12, part 1). Every reminder rule applies to each, with its own series per number.
 */
import type { CertificateStatus, Organization } from '../facturapi/organization.js';
import type { CredentialKind } from '../mail/mail-templates.js';

export type { CredentialKind };

export interface ExpiringCredential {
  kind: CredentialKind;
  certificateNumber: string;
  expiresAt: Date;
}

function installed(kind: CredentialKind, status: CertificateStatus): ExpiringCredential[] {
  return status.hasCertificate && status.expiresAt && status.serialNumber ? [{ kind, certificateNumber: status.serialNumber, expiresAt: status.expiresAt }] : [];
}

export function expiringCredentials(organization: Organization): ExpiringCredential[] {
  return [...installed('csd', organization.certificate), ...installed('fiel', organization.fiel)];
}
