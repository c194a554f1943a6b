import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Outcome of decrypting a structurally valid EncryptedPrivateKeyInfo. */
export type KeyDecryption =
  | { ok: true; privateKey: KeyObject }
  /** `errorCode` is OpenSSL's (via Node), kept for diagnostics and tests; never shown to users. */
  | { ok: false; reason: 'password_incorrect' | 'encryption_unsupported'; errorCode: string };

/**
 * Decrypts an encrypted PKCS#8 DER key with the password exactly as typed (never trimmed:
 * a trailing newline or a changed case is a different password, csd.md §8.4).
 *
 * Only call this on a well-formed EncryptedPrivateKeyInfo (see `classifyKey`). Then ANY error
 * means a wrong password: about 0.3% of wrong passwords decrypt to bytes with valid padding,
 * and OpenSSL reports an ASN.1 error instead of BAD_DECRYPT (csd.md §7.2). The exceptions are
 * the errors OpenSSL raises while reading the *algorithm* (before any decryption, so whatever
 * the password): ERR_OSSL_EVP_UNSUPPORTED for legacy ciphers OpenSSL 3 refuses (PBES1-MD5,
 * single DES, RC2), and the siblings below for unknown schemes or unreadable parameters.
 */
const ALGORITHM_ERRORS = new Set([
  'ERR_OSSL_EVP_UNSUPPORTED',
  'ERR_OSSL_EVP_UNKNOWN_PBE_ALGORITHM',
  'ERR_OSSL_EVP_UNSUPPORTED_PRF',
  'ERR_OSSL_EVP_UNSUPPORTED_KEY_DERIVATION_FUNCTION',
  'ERR_OSSL_EVP_UNSUPPORTED_CIPHER',
  'ERR_OSSL_EVP_DECODE_ERROR',
]);

export function decryptPrivateKey(keyDer: Buffer, password: string): KeyDecryption {
  try {
    const privateKey = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8', passphrase: password });
    return { ok: true, privateKey };
  } catch (error) {
    const errorCode = errorCodeOf(error);
    const reason = ALGORITHM_ERRORS.has(errorCode) ? 'encryption_unsupported' : 'password_incorrect';
    return { ok: false, reason, errorCode };
  }
}

function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
