import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unusableSchemeKeyDer } from '../../fixtures/legacy-keys.js';
import { generateSatPair, pooledKeyPair, toPem, toSatKeyDer } from '../../fixtures/index.js';
import type { SatKeyEncryption } from '../../fixtures/index.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import { integer, octetString, oid, sequence } from '../../fixtures/der-writer.js';
import { classifyKey } from './key-input.js';
import { MAX_PBKDF2_ITERATIONS, MAX_SALT_BYTES, readKeyEncryption } from './key-encryption-parameters.js';
import type { KeyEncryptionReading } from './key-encryption-parameters.js';

const { privateKey } = pooledKeyPair(0);
/** A key built with these parameters, always cheaply: the reader never derives, so the ciphertext does not matter. */
const keyWith = (encryption: SatKeyEncryption): Buffer => toSatKeyDer(privateKey, 'x', { cheap: true, ...encryption });
const read = (encryption: SatKeyEncryption): KeyEncryptionReading => readKeyEncryption(keyWith(encryption));
const refusal = (encryption: SatKeyEncryption) => {
  const reading = read(encryption);
  return reading.ok ? 'accepted' : `${reading.verdict}:${reading.reason}`;
};

describe('reading a key’s encryption parameters', () => {
  it('when the key has SAT’s layout, then it reads PBKDF2-HMAC-SHA1, 2048 iterations, an 8-byte salt, des-ede3-cbc', () => {
    expect(readKeyEncryption(generateSatPair().key)).toEqual({
      ok: true,
      parameters: { iterations: 2048, saltBytes: 8, prf: 'hmacWithSHA1', cipher: 'des-ede3-cbc' },
    });
  });

  it('when the key is what OpenSSL 3 / Node write (hmacWithSHA256, aes-256-cbc, 16-byte salt), then it is accepted', () => {
    const exported = privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'x' });
    const reading = readKeyEncryption(exported);
    expect(reading).toMatchObject({ ok: true, parameters: { prf: 'hmacWithSHA256', cipher: 'aes-256-cbc', iterations: 2048 } });
  });

  describe('the iteration count', () => {
    it.each([
      [1, 'accepted'],
      [2048, 'accepted'],
      [MAX_PBKDF2_ITERATIONS, 'accepted'],
      [MAX_PBKDF2_ITERATIONS + 1, 'excessive:iterations'],
      [5_000_000, 'excessive:iterations'],
      [50_000_000, 'excessive:iterations'],
      [2 ** 31 - 1, 'excessive:iterations'],
      [2 ** 32, 'excessive:iterations'],
      [0, 'unsupported:iterations'],
    ] as const)('when it is %d, then %s', (iterations, expected) => {
      expect(refusal({ iterations })).toBe(expected);
    });

    it('when it is 2^64 or a thousand bytes long, then it is excessive (and never read as a number)', () => {
      expect(refusal({ iterations: 2n ** 64n })).toBe('excessive:iterations');
      expect(refusal({ iterations: Buffer.concat([Buffer.from([0x7f]), Buffer.alloc(1000, 0xff)]) })).toBe('excessive:iterations');
    });

    it('when it is negative, then it is unsupported', () => {
      expect(refusal({ iterations: Buffer.from([0xff]) })).toBe('unsupported:iterations');
      expect(refusal({ iterations: Buffer.from([0x80, 0x00, 0x00, 0x00]) })).toBe('unsupported:iterations');
    });

    it('when 100,000 is written with redundant leading zeros, then the value still counts', () => {
      expect(refusal({ iterations: Buffer.from([0x00, 0x00, 0x01, 0x86, 0xa0]) })).toBe('accepted');
      expect(refusal({ iterations: Buffer.from([0x00, 0x00, 0x01, 0x86, 0xa1]) })).toBe('excessive:iterations');
    });
  });

  describe('the salt', () => {
    it.each([
      [0, 'unsupported:salt'],
      [1, 'accepted'],
      [8, 'accepted'],
      [MAX_SALT_BYTES, 'accepted'],
      [MAX_SALT_BYTES + 1, 'excessive:salt'],
      [10_000, 'excessive:salt'],
    ] as const)('when it is %d bytes, then %s', (length, expected) => {
      expect(refusal({ salt: Buffer.alloc(length, 7) })).toBe(expected);
    });
  });

  describe('the PRF', () => {
    it.each(['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const)('when it is hmacWith%s, then it is accepted', (prf) => {
      expect(refusal({ prf })).toBe('accepted');
    });

    it.each([
      ['hmacWithMD5', '1.2.840.113549.2.6'],
      ['hmacWithSHA512-224', '1.2.840.113549.2.12'],
      ['an unknown OID', '1.3.6.1.4.1.55555.2'],
    ])('when it is %s, then it is unsupported', (_name, prfOid) => {
      expect(refusal({ prf: { oid: prfOid } })).toBe('unsupported:prf');
    });
  });

  describe('the cipher and its IV', () => {
    it.each(['des-ede3-cbc', 'aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc'] as const)('when it is %s with its IV length, then it is accepted', (cipher) => {
      expect(refusal({ cipher })).toBe('accepted');
    });

    it.each([
      ['des-cbc (single DES)', '1.3.14.3.2.7', 8],
      ['rc2-cbc', '1.2.840.113549.3.2', 8],
      ['aes-256-gcm', '2.16.840.1.101.3.4.1.46', 12],
      ['an unknown OID', '1.3.6.1.4.1.55555.3', 8],
    ])('when it is %s, then it is unsupported', (_name, cipherOid, ivLength) => {
      expect(refusal({ cipher: { oid: cipherOid, ivLength } })).toBe('unsupported:cipher');
    });

    it.each([
      ['des-ede3-cbc', 16],
      ['des-ede3-cbc', 4],
      ['aes-128-cbc', 8],
      ['aes-256-cbc', 0],
    ] as const)('when %s has a %d-byte IV, then it is unsupported', (cipher, ivLength) => {
      expect(refusal({ cipher, iv: Buffer.alloc(ivLength) })).toBe('unsupported:iv');
    });
  });

  describe('the optional key length', () => {
    it.each([
      ['des-ede3-cbc', 24, 'accepted'],
      ['aes-128-cbc', 16, 'accepted'],
      ['aes-256-cbc', 32, 'accepted'],
      ['des-ede3-cbc', 16, 'unsupported:key_length'],
      ['aes-128-cbc', 32, 'unsupported:key_length'],
      ['des-ede3-cbc', 0, 'unsupported:key_length'],
      ['des-ede3-cbc', 2 ** 31 - 1, 'unsupported:key_length'],
    ] as const)('when %s says %d bytes, then %s', (cipher, keyLength, expected) => {
      expect(refusal({ cipher, keyLength })).toBe(expected);
    });

    it('when both a key length and a PRF are written, then both are read', () => {
      expect(read({ cipher: 'aes-128-cbc', keyLength: 16, prf: 'sha512' })).toMatchObject({ ok: true, parameters: { prf: 'hmacWithSHA512', cipher: 'aes-128-cbc' } });
    });
  });

  describe('schemes and KDFs other than PBES2 / PBKDF2', () => {
    it.each([
      ['sane', { cost: 16384, blockSize: 8, parallelization: 1 }],
      ['huge N', { cost: 2 ** 20, blockSize: 8, parallelization: 1 }],
      ['huge p', { cost: 1024, blockSize: 1, parallelization: 100_000 }],
      ['absurd', { cost: 2n ** 62n, blockSize: 2n ** 31n, parallelization: 2n ** 31n }],
    ])('when the KDF is scrypt (%s), then it is unsupported, whatever its parameters', (_name, scrypt) => {
      expect(refusal({ scrypt })).toBe('unsupported:kdf');
    });

    it.each([
      ['PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC', '1.2.840.113549.1.12.1.3'],
      ['PBES1 pbeWithSHA1AndDES-CBC', '1.2.840.113549.1.5.10'],
      ['PBES1 pbeWithMD5AndDES-CBC', '1.2.840.113549.1.5.3'],
    ])('when the scheme is %s with 2^31 − 1 iterations, then it is unsupported (its KDF never runs)', (_name, schemeOid) => {
      const der = sequence(sequence(oid(schemeOid), sequence(octetString(Buffer.alloc(8)), integer(2 ** 31 - 1))), octetString(Buffer.alloc(1224)));
      expect(readKeyEncryption(der)).toEqual({ ok: false, verdict: 'unsupported', reason: 'scheme' });
    });

    it.each(['pbes1-md5-des', 'unknown-scheme', 'pbes2-unknown-prf'] as const)('when the legacy fixture %s is read, then it is unsupported', (scheme) => {
      expect(readKeyEncryption(unusableSchemeKeyDer(scheme))).toMatchObject({ ok: false, verdict: 'unsupported' });
    });
  });

  describe('damaged structures', () => {
    const pbes2 = (kdf: Buffer, cipher: Buffer = sequence(oid('1.2.840.113549.3.7'), octetString(Buffer.alloc(8)))) =>
      sequence(sequence(oid('1.2.840.113549.1.5.13'), sequence(kdf, cipher)), octetString(Buffer.alloc(1224)));
    const pbkdf2 = (...fields: Buffer[]) => sequence(oid('1.2.840.113549.1.5.12'), sequence(...fields));
    const salt = octetString(Buffer.alloc(8));

    it.each([
      ['no iteration count', pbes2(pbkdf2(salt))],
      ['the iteration count as an OCTET STRING', pbes2(pbkdf2(salt, octetString(Buffer.from([8, 0]))))],
      ['the salt as an INTEGER', pbes2(pbkdf2(integer(8), integer(2048)))],
      ['five PBKDF2 fields', pbes2(pbkdf2(salt, integer(2048), integer(24), sequence(oid('1.2.840.113549.2.7')), integer(1)))],
      ['a PRF that is not an AlgorithmIdentifier', pbes2(pbkdf2(salt, integer(2048), octetString(Buffer.alloc(2))))],
      ['a cipher without an IV', pbes2(pbkdf2(salt, integer(2048)), sequence(oid('1.2.840.113549.3.7')))],
      ['no PBES2 parameters', sequence(sequence(oid('1.2.840.113549.1.5.13')), octetString(Buffer.alloc(8)))],
    ])('when the key has %s, then it is malformed', (_name, der) => {
      expect(readKeyEncryption(der)).toEqual({ ok: false, verdict: 'malformed', reason: 'structure' });
    });

    it('when the salt is an otherSource AlgorithmIdentifier, then it is unsupported', () => {
      expect(readKeyEncryption(pbes2(pbkdf2(sequence(oid('1.2.3.4')), integer(2048))))).toEqual({ ok: false, verdict: 'unsupported', reason: 'salt' });
    });

    it('when the key is cut at every length or has random bytes flipped, then the reader never throws', () => {
      const key = generateSatPair().key;
      for (let length = 0; length <= key.length; length += 1) expect(() => readKeyEncryption(key.subarray(0, length))).not.toThrow();
      const random = seededRandom(9);
      for (let round = 0; round < 2000; round += 1) {
        const damaged = Buffer.from(key.subarray(0, 80));
        for (let flips = random.int(1, 4); flips > 0; flips -= 1) damaged[random.int(0, damaged.length - 1)] = random.int(0, 255);
        const reading = readKeyEncryption(damaged);
        expect(reading.ok || ['malformed', 'unsupported', 'excessive'].includes(reading.verdict)).toBe(true);
      }
    });

    it('when random bytes are read, then the reader never throws and never accepts them', () => {
      const random = seededRandom(10);
      for (let round = 0; round < 500; round += 1) {
        const bytes = random.bytes(random.int(0, 300));
        if (round % 2 === 0 && bytes.length > 4) bytes.set([0x30, 0x81, bytes.length - 3]);
        const reading = readKeyEncryption(bytes);
        expect(reading.ok).toBe(false);
      }
    });
  });

  it('when a PEM key is classified and read, then it reads the same as its DER', () => {
    const pair = generateSatPair();
    const classified = classifyKey(toPem(pair.key, 'ENCRYPTED PRIVATE KEY'));
    expect(classified.kind).toBe('encrypted-pkcs8');
    if (classified.kind !== 'encrypted-pkcs8') return;
    expect(readKeyEncryption(classified.der)).toEqual(readKeyEncryption(pair.key));
  });
});

// Real SAT keys (and the shared synthetic ones) must all be accepted: SAT_SAMPLES_DIR, as in test/sat-samples.test.ts.
const samples = process.env['SAT_SAMPLES_DIR'];
describe.skipIf(!samples || !existsSync(samples))('the shared SAT sample keys (skipped: set SAT_SAMPLES_DIR)', () => {
  const keys = samples ? readdirSync(samples).filter((name) => name.endsWith('.key')) : [];
  it('then there are sample keys to read', () => expect(keys.length).toBeGreaterThanOrEqual(5));
  it.each(keys)('when %s is read, then SAT’s parameters are accepted', (name) => {
    const classified = classifyKey(readFileSync(join(samples ?? '', name)));
    expect(classified.kind).toBe('encrypted-pkcs8');
    if (classified.kind !== 'encrypted-pkcs8') return;
    expect(readKeyEncryption(classified.der)).toEqual({ ok: true, parameters: { iterations: 2048, saltBytes: 8, prf: 'hmacWithSHA1', cipher: 'des-ede3-cbc' } });
  });
});
