import { createPrivateKey, randomBytes } from 'node:crypto';
import { integer, octetString, oid, sequence } from './der-writer.js';
import type { SatPair } from './sat-pair.js';

/**
 * Keys in formats users sometimes "convert" theirs to, for the inspector's rejection paths.
 */

/** Legacy OpenSSL PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), encrypted (`Proc-Type`/`DEK-Info`) unless `passphrase` is null. */
export function legacyPkcs1Pem(pair: SatPair, passphrase: string | null): Buffer {
  const privateKey = createPrivateKey({ key: pair.key, format: 'der', type: 'pkcs8', passphrase: pair.password });
  const text = passphrase === null
    ? privateKey.export({ type: 'pkcs1', format: 'pem' })
    : privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'des-ede3-cbc', passphrase });
  return Buffer.from(text);
}

/** Unencrypted PKCS#1 RSAPrivateKey DER (no algorithm identifier at all). */
export function pkcs1Der(pair: SatPair): Buffer {
  const privateKey = createPrivateKey({ key: pair.key, format: 'der', type: 'pkcs8', passphrase: pair.password });
  return privateKey.export({ type: 'pkcs1', format: 'der' });
}

/** Encryption schemes OpenSSL 3 cannot use, whatever the password. */
export type UnusableScheme = 'pbes1-md5-des' | 'unknown-scheme' | 'pbes2-unknown-prf';

/**
 * A well-formed EncryptedPrivateKeyInfo whose scheme OpenSSL 3 refuses: PBES1 pbeWithMD5AndDES
 * (legacy provider only), an OID it does not know, or PBES2 with an unknown PRF. OpenSSL stops
 * at the algorithm, before decrypting, so the ciphertext can be random.
 */
export function unusableSchemeKeyDer(scheme: UnusableScheme): Buffer {
  const saltAndIterations = [octetString(randomBytes(8)), integer(2048)];
  const algorithm = {
    'pbes1-md5-des': () => sequence(oid('1.2.840.113549.1.5.3'), sequence(...saltAndIterations)),
    'unknown-scheme': () => sequence(oid('1.3.6.1.4.1.55555.1'), sequence()),
    'pbes2-unknown-prf': () => sequence(
      oid('1.2.840.113549.1.5.13'),
      sequence(
        sequence(oid('1.2.840.113549.1.5.12'), sequence(...saltAndIterations, sequence(oid('1.3.6.1.4.1.55555.2')))),
        sequence(oid('1.2.840.113549.3.7'), octetString(randomBytes(8))),
      ),
    ),
  }[scheme]();
  return sequence(algorithm, octetString(randomBytes(1224)));
}

/** PBES1 and PKCS#12 PBE schemes (their own KDFs, each with an iteration count the file chooses). */
export const PBE_SCHEMES = {
  'pkcs12-sha1-3des': '1.2.840.113549.1.12.1.3',
  'pbes1-sha1-des': '1.2.840.113549.1.5.10',
  'pbes1-md5-des': '1.2.840.113549.1.5.3',
} as const;

/**
 * A well-formed EncryptedPrivateKeyInfo under a PBES1 / PKCS#12 scheme with the given iteration
 * count. The ciphertext is random: the inspector must refuse the scheme before deriving anything.
 */
export function pbeSchemeKeyDer(scheme: keyof typeof PBE_SCHEMES, iterations: number): Buffer {
  return sequence(sequence(oid(PBE_SCHEMES[scheme]), sequence(octetString(randomBytes(8)), integer(iterations))), octetString(randomBytes(1224)));
}
