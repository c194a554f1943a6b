import { inspectCsd, type ProblemCode } from '../../certificates/index.js';
import type { EmulatorErrorCode } from './error-catalog.js';
import type { OrganizationWire } from './organization-wire.js';

/**
 * What Facturapi would most likely answer for each of our inspector's problems. Facturapi
 * has no code for some of our finer distinctions, so those fold into its nearest one.
 */
const FACTURAPI_CODE: Record<ProblemCode, EmulatorErrorCode> = {
  certificate_file_required: 'certificate_file_required',
  private_key_file_required: 'private_key_file_required',
  password_required: 'password_required',
  certificate_files_invalid: 'certificate_files_invalid',
  certificate_invalid: 'certificate_invalid',
  private_key_unencrypted: 'certificate_files_invalid',
  private_key_encryption_unsupported: 'certificate_files_invalid',
  private_key_parameters_excessive: 'certificate_files_invalid',
  certificate_parameters_excessive: 'certificate_files_invalid',
  certificate_check_timeout: 'certificate_files_invalid',
  private_key_password_incorrect: 'private_key_password_incorrect',
  private_key_certificate_mismatch: 'private_key_certificate_mismatch',
  csd_required: 'csd_required',
  certificate_type_ambiguous: 'csd_required',
  certificate_expired: 'certificate_expired',
  certificate_not_yet_valid: 'certificate_not_yet_valid',
};

// Facturapi answers one code; when several problems apply, report the most basic one first
// (you cannot judge a password before the files are readable).
const PRIORITY: EmulatorErrorCode[] = [
  'certificate_file_required',
  'private_key_file_required',
  'password_required',
  'certificate_files_invalid',
  'certificate_invalid',
  'private_key_password_incorrect',
  'private_key_certificate_mismatch',
  'csd_required',
  'certificate_expired',
  'certificate_not_yet_valid',
];

/** Result of checking an upload against an organization. */
export type CertificateCheck =
  | { ok: true; rfc: string; serialNumber: string; expiresAt: Date }
  | { ok: false; code: EmulatorErrorCode };

/** Runs the same checks as our inspector, plus Facturapi's previous-RFC rule. */
export function checkCertificate(
  org: OrganizationWire,
  upload: { cer: Buffer; key: Buffer; password: string },
  now: Date,
): CertificateCheck {
  const inspection = inspectCsd({ ...upload, now });
  if (!inspection.ok) {
    const codes = inspection.problems.map((problem) => FACTURAPI_CODE[problem.code]);
    const code = PRIORITY.find((candidate) => codes.includes(candidate)) ?? codes[0] ?? 'certificate_files_invalid';
    return { ok: false, code };
  }
  const { rfc, certificateNumber, validTo } = inspection.facts;
  const previousRfc = org.legal.tax_id;
  if (org.certificate.has_certificate && previousRfc !== null && previousRfc !== rfc) {
    return { ok: false, code: 'certificate_previous_rfc_mismatch' };
  }
  return { ok: true, rfc, serialNumber: certificateNumber, expiresAt: validTo };
}
