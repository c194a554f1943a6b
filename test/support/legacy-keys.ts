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

/**
 * A well-formed EncryptedPrivateKeyInfo whose scheme OpenSSL 3 refuses without the legacy
 * provider: PBES1 pbeWithMD5AndDES-CBC. OpenSSL stops at the algorithm, before decrypting,
 * so the ciphertext can be random.
 */
export function pbes1Md5DesKeyDer(): Buffer {
  const parameters = sequence(octetString(randomBytes(8)), integer(2048));
  return sequence(sequence(oid('1.2.840.113549.1.5.3'), parameters), octetString(randomBytes(1224)));
}
