import { keyMatches, keySigns, openPrivateKey, readCertificate } from './certificate-reader.js';
import type { EmulatorErrorCode } from './error-catalog.js';
import type { OrganizationWire } from './organization-wire.js';

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
  'fiel_required',
  'certificate_expired',
  'certificate_not_yet_valid',
];

/** Result of checking an upload against an organization. */
export type CertificateCheck =
  | { ok: true; rfc: string; serialNumber: string; expiresAt: Date }
  | { ok: false; code: EmulatorErrorCode };

const first = (codes: EmulatorErrorCode[]): EmulatorErrorCode => PRIORITY.find((code) => codes.includes(code)) ?? codes[0]!;

/** Which credential an upload must be: `PUT /certificate` takes a CSD, `PUT /fiel` an e.firma. */
export type CredentialKind = 'csd' | 'fiel';

/**
 * What Facturapi checks on `PUT /certificate` (or `PUT /fiel` with kind 'fiel'), with the emulator's own reading of the files
 * (certificate-reader.ts, independent of the app's inspector), plus the previous-RFC rule.
 * Validity is inclusive at both ends.
 */
export function checkCertificate(
  org: OrganizationWire,
  upload: { cer: Buffer; key: Buffer; password: string },
  now: Date,
  kind: CredentialKind = 'csd',
): CertificateCheck {
  const problems: EmulatorErrorCode[] = [];
  if (upload.cer.length === 0) problems.push('certificate_file_required');
  if (upload.key.length === 0) problems.push('private_key_file_required');
  if (upload.password === '') problems.push('password_required');
  if (problems.length > 0) return { ok: false, code: first(problems) };

  const certificate = readCertificate(upload.cer);
  const key = openPrivateKey(upload.key, upload.password);
  if (!certificate.ok) problems.push(certificate.code);
  if (!key.ok) problems.push(key.code);
  if (!certificate.ok || !key.ok) return { ok: false, code: first(problems) };

  const { x509, rfc, serialNumber, isCsd, validFrom, validTo } = certificate.reading;
  if (!keyMatches(x509, key.privateKey)) return { ok: false, code: 'private_key_certificate_mismatch' };
  if (!keySigns(x509, key.privateKey)) return { ok: false, code: 'certificate_files_invalid' };

  if (kind === 'csd' && !isCsd) problems.push('csd_required');
  if (kind === 'fiel' && isCsd) problems.push('fiel_required');
  if (now.getTime() > validTo.getTime()) problems.push('certificate_expired');
  if (now.getTime() < validFrom.getTime()) problems.push('certificate_not_yet_valid');
  if (problems.length > 0) return { ok: false, code: first(problems) };

  const previousRfc = org.legal.tax_id;
  // The e.firma is the taxpayer's own: it must be the organization's RFC (when one is known).
  if (kind === 'fiel') return previousRfc !== null && previousRfc !== rfc ? { ok: false, code: 'certificate_fiel_rfc_mismatch' } : { ok: true, rfc, serialNumber, expiresAt: validTo };
  if (org.certificate.has_certificate && previousRfc !== null && previousRfc !== rfc) {
    return { ok: false, code: 'certificate_previous_rfc_mismatch' };
  }
  return { ok: true, rfc, serialNumber, expiresAt: validTo };
}
