import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { integer, octetString, oid, sequence } from './der-writer.js';

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_DES_EDE3_CBC = '1.2.840.113549.3.7';
const ITERATIONS = 2048;

/** Salt and IV override, e.g. to reproduce SAT's fixed values or to make a key deterministic. */
export interface SatKeyEncryption {
  salt?: Buffer;
  iv?: Buffer;
}

/**
 * Encrypts a private key exactly the way SAT's `.key` files are laid out (csd.md §1.2, §9.2):
 * PBES2 / PBKDF2 (8-byte salt, 2048 iterations, *no* PRF field so HMAC-SHA1 is implied) /
 * des-ede3-cbc (8-byte IV). Built by hand because Node's own encoder writes hmacWithSHA256.
 * A 2048-bit RSA key gives a 1298-byte file, like every SAT key.
 */
export function toSatKeyDer(privateKey: KeyObject, password: string, encryption: SatKeyEncryption = {}): Buffer {
  const salt = encryption.salt ?? randomBytes(8);
  const iv = encryption.iv ?? randomBytes(8);
  const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
  // Node hands a string passphrase to OpenSSL as UTF-8, so derive from the same bytes.
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, ITERATIONS, 24, 'sha1');
  const cipher = createCipheriv('des-ede3-cbc', key, iv); // PKCS#7 padding is the default.
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  return sequence(
    sequence(
      oid(OID_PBES2),
      sequence(
        sequence(oid(OID_PBKDF2), sequence(octetString(salt), integer(ITERATIONS))),
        sequence(oid(OID_DES_EDE3_CBC), octetString(iv)),
      ),
    ),
    octetString(encrypted),
  );
}
