import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { bigInteger, bitString, integer, integerFromBytes, nullValue, octetString, oid, sequence } from './der-writer.js';

/**
 * RSA keys of sizes SAT never uses, built from random numbers instead of generated (an 8192-bit
 * key takes seconds to generate). OpenSSL loads RSA numbers without checking them, which is all
 * the inspector's size bounds need: they must refuse these before any arithmetic on them.
 */

const RSA_ENCRYPTION = sequence(oid('1.2.840.113549.1.1.1'), nullValue());

/** A random odd number of exactly `bits` bits, as big-endian bytes. */
function randomOdd(bits: number): Buffer {
  const bytes = randomBytes(Math.ceil(bits / 8));
  const topBits = bits % 8 || 8;
  bytes[0] = ((bytes[0] as number) & ((1 << topBits) - 1)) | (1 << (topBits - 1));
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) | 1;
  return bytes;
}

/** A public key with a `bits`-bit modulus and the given exponent (65537 by default). */
export function oversizedRsaPublicKey(bits: number, exponent: bigint = 65537n): KeyObject {
  const rsaPublicKey = sequence(integerFromBytes(randomOdd(bits)), bigInteger(exponent));
  return createPublicKey({ key: sequence(RSA_ENCRYPTION, bitString(rsaPublicKey)), format: 'der', type: 'spki' });
}

/** A private key with a `bits`-bit modulus (numbers that do not belong together: never a real key). */
export function oversizedRsaPrivateKey(bits: number): KeyObject {
  const half = Math.ceil(bits / 2);
  const rsaPrivateKey = sequence(
    integer(0),
    integerFromBytes(randomOdd(bits)), // n
    integer(65537), // e
    integerFromBytes(randomOdd(bits - 1)), // d
    integerFromBytes(randomOdd(half)), // p
    integerFromBytes(randomOdd(half)), // q
    integerFromBytes(randomOdd(half - 1)), // dp
    integerFromBytes(randomOdd(half - 1)), // dq
    integerFromBytes(randomOdd(half - 1)), // qi
  );
  const pkcs8 = sequence(integer(0), RSA_ENCRYPTION, octetString(rsaPrivateKey));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}
