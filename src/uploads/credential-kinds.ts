/**
 * What differs between the two SAT credentials an organization holds at Facturapi, the CSD and
 * the e.firma (FIEL), as one small table the upload use case (upload.service.ts) reads: which
 * type the inspector must find, what is decided before sending, which client call relays it,
 * which of the organization's fields holds it (the read-back compares that one), its audit
 * action and its warnings. Everything else about an upload is the same for both.
 */
import type { CertificateFacts, CsdInput } from '../certificates/index.js';
import type { CertificateUpload } from '../facturapi/certificate-form.js';
import type { FacturapiClient } from '../facturapi/client.js';
import type { Organization } from '../facturapi/organization.js';
import type { CredentialKind } from '../mail/mail-templates.js';
import type { UploadAuditAction } from './upload-audit.js';
import { decideBeforeSending, decideFielBeforeSending, type PreSendDecision } from './upload-checks.js';
import { certificateWarnings, expiresSoonWarning, uploadWarnings, type UploadWarning, type WarningContext } from './upload-warnings.js';

export type { CredentialKind };

/** The inspector's `expect`: the certificate type a form of this kind takes. */
type ExpectedType = NonNullable<CsdInput['expect']>;

export interface CredentialSpec {
  kind: CredentialKind;
  expect: ExpectedType;
  auditAction: UploadAuditAction;
  /** Refuse here what Facturapi would refuse, and what changes nothing. */
  decide(facts: CertificateFacts, organization: Organization, confirmedEarlierExpiry: boolean): PreSendDecision;
  /** The relay: `PUT /certificate` or `PUT /fiel`, the same multipart shape. */
  send(facturapi: FacturapiClient, organizationId: string, upload: CertificateUpload): Promise<Organization>;
  /** The organization's field that holds this credential. */
  installed(organization: Organization): Organization['certificate'];
  /** The warnings of an installed upload, from the certificate alone. */
  warnings(facts: CertificateFacts, liveFacturapi: boolean, now: Date): UploadWarning[];
  /** The warnings shown with an upload that was not installed (the page computes them, not the use case). */
  refusedWarnings(context: WarningContext): UploadWarning[];
}

export const CREDENTIALS: Record<CredentialKind, CredentialSpec> = {
  csd: {
    kind: 'csd',
    expect: 'CSD',
    auditAction: 'certificate.upload',
    decide: decideBeforeSending,
    send: (facturapi, id, upload) => facturapi.uploadCertificate(id, upload),
    installed: (organization) => organization.certificate,
    warnings: (facts, liveFacturapi, now) => certificateWarnings({ facts, liveFacturapi, now }),
    refusedWarnings: uploadWarnings,
  },
  fiel: {
    kind: 'fiel',
    expect: 'FIEL',
    auditAction: 'fiel.upload',
    decide: (facts, organization) => decideFielBeforeSending(facts, organization),
    send: (facturapi, id, upload) => facturapi.uploadFiel(id, upload),
    installed: (organization) => organization.fiel,
    // A SAT test e.firma says nothing about invoicing: only its expiry is worth a note.
    warnings: (facts, _liveFacturapi, now) => {
      const soon = expiresSoonWarning(facts.validTo, now);
      return soon ? [soon] : [];
    },
    // A refused e.firma's messages say everything (its RFC is checked before sending, not warned about).
    refusedWarnings: () => [],
  },
};
