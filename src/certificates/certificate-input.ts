import { X509Certificate } from 'node:crypto';
import { decodeBase64Text, readPemBlock, withoutBom } from './text-encodings.js';

/** Larger than any SAT file (~1.5 KB) by far; bigger uploads are not certificates. */
export const MAX_FILE_BYTES = 64 * 1024;

/** A parsed certificate and the DER bytes to relay for it. */
export interface DecodedCertificate {
  x509: X509Certificate;
  /** The input itself when it was exactly the DER; otherwise the DER OpenSSL validated. */
  der: Buffer;
}

/**
 * Parses a `.cer` given as DER, PEM (CRLF, BOM, text before the block) or bare base64 of the
 * DER. Returns null for anything else. Valid input is parsed by OpenSSL exactly once.
 */
export function decodeCertificate(cer: Buffer): DecodedCertificate | null {
  if (cer.length === 0 || cer.length > MAX_FILE_BYTES) return null;
  // 0x30 is the DER SEQUENCE tag. Base64 of a certificate starts with 'M' and PEM with '-' or
  // free text, so only DER input normally starts with it; text that does still gets a try.
  const decoded = cer[0] === 0x30 ? parse(cer) : null;
  if (decoded) return decoded;
  const der = textToDer(cer);
  return der ? parse(der) : null;
}

function parse(der: Buffer): DecodedCertificate | null {
  try {
    const x509 = new X509Certificate(der);
    // OpenSSL ignores bytes after the certificate (csd.md §8.9): relay only what was validated.
    return { x509, der: x509.raw.equals(der) ? der : x509.raw };
  } catch {
    return null;
  }
}

function textToDer(cer: Buffer): Buffer | null {
  const pem = readPemBlock(cer);
  if (pem === 'malformed') return null;
  if (pem) return pem.label === 'CERTIFICATE' || pem.label === 'X509 CERTIFICATE' ? pem.der : null;
  return decodeBase64Text(withoutBom(cer).toString('latin1'));
}
