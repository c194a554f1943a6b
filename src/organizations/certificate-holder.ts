/**
 * Whose certificate an organization holds. Facturapi's Organization says only the certificate's
 * number and dates (and sets `legal.tax_id` from it); the holder's name, RFC and validity come from
 * the certificate itself, read by the inspector when it was uploaded here and kept in that
 * upload's audit event. So: the latest successful upload of this organization with the installed
 * number. A certificate installed some other way (Facturapi's dashboard) has none: null.
 */
import type { AuditTrail } from '../audit/audit.service.js';
import { sameLegalName } from '../certificates/index.js';

export interface CertificateHolder {
  holderName: string;
  rfc: string;
  certificateNumber: string;
  validFrom: Date | null;
  validTo: Date | null;
}

/** Successful uploads looked at, newest first: the installed one is nearly always the first. */
const UPLOADS_SCANNED = 20;

const dateOf = (value: unknown) => {
  const date = typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
};

export async function certificateHolder(audit: AuditTrail, organizationId: string, certificateNumber: string | null): Promise<CertificateHolder | null> {
  if (!certificateNumber) return null;
  const { rows } = await audit.query({ organizationId, action: 'certificate.upload', outcome: 'success', page: 1, pageSize: UPLOADS_SCANNED, withTotal: false });
  const event = rows.find((row) => row.detail.certificateNumber === certificateNumber && typeof row.detail.holderName === 'string');
  if (!event) return null;
  return {
    holderName: String(event.detail.holderName),
    rfc: String(event.detail.rfc ?? ''),
    certificateNumber,
    validFrom: dateOf(event.detail.validFrom),
    validTo: dateOf(event.detail.validTo),
  };
}

/** True when the holder's name is not the organization's legal name (regime, accents, case set aside). */
export function holderNameDiffers(holderName: string, legalName: string): boolean {
  return legalName.trim() !== '' && !sameLegalName(holderName, legalName);
}
