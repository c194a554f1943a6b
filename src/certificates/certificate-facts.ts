import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { decodeCertificate } from './certificate-input.js';
import { isSatTestCertificate } from './sat-test-issuer.js';
import type { CertificateFacts } from './types.js';

/** Reading the facts either works or names the one thing that makes the certificate unusable. */
export type FactsReading =
  /** `typeSignalsAgree` is false when OU and extendedKeyUsage disagree (csd.md §3). */
  | { ok: true; facts: CertificateFacts; typeSignalsAgree: boolean }
  | { ok: false; reason: 'rfc' | 'certificate_number' | 'public_key' | 'validity' | 'subject' };

/** RFC shape (csd.md §4): 3 letters for a persona moral, 4 for a física; Ñ and & are letters. */
export const RFC_PATTERN = /^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/;
const CERTIFICATE_NUMBER_PATTERN = /^\d{20}$/;

// toLegacyObject() gives unescaped values; a repeated attribute becomes an array.
type NameValues = Record<string, string | string[] | undefined>;

/** Extracts the SAT facts from a parsed certificate. Never throws. */
export function readFacts(x509: X509Certificate): FactsReading {
  try {
    return readFactsUnsafe(x509);
  } catch {
    return { ok: false, reason: 'subject' };
  }
}

/** Parses a `.cer` (DER, PEM or base64) into facts; null if unreadable or not a usable SAT certificate. */
export function readCertificate(cer: Buffer): CertificateFacts | null {
  const decoded = decodeCertificate(cer);
  if (!decoded) return null;
  const reading = readFacts(decoded.x509);
  return reading.ok ? reading.facts : null;
}

function readFactsUnsafe(x509: X509Certificate): FactsReading {
  if (x509.publicKey.asymmetricKeyType !== 'rsa') return { ok: false, reason: 'public_key' };
  const legacy = x509.toLegacyObject();
  const subject = legacy.subject as unknown as NameValues;
  const issuer = legacy.issuer as unknown as NameValues;

  // x500UniqueIdentifier: "RFC" or "RFC / RFC_REPRESENTANTE".
  const [rfc = '', representativeRfc = ''] = splitParts(first(subject['x500UniqueIdentifier']));
  if (!RFC_PATTERN.test(rfc)) return { ok: false, reason: 'rfc' };
  // Serial bytes are ASCII digits (csd.md §2.3); latin1 maps each byte to one character.
  const certificateNumber = Buffer.from(x509.serialNumber, 'hex').toString('latin1');
  if (!CERTIFICATE_NUMBER_PATTERN.test(certificateNumber)) return { ok: false, reason: 'certificate_number' };
  const validFrom = new Date(x509.validFrom);
  const validTo = new Date(x509.validTo);
  if (Number.isNaN(validFrom.getTime()) || Number.isNaN(validTo.getTime())) return { ok: false, reason: 'validity' };

  // serialNumber: "CURP" (física) or " / CURP_REPRESENTANTE" (moral, empty first part).
  const curpParts = splitParts(first(subject['serialNumber']));
  const [curp = '', representativeCurp = ''] = curpParts;
  const branch = first(subject['OU']) || null;
  const issuerFacts = { commonName: first(issuer['CN']) || null, organization: first(issuer['O']) || null };
  // Node 20 names the extendedKeyUsage list `keyUsage`; newer lines call it `extKeyUsage`.
  const eku = (x509 as { extKeyUsage?: string[] }).extKeyUsage ?? (x509.keyUsage as string[] | undefined);
  const hasEku = Array.isArray(eku) && eku.length > 0;

  const facts: CertificateFacts = {
    // Library consensus decides by OU; the EKU only cross-checks it (typeSignalsAgree).
    type: branch ? 'CSD' : 'FIEL',
    rfc,
    representativeRfc: representativeRfc || null,
    curp: curp || null,
    representativeCurp: representativeCurp || null,
    legalName: first(subject['name']) || first(subject['O']) || first(subject['CN']),
    branch,
    certificateNumber,
    validFrom,
    validTo,
    issuer: issuerFacts,
    isSatTest: isSatTestCertificate(issuerFacts, certificateNumber),
    fingerprintSha256: createHash('sha256').update(x509.raw).digest('hex'),
  };
  return { ok: true, facts, typeSignalsAgree: Boolean(branch) !== hasEku };
}

function first(value: string | string[] | undefined): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' ? candidate.trim() : '';
}

function splitParts(value: string): string[] {
  return value.split('/').map((part) => part.trim());
}
