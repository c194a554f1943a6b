import { MAX_FILE_BYTES } from './certificate-input.js';
import { readChildren, readTlv, TAG, tagsOf } from './der-reader.js';
import type { Tlv } from './der-reader.js';
import { readPemBlock } from './text-encodings.js';

/**
 * What a `.key` upload turned out to be, decided from its structure alone. This must happen
 * before any decryption: Node accepts an *unencrypted* key with any passphrase (csd.md §8.2),
 * and a wrong password can only be diagnosed on a well-formed EncryptedPrivateKeyInfo.
 */
export type KeyInput =
  /** `der` is the EncryptedPrivateKeyInfo to decrypt and relay. */
  | { kind: 'encrypted-pkcs8'; der: Buffer }
  | { kind: 'unencrypted' }
  /** Legacy OpenSSL PEM (`BEGIN RSA PRIVATE KEY`, encrypted or not) and similar. */
  | { kind: 'legacy' }
  | { kind: 'invalid' };

// Traditional OpenSSL PEM labels: never what SAT hands out, and we relay PKCS#8 DER only.
const LEGACY_LABELS = new Set(['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY']);

/** Classifies a `.key` given as DER or PEM. Never throws. */
export function classifyKey(key: Buffer): KeyInput {
  if (key.length === 0 || key.length > MAX_FILE_BYTES) return { kind: 'invalid' };
  if (key[0] === TAG.SEQUENCE) {
    const fromDer = classifyDer(key);
    if (fromDer.kind !== 'invalid') return fromDer;
  }
  const pem = readPemBlock(key);
  if (pem === null || pem === 'malformed') return { kind: 'invalid' };
  if (LEGACY_LABELS.has(pem.label)) return { kind: 'legacy' };
  if (pem.label === 'ENCRYPTED PRIVATE KEY' || pem.label === 'PRIVATE KEY') {
    // The label is only a hint: trust the structure of what it wraps.
    return classifyDer(pem.der);
  }
  return { kind: 'invalid' };
}

/**
 * EncryptedPrivateKeyInfo = SEQUENCE { SEQUENCE { OID, params }, OCTET STRING };
 * PrivateKeyInfo = SEQUENCE { INTEGER 0, SEQUENCE, OCTET STRING, … };
 * PKCS#1 RSAPrivateKey = SEQUENCE { INTEGER 0, INTEGER n, INTEGER e, … } (unencrypted DER).
 */
function classifyDer(bytes: Buffer): KeyInput {
  const outer = readTlv(bytes, 0);
  if (!outer || outer.tag !== TAG.SEQUENCE) return { kind: 'invalid' };
  const children = readChildren(bytes, outer);
  if (!children) return { kind: 'invalid' };
  const tags = tagsOf(children).join(',');
  if (tags === `${TAG.SEQUENCE},${TAG.OCTET_STRING}`) {
    const [algorithm, data] = children as [Tlv, Tlv];
    const oid = readTlv(bytes, algorithm.start, algorithm.end);
    const dataLength = data.end - data.start;
    // Block ciphers (3DES: 8, AES: 16) always give a non-empty multiple of 8; anything else
    // is a damaged file, which must not be reported as a wrong password.
    if (!oid || oid.tag !== TAG.OID || dataLength === 0 || dataLength % 8 !== 0) return { kind: 'invalid' };
    // Relay the exact DER: the upload itself, or just the element when junk follows it.
    const exact = outer.end === bytes.length ? bytes : Buffer.from(bytes.subarray(0, outer.end));
    return { kind: 'encrypted-pkcs8', der: exact };
  }
  if (tags.startsWith(`${TAG.INTEGER},${TAG.SEQUENCE},${TAG.OCTET_STRING}`)) return { kind: 'unencrypted' };
  if (tags.startsWith(`${TAG.INTEGER},${TAG.INTEGER},${TAG.INTEGER}`)) return { kind: 'unencrypted' };
  return { kind: 'invalid' };
}
