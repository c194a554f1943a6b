/**
 * Reads an uploaded `.cer` and `.key` with node:crypto alone, written apart from the app's
 * inspector (src/certificates/) on purpose: the emulator stands in for Facturapi's own check, so
 * a mistake in the inspector must not be repeated here where it would go unnoticed. Rules from
 * ../shared/docs/csd.md (§0, §7, §8); expectations pinned by certificate-check.test.ts.
 */
import { createPrivateKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';

/** What the emulator needs from a certificate. */
export interface CertificateReading {
  x509: X509Certificate;
  /** First part of x500UniqueIdentifier (`RFC` or `RFC / RFC_REPRESENTANTE`). */
  rfc: string;
  /** The serial number's bytes as ASCII: SAT's 20-digit NoCertificado. */
  serialNumber: string;
  /** CSD ⇔ the subject has an OU and there is no extendedKeyUsage; anything else is not a CSD. */
  isCsd: boolean;
  validFrom: Date;
  validTo: Date;
}

export type CertificateRead = { ok: true; reading: CertificateReading } | { ok: false; code: 'certificate_files_invalid' | 'certificate_invalid' };
export type KeyRead = { ok: true; privateKey: KeyObject } | { ok: false; code: 'certificate_files_invalid' | 'private_key_password_incorrect' };

// RFC: 3 letters (moral) or 4 (física), Ñ and & included, a yymmdd date, a 3-character homoclave.
const RFC = /^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/;
const SERIAL = /^\d{20}$/;

/** DER or PEM (X509Certificate reads both); not a readable certificate → certificate_files_invalid. */
export function readCertificate(cer: Buffer): CertificateRead {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cer);
  } catch {
    return { ok: false, code: 'certificate_files_invalid' };
  }
  // The legacy object holds decoded values; x509.subject is an escaped text (csd.md pitfall 5).
  const subject = x509.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
  const rfc = first(subject.x500UniqueIdentifier).split('/')[0]!.trim();
  const serialNumber = Buffer.from(x509.serialNumber, 'hex').toString('latin1');
  const validFrom = new Date(x509.validFrom);
  const validTo = new Date(x509.validTo);
  const usable = x509.publicKey.asymmetricKeyType === 'rsa' && RFC.test(rfc) && SERIAL.test(serialNumber) && !Number.isNaN(validFrom.getTime() + validTo.getTime());
  if (!usable) return { ok: false, code: 'certificate_invalid' };
  // Node 20 reports the extendedKeyUsage OIDs as keyUsage (csd.md §7.3); later lines as extKeyUsage.
  const eku = (x509 as X509Certificate & { extKeyUsage?: string[] }).extKeyUsage ?? x509.keyUsage;
  const isCsd = first(subject.OU).trim() !== '' && eku === undefined;
  return { ok: true, reading: { x509, rfc, serialNumber, isCsd, validFrom, validTo } };
}

const ENCRYPTED_PEM = /^-----BEGIN ENCRYPTED PRIVATE KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END ENCRYPTED PRIVATE KEY-----\s*$/;

/**
 * SAT's `.key` is an encrypted PKCS#8 (DER; its PEM form is taken too). Anything unencrypted or
 * in another container is not the original file → certificate_files_invalid. Once the structure
 * is known to be encrypted, any failure to decrypt is the password (csd.md pitfall 1), except an
 * encryption OpenSSL cannot do at all.
 */
export function openPrivateKey(key: Buffer, password: string): KeyRead {
  const pem = ENCRYPTED_PEM.exec(key.toString('latin1'));
  const der = pem ? Buffer.from(pem[1]!, 'base64') : key;
  try {
    createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return { ok: false, code: 'certificate_files_invalid' }; // opened without a password: unencrypted
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MISSING_PASSPHRASE') return { ok: false, code: 'certificate_files_invalid' };
  }
  try {
    return { ok: true, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase: password }) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const unsupported = code.startsWith('ERR_OSSL_EVP_UNSUPPORTED') || code === 'ERR_OSSL_EVP_UNKNOWN_PBE_ALGORITHM';
    return { ok: false, code: unsupported ? 'certificate_files_invalid' : 'private_key_password_incorrect' };
  }
}

/** The certificate's public key is the key's (checkPrivateKey compares n and e). */
export function keyMatches(x509: X509Certificate, privateKey: KeyObject): boolean {
  try {
    return x509.checkPrivateKey(privateKey);
  } catch {
    return false;
  }
}

const CHALLENGE = Buffer.from('csd-relay emulator: can this key sign?');

/**
 * The key really signs for the certificate: a damaged private half can still match the public
 * one. A signature round trip proves it without looking inside the key (the inspector checks
 * the RSA parameters instead; two ways, so one's mistake shows in the other).
 */
export function keySigns(x509: X509Certificate, privateKey: KeyObject): boolean {
  try {
    return verify('sha256', CHALLENGE, x509.publicKey, sign('sha256', CHALLENGE, privateKey));
  } catch {
    return false;
  }
}
