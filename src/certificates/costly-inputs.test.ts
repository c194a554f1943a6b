import { describe, expect, it } from 'vitest';
import { oversizedRsaPrivateKey, oversizedRsaPublicKey } from '../../fixtures/oversized-rsa.js';
import { FIXTURE_REFERENCE_DATE, generateSatPair, pooledKeyPair, toPem, toSatKeyDer } from '../../fixtures/index.js';
import type { SatKeyEncryption } from '../../fixtures/index.js';
import { inspectCsd } from './index.js';
import type { Inspection } from './index.js';

/**
 * Uploads that choose their own cost (issue 9, item 1): the inspector refuses them from their
 * structure, before deriving a key or doing arithmetic on their numbers. Each hostile key is
 * written with its huge parameters but encrypted cheaply (`cheap`): were the inspector to derive
 * with what the file says, 50,000,000 PBKDF2 iterations would take about 20 s, so a refusal
 * well under a second proves it never started. The bound is generous (a loaded machine) and is
 * the issue's own: "refused within 1 s".
 */
const now = FIXTURE_REFERENCE_DATE;
const pair = generateSatPair();
const REFUSED_WITHIN_MS = 1_000;

const hostileKey = (encryption: SatKeyEncryption): Buffer => toSatKeyDer(pooledKeyPair(0).privateKey, pair.password, { cheap: true, ...encryption });
const codes = (result: Inspection) => (result.ok ? 'ok' : result.problems.map((p) => `${p.code}:${p.field}`).join(','));

function timed(input: { cer: Buffer; key: Buffer; password: string }): { outcome: string; ms: number } {
  const started = performance.now();
  const result = inspectCsd({ ...input, now });
  return { outcome: codes(result), ms: performance.now() - started };
}

describe('inspectCsd on keys that choose their own derivation cost', () => {
  it.each([
    ['100,001 PBKDF2 iterations', { iterations: 100_001 }],
    ['50,000,000 PBKDF2 iterations', { iterations: 50_000_000 }],
    ['2^31 − 1 PBKDF2 iterations', { iterations: 2 ** 31 - 1 }],
    ['2^64 PBKDF2 iterations', { iterations: 2n ** 64n }],
    ['a 65-byte salt', { salt: Buffer.alloc(65, 1) }],
    ['a 50,000-byte salt', { salt: Buffer.alloc(50_000, 1) }],
  ] as const)('when the key asks for %s, then private_key_parameters_excessive on key, at once', (_name, encryption) => {
    const { outcome, ms } = timed({ ...pair, key: hostileKey(encryption) });
    expect(outcome).toBe('private_key_parameters_excessive:key');
    expect(ms).toBeLessThan(REFUSED_WITHIN_MS);
  });

  it('when the hostile key comes as PEM, then it is refused the same way', () => {
    const key = toPem(hostileKey({ iterations: 50_000_000 }), 'ENCRYPTED PRIVATE KEY');
    expect(timed({ ...pair, key }).outcome).toBe('private_key_parameters_excessive:key');
  });

  it.each([
    ['scrypt with a huge p (N=1024, r=1, p=100,000: 46 s in OpenSSL)', { scrypt: { cost: 1024, blockSize: 1, parallelization: 100_000 } }],
    ['scrypt with a huge N', { scrypt: { cost: 2 ** 20, blockSize: 8, parallelization: 1 } }],
    ['scrypt with OpenSSL’s own defaults', { scrypt: { cost: 16384, blockSize: 8, parallelization: 1 } }],
    ['an unknown PRF and 50,000,000 iterations', { prf: { oid: '1.3.6.1.4.1.55555.2' }, iterations: 50_000_000 }],
    ['single DES', { cipher: { oid: '1.3.14.3.2.7', ivLength: 8 } }],
    ['a keyLength that is not the cipher’s', { keyLength: 16 }],
    ['a keyLength of 2^31 − 1', { keyLength: 2 ** 31 - 1 }],
    ['a 16-byte IV for 3DES', { iv: Buffer.alloc(16) }],
    ['zero iterations', { iterations: 0 }],
    ['a negative iteration count', { iterations: Buffer.from([0xff, 0x00]) }],
    ['an empty salt', { salt: Buffer.alloc(0) }],
  ] as const)('when the key uses %s, then private_key_encryption_unsupported on key, at once', (_name, encryption) => {
    const { outcome, ms } = timed({ ...pair, key: hostileKey(encryption) });
    expect(outcome).toBe('private_key_encryption_unsupported:key');
    expect(ms).toBeLessThan(REFUSED_WITHIN_MS);
  });

  it.each([
    ['exactly 100,000 PBKDF2 iterations', { iterations: 100_000 }],
    ['hmacWithSHA256 and aes-256-cbc with a 16-byte salt (what OpenSSL 3 writes)', { prf: 'sha256', cipher: 'aes-256-cbc', salt: Buffer.alloc(16, 3) }],
    ['hmacWithSHA512, aes-128-cbc and its keyLength', { prf: 'sha512', cipher: 'aes-128-cbc', keyLength: 16 }],
    ['a 64-byte salt', { salt: Buffer.alloc(64, 5) }],
  ] as const)('when the key uses %s with the right password, then it is accepted', (_name, encryption) => {
    const key = toSatKeyDer(pooledKeyPair(0).privateKey, pair.password, encryption);
    expect(timed({ ...pair, key }).outcome).toBe('ok');
  });
});

describe('inspectCsd on RSA numbers far beyond SAT’s', () => {
  const privateKey = pooledKeyPair(0).privateKey;

  it('when the certificate carries an 8192-bit modulus, then certificate_parameters_excessive on cer, and the key is never decrypted', () => {
    const cer = generateSatPair({ keyPair: { publicKey: oversizedRsaPublicKey(8192), privateKey } }).cer;
    // A 50M-iteration key alongside: decrypting it would take ~20 s, so the time shows it was not.
    const { outcome, ms } = timed({ ...pair, cer, key: toSatKeyDer(privateKey, pair.password, { iterations: 50_000_000, cheap: true }) });
    expect(outcome).toBe('certificate_parameters_excessive:cer,private_key_parameters_excessive:key');
    expect(ms).toBeLessThan(REFUSED_WITHIN_MS);
    expect(timed({ ...pair, cer }).outcome).toBe('certificate_parameters_excessive:cer');
  });

  it('when the certificate’s public exponent is 2^64 + 1, then certificate_parameters_excessive on cer', () => {
    const cer = generateSatPair({ keyPair: { publicKey: oversizedRsaPublicKey(2048, 2n ** 64n + 1n), privateKey } }).cer;
    expect(timed({ ...pair, cer }).outcome).toBe('certificate_parameters_excessive:cer');
  });

  it('when the certificate is a 4096-bit key with exponent 2^32 − 1, then the size is not what refuses it', () => {
    const cer = generateSatPair({ keyPair: { publicKey: oversizedRsaPublicKey(4096, 2n ** 32n - 1n), privateKey } }).cer;
    // Within bounds: the (fake) key simply is not this certificate's.
    expect(timed({ ...pair, cer }).outcome).toBe('private_key_certificate_mismatch:key');
  });

  it('when the key decrypts to an 8192-bit RSA key, then private_key_parameters_excessive on key, before its numbers are checked', () => {
    const key = toSatKeyDer(oversizedRsaPrivateKey(8192), pair.password);
    expect(timed({ ...pair, key }).outcome).toBe('private_key_parameters_excessive:key');
  });
});
