/**
 * The credentials of an organization that can expire, in one shape. Today the CSD only; the
 * e.firma (issue 12, part 1) adds its `fiel` entry here and every reminder rule applies to it.
 */
import type { Organization } from '../facturapi/organization.js';
import type { CredentialKind } from '../mail/mail-templates.js';

export type { CredentialKind };

export interface ExpiringCredential {
  kind: CredentialKind;
  certificateNumber: string;
  expiresAt: Date;
}

export function expiringCredentials(organization: Organization): ExpiringCredential[] {
  const csd = organization.certificate;
  return csd.hasCertificate && csd.expiresAt && csd.serialNumber
    ? [{ kind: 'csd', certificateNumber: csd.serialNumber, expiresAt: csd.expiresAt }]
    : [];
}
