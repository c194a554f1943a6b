import type { KeyObject } from 'node:crypto';

/**
 * Bounds on the RSA numbers an uploaded certificate or key brings, checked from the parsed
 * structure before any arithmetic on them (the key's consistency check, pairing, and whatever
 * Facturapi does with a key we relay). SAT issues 2048-bit keys with exponent 65537; the upload
 * chooses these sizes, so anything far beyond is refused rather than paid for.
 */

/** SAT: 2048. 4096 is the largest size anyone uses for a signing key; beyond it, the file is not a CSD. */
export const MAX_RSA_MODULUS_BITS = 4096;
/**
 * SAT: 65537. 2^32 − 1 keeps every sane exponent; OpenSSL itself refuses
 * exponents over 64 bits for moduli above 3072 bits, so nothing real is lost.
 */
export const MAX_RSA_PUBLIC_EXPONENT = 2n ** 32n - 1n;

/** True when the key is not RSA (other checks judge that) or its modulus and exponent are within bounds. Never throws. */
export function isWithinRsaBounds(key: KeyObject): boolean {
  try {
    if (key.asymmetricKeyType !== 'rsa') return true;
    const { modulusLength, publicExponent } = key.asymmetricKeyDetails ?? {};
    if (typeof modulusLength !== 'number' || typeof publicExponent !== 'bigint') return false;
    return modulusLength <= MAX_RSA_MODULUS_BITS && publicExponent <= MAX_RSA_PUBLIC_EXPONENT;
  } catch {
    return false;
  }
}
