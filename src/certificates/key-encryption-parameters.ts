import { readBoundedInteger, readChildren, readOid, readTlv, TAG } from './der-reader.js';
import type { Tlv } from './der-reader.js';

/**
 * Reads how an EncryptedPrivateKeyInfo says it was encrypted, and decides whether we may let
 * OpenSSL derive its key at all. This must happen BEFORE any decryption: the file chooses the
 * cost of the derivation (PBKDF2's iteration count, scrypt's N, r and p), OpenSSL pays it in
 * one uninterruptible call, and a `.key` asking for 50,000,000 iterations held a worker for
 * 21 s (2^31 − 1: about 16 minutes; issue 9, item 1).
 *
 * SAT writes one layout (csd.md §1.2): PBES2 / PBKDF2 with HMAC-SHA1, 2048 iterations and an
 * 8-byte salt / des-ede3-cbc with an 8-byte IV. We accept that, plus what a person re-encrypting
 * the same key with OpenSSL or Node gets (hmacWithSHA256, AES-CBC, a 16-byte salt), with a wide
 * margin on every cost, and nothing else. Pure and never throws, like the rest of this folder.
 */

/** RFC 8018's INTEGER (1..MAX) lower bound: zero iterations is not PBKDF2. */
export const MIN_PBKDF2_ITERATIONS = 1;
/**
 * SAT uses 2048, and so do OpenSSL's and Node's defaults: about 50 times that is margin enough
 * for any honest re-encryption. Worst case allowed: 100,000 × 2 blocks of HMAC-SHA1 (a 24- or
 * 32-byte key from 20-byte blocks), measured at 60–160 ms on the development machine, against
 * 21 s for the hostile 50,000,000.
 */
export const MAX_PBKDF2_ITERATIONS = 100_000;
/** SAT: 8 bytes; OpenSSL 3 writes 16. A salt is hashed once, so this bounds tidiness more than cost. */
export const MIN_SALT_BYTES = 1;
export const MAX_SALT_BYTES = 64;

const OID = {
  PBES2: '1.2.840.113549.1.5.13',
  PBKDF2: '1.2.840.113549.1.5.12',
} as const;

/** PBKDF2's PRFs we accept (RFC 8018 B.1.1–B.1.2), by OID; absent means hmacWithSHA1. */
const PRFS: ReadonlyMap<string, PrfName> = new Map([
  ['1.2.840.113549.2.7', 'hmacWithSHA1'],
  ['1.2.840.113549.2.8', 'hmacWithSHA224'],
  ['1.2.840.113549.2.9', 'hmacWithSHA256'],
  ['1.2.840.113549.2.10', 'hmacWithSHA384'],
  ['1.2.840.113549.2.11', 'hmacWithSHA512'],
]);
export type PrfName = 'hmacWithSHA1' | 'hmacWithSHA224' | 'hmacWithSHA256' | 'hmacWithSHA384' | 'hmacWithSHA512';

/** The PBES2 ciphers we accept, by OID, with the key and IV lengths each one requires. */
const CIPHERS: ReadonlyMap<string, { name: CipherName; keyBytes: number; ivBytes: number }> = new Map([
  ['1.2.840.113549.3.7', { name: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8 }],
  ['2.16.840.1.101.3.4.1.2', { name: 'aes-128-cbc', keyBytes: 16, ivBytes: 16 }],
  ['2.16.840.1.101.3.4.1.22', { name: 'aes-192-cbc', keyBytes: 24, ivBytes: 16 }],
  ['2.16.840.1.101.3.4.1.42', { name: 'aes-256-cbc', keyBytes: 32, ivBytes: 16 }],
] as const);
export type CipherName = 'des-ede3-cbc' | 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc';

/** What an acceptable key says about its encryption (for tests and diagnostics). */
export interface KeyEncryptionParameters {
  iterations: number;
  saltBytes: number;
  prf: PrfName;
  cipher: CipherName;
}

/**
 * Which part of the algorithm decided a refusal (tests and diagnostics; users see one message
 * per verdict). `scheme`: not PBES2 (PBES1 and PKCS#12 PBE included: their KDFs choose their own
 * cost too, and SAT never uses them); `kdf`: not PBKDF2 (scrypt included: its N, r and p are a
 * memory and CPU bomb, p = 100,000 took 46 s); `salt`, `iterations`, `key_length`, `prf`,
 * `cipher`, `iv`: that parameter.
 */
export type ParameterReason = 'structure' | 'scheme' | 'kdf' | 'salt' | 'iterations' | 'key_length' | 'prf' | 'cipher' | 'iv';

export type KeyEncryptionReading =
  | { ok: true; parameters: KeyEncryptionParameters }
  /**
   * `malformed`: the algorithm does not parse (a damaged file); `unsupported`: an algorithm or a
   * combination SAT never writes; `excessive`: SAT's algorithm with costs far beyond SAT's.
   */
  | { ok: false; verdict: 'malformed' | 'unsupported' | 'excessive'; reason: ParameterReason };

const refuse = (verdict: 'malformed' | 'unsupported' | 'excessive', reason: ParameterReason): KeyEncryptionReading => ({ ok: false, verdict, reason });

/** Reads the algorithm of an EncryptedPrivateKeyInfo DER (as `classifyKey` returns it). Never throws. */
export function readKeyEncryption(der: Uint8Array): KeyEncryptionReading {
  try {
    return read(der);
  } catch {
    return refuse('malformed', 'structure'); // Unreachable by design; a caller never sees a throw.
  }
}

function read(der: Uint8Array): KeyEncryptionReading {
  // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
  const [algorithm] = sequenceChildren(der, readTlv(der, 0)) ?? [];
  const scheme = algorithmIdentifier(der, algorithm);
  if (!scheme) return refuse('malformed', 'structure');
  if (scheme.oid !== OID.PBES2) return refuse('unsupported', 'scheme');

  // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }
  const pbes2 = sequenceChildren(der, scheme.parameters);
  if (!pbes2 || pbes2.length !== 2) return refuse('malformed', 'structure');
  const kdf = algorithmIdentifier(der, pbes2[0]);
  const encryption = algorithmIdentifier(der, pbes2[1]);
  if (!kdf || !encryption) return refuse('malformed', 'structure');
  if (kdf.oid !== OID.PBKDF2) return refuse('unsupported', 'kdf');

  // The cipher first: PBKDF2's keyLength is judged against it.
  const cipher = CIPHERS.get(encryption.oid);
  if (!cipher) return refuse('unsupported', 'cipher');
  // CBC parameters are the IV: an OCTET STRING of the cipher's block size.
  const iv = encryption.parameters;
  if (!iv || iv.tag !== TAG.OCTET_STRING) return refuse('malformed', 'structure');
  if (iv.end - iv.start !== cipher.ivBytes) return refuse('unsupported', 'iv');

  // PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier },
  //   iterationCount INTEGER (1..MAX), keyLength INTEGER (1..MAX) OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
  const fields = sequenceChildren(der, kdf.parameters);
  if (!fields || fields.length < 2 || fields.length > 4) return refuse('malformed', 'structure');
  const [salt, iterationCount, ...optional] = fields as [Tlv, Tlv, ...Tlv[]];
  if (salt.tag === TAG.SEQUENCE) return refuse('unsupported', 'salt'); // otherSource: defined by nobody, read by nobody.
  if (salt.tag !== TAG.OCTET_STRING) return refuse('malformed', 'structure');

  const iterations = readBoundedInteger(der, iterationCount, MAX_PBKDF2_ITERATIONS);
  if (iterations === null) return refuse('malformed', 'structure');
  if (iterations === 'negative' || (typeof iterations === 'number' && iterations < MIN_PBKDF2_ITERATIONS)) return refuse('unsupported', 'iterations');

  let keyLength: Tlv | undefined;
  let prfAlgorithm: Tlv | undefined;
  if (optional[0]?.tag === TAG.INTEGER) [keyLength, prfAlgorithm] = optional;
  else [prfAlgorithm] = optional;
  if (optional.length === 2 && !keyLength) return refuse('malformed', 'structure');

  if (keyLength) {
    // Optional, but when present it must be the cipher's: OpenSSL refuses any other (and a
    // longer derived key would multiply PBKDF2's work).
    const length = readBoundedInteger(der, keyLength, cipher.keyBytes);
    if (length === null) return refuse('malformed', 'structure');
    if (length !== cipher.keyBytes) return refuse('unsupported', 'key_length');
  }

  let prf: PrfName = 'hmacWithSHA1';
  if (prfAlgorithm) {
    const identifier = algorithmIdentifier(der, prfAlgorithm);
    if (!identifier) return refuse('malformed', 'structure');
    // Parameters are NULL or, as some encoders write them, absent.
    if (identifier.parameters && identifier.parameters.tag !== TAG.NULL) return refuse('unsupported', 'prf');
    const known = PRFS.get(identifier.oid);
    if (!known) return refuse('unsupported', 'prf');
    prf = known;
  }

  // The costs last, so a key with an unknown algorithm is called "unsupported" whatever its count.
  if (iterations === 'too_large') return refuse('excessive', 'iterations');
  const saltBytes = salt.end - salt.start;
  if (saltBytes < MIN_SALT_BYTES) return refuse('unsupported', 'salt');
  if (saltBytes > MAX_SALT_BYTES) return refuse('excessive', 'salt');
  return { ok: true, parameters: { iterations, saltBytes, prf, cipher: cipher.name } };
}

/** The children of a SEQUENCE element, or null. */
function sequenceChildren(der: Uint8Array, element: Tlv | null | undefined): Tlv[] | null {
  if (!element || element.tag !== TAG.SEQUENCE) return null;
  return readChildren(der, element);
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } */
function algorithmIdentifier(der: Uint8Array, element: Tlv | undefined): { oid: string; parameters: Tlv | undefined } | null {
  const children = sequenceChildren(der, element);
  if (!children || children.length < 1 || children.length > 2) return null;
  const oid = readOid(der, children[0] as Tlv);
  return oid === null ? null : { oid, parameters: children[1] };
}
