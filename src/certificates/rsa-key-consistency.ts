import type { KeyObject } from 'node:crypto';

/**
 * Checks that an RSA private key's CRT parameters agree with each other.
 *
 * Why: OpenSSL loads an RSA key without checking it, and `checkPrivateKey` compares only the
 * public half (n, e). A `.key` whose ciphertext was damaged near its end (where p, q, dp, dq,
 * qi live) can still decrypt with valid padding and pair with its certificate, so without this
 * the inspector would relay a corrupt key. Node 20 exposes no RSA_check_key, so we do the
 * arithmetic on the JWK form: a few BigInt operations, well under a millisecond.
 *
 * Non-RSA keys and keys without CRT parameters are not judged here (returns true).
 */
export function isConsistentRsaKey(privateKey: KeyObject): boolean {
  if (privateKey.asymmetricKeyType !== 'rsa') return true;
  let jwk: Record<string, unknown>;
  try {
    jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  } catch {
    return false;
  }
  const [n, e, d, p, q, dp, dq, qi] = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].map((name) => toBigInt(jwk[name]));
  if (n === undefined || e === undefined || d === undefined) return false;
  if (p === undefined || q === undefined || dp === undefined || dq === undefined || qi === undefined) return true;
  if (p <= 1n || q <= 1n || p * q !== n) return false;
  return (
    dp === d % (p - 1n) &&
    dq === d % (q - 1n) &&
    (e * dp) % (p - 1n) === 1n &&
    (e * dq) % (q - 1n) === 1n &&
    (q * qi) % p === 1n
  );
}

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const hex = Buffer.from(value, 'base64url').toString('hex');
  return hex === '' ? undefined : BigInt(`0x${hex}`);
}
