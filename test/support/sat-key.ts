import { createCipheriv, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { bigInteger, integer, nullValue, octetString, oid, sequence, tlv } from './der-writer.js';

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_SCRYPT = '1.3.6.1.4.1.11591.4.11';
const ITERATIONS = 2048;

/** PBKDF2's PRFs by their Node digest name, and their OIDs (RFC 8018 appendix B.1). */
const PRF_OIDS = {
  sha1: '1.2.840.113549.2.7',
  sha224: '1.2.840.113549.2.8',
  sha256: '1.2.840.113549.2.9',
  sha384: '1.2.840.113549.2.10',
  sha512: '1.2.840.113549.2.11',
} as const;
export type PrfName = keyof typeof PRF_OIDS;

/** The PBES2 ciphers we build, with their OIDs and key/IV lengths. */
const CIPHERS = {
  'des-ede3-cbc': { oid: '1.2.840.113549.3.7', keyLength: 24, ivLength: 8 },
  'aes-128-cbc': { oid: '2.16.840.1.101.3.4.1.2', keyLength: 16, ivLength: 16 },
  'aes-192-cbc': { oid: '2.16.840.1.101.3.4.1.22', keyLength: 24, ivLength: 16 },
  'aes-256-cbc': { oid: '2.16.840.1.101.3.4.1.42', keyLength: 32, ivLength: 16 },
} as const;
export type CipherName = keyof typeof CIPHERS;

/**
 * A count: a number, a bigint for the absurd ones hostile keys write, or a Buffer holding the
 * INTEGER's raw content bytes (negative or padded encodings).
 */
type Count = number | bigint | Buffer;

/**
 * How to encrypt a key. Everything defaults to SAT's layout; the other fields build the keys
 * users convert theirs into, and the hostile ones that choose their own costs (issue 9, item 1).
 */
export interface SatKeyEncryption {
  salt?: Buffer;
  iv?: Buffer;
  /** The PBKDF2 iteration count written in the file; SAT's 2048 by default. */
  iterations?: Count;
  /** The PRF written in the file. Default: none, so HMAC-SHA1 is implied (SAT). `{ oid }` writes one nobody knows (derived with SHA-1). */
  prf?: PrfName | { oid: string };
  /** The cipher; des-ede3-cbc by default (SAT). `{ oid, ivLength }` writes one nobody knows (encrypted with 3DES). */
  cipher?: CipherName | { oid: string; ivLength: number };
  /** PBKDF2's optional keyLength field (absent in SAT keys), written as given even when it contradicts the cipher. */
  keyLength?: Count;
  /** Use scrypt (RFC 7914) instead of PBKDF2, with these parameters written as given. */
  scrypt?: { cost: Count; blockSize: Count; parallelization: Count };
  /**
   * Derive the encryption key with cheap parameters (PBKDF2 with 2048 iterations, or scrypt
   * N=1024 r=1 p=1) instead of the ones written. For hostile keys: the inspector must refuse
   * them before deriving anything, so the ciphertext never matters, and a test need not spend
   * minutes on 50 million iterations to build one. Without it, a costly key is refused here.
   */
  cheap?: boolean;
}

// Above these, building the key honestly costs seconds: ask for `cheap` instead.
const HONEST_ITERATIONS_LIMIT = 1_000_000;
const HONEST_SCRYPT_LIMIT = 2 ** 20; // N * r * p

/**
 * Encrypts a private key exactly the way SAT's `.key` files are laid out (csd.md §1.2, §9.2):
 * PBES2 / PBKDF2 (8-byte salt, 2048 iterations, *no* PRF field so HMAC-SHA1 is implied) /
 * des-ede3-cbc (8-byte IV). Built by hand because Node's own encoder writes hmacWithSHA256.
 * A 2048-bit RSA key gives a 1298-byte file, like every SAT key. See `SatKeyEncryption` for
 * the other layouts it can write.
 */
export function toSatKeyDer(privateKey: KeyObject, password: string, encryption: SatKeyEncryption = {}): Buffer {
  const cipher = typeof encryption.cipher === 'object'
    ? { oid: encryption.cipher.oid, keyLength: 24, ivLength: encryption.cipher.ivLength, node: 'des-ede3-cbc' }
    : { ...CIPHERS[encryption.cipher ?? 'des-ede3-cbc'], node: encryption.cipher ?? 'des-ede3-cbc' };
  const salt = encryption.salt ?? randomBytes(8);
  const iv = encryption.iv ?? randomBytes(cipher.ivLength);
  const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
  // Node hands a string passphrase to OpenSSL as UTF-8, so derive from the same bytes.
  const key = deriveKey(Buffer.from(password, 'utf8'), salt, cipher.keyLength, encryption);
  // The IV must fit the real cipher even when the file says something else (a hostile IV length).
  const realIv = Buffer.concat([iv, Buffer.alloc(16)]).subarray(0, cipher.node === 'des-ede3-cbc' ? 8 : 16);
  const encrypter = createCipheriv(cipher.node, key, realIv); // PKCS#7 padding is the default.
  const encrypted = Buffer.concat([encrypter.update(plain), encrypter.final()]);
  return sequence(
    sequence(oid(OID_PBES2), sequence(kdfAlgorithm(salt, encryption), sequence(oid(cipher.oid), octetString(iv)))),
    octetString(encrypted),
  );
}

function kdfAlgorithm(salt: Buffer, e: SatKeyEncryption): Buffer {
  const keyLength = e.keyLength === undefined ? [] : [count(e.keyLength)];
  if (e.scrypt) {
    const { cost, blockSize, parallelization } = e.scrypt;
    return sequence(oid(OID_SCRYPT), sequence(octetString(salt), count(cost), count(blockSize), count(parallelization), ...keyLength));
  }
  const prf = e.prf === undefined ? [] : [sequence(oid(typeof e.prf === 'object' ? e.prf.oid : PRF_OIDS[e.prf]), nullValue())];
  return sequence(oid(OID_PBKDF2), sequence(octetString(salt), count(e.iterations ?? ITERATIONS), ...keyLength, ...prf));
}

function deriveKey(password: Buffer, salt: Buffer, keyLength: number, e: SatKeyEncryption): Buffer {
  if (e.scrypt) {
    const [N, r, p] = e.cheap ? [1024, 1, 1] : [e.scrypt.cost, e.scrypt.blockSize, e.scrypt.parallelization].map((c) => (Buffer.isBuffer(c) ? Number.NaN : Number(c))) as [number, number, number];
    if (!(N * r * p <= HONEST_SCRYPT_LIMIT)) throw new Error('toSatKeyDer: these scrypt parameters take seconds to derive; pass cheap: true');
    return scryptSync(password, salt, keyLength, { N, r, p, maxmem: 256 * 1024 * 1024 });
  }
  const written = e.iterations ?? ITERATIONS;
  const iterations = e.cheap ? ITERATIONS : Buffer.isBuffer(written) ? Number.NaN : Number(written);
  if (!(iterations >= 1 && iterations <= HONEST_ITERATIONS_LIMIT)) {
    throw new Error(`toSatKeyDer: ${written} iterations cannot be derived in a test; pass cheap: true`);
  }
  const digest = e.prf === undefined || typeof e.prf === 'object' ? 'sha1' : e.prf;
  return pbkdf2Sync(password, salt, iterations, keyLength, digest);
}

function count(value: Count): Buffer {
  if (Buffer.isBuffer(value)) return tlv(0x02, value);
  return typeof value === 'bigint' ? bigInteger(value) : integer(value);
}
