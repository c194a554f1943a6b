import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readChildren, readTlv } from '../../src/certificates/der-reader.js';
import type { Tlv } from '../../src/certificates/der-reader.js';
import { pooledKeyPair, toSatKeyDer } from './sat-fixtures.js';

/** The fixture generator's non-SAT layouts (issue 9, item 1): honest ones decrypt in OpenSSL, hostile ones write what they are told. */
const { privateKey } = pooledKeyPair(0);
const opens = (der: Buffer, passphrase: string) => createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase }).asymmetricKeyDetails?.modulusLength;

/** The PBKDF2 (or scrypt) parameter elements of a generated key, as hex. */
function kdfFields(der: Buffer): string[] {
  let node = readTlv(der, 0) as Tlv;
  for (const index of [0, 1, 0, 1]) node = (readChildren(der, node) as Tlv[])[index] as Tlv;
  return (readChildren(der, node) as Tlv[]).map((child) => der.subarray(child.offset, child.end).toString('hex'));
}

describe('keys with chosen encryption parameters', () => {
  it.each([
    ['hmacWithSHA256 / aes-256-cbc', { prf: 'sha256', cipher: 'aes-256-cbc' }],
    ['hmacWithSHA512 / aes-128-cbc with keyLength', { prf: 'sha512', cipher: 'aes-128-cbc', keyLength: 16 }],
    ['an explicit hmacWithSHA1 / aes-192-cbc', { prf: 'sha1', cipher: 'aes-192-cbc' }],
    ['100,000 iterations and a 32-byte salt', { iterations: 100_000, salt: Buffer.alloc(32, 1) }],
    ['scrypt N=16384 r=8 p=1', { scrypt: { cost: 16384, blockSize: 8, parallelization: 1 } }],
  ] as const)('when built with %s, then OpenSSL opens it with the password', (_name, encryption) => {
    expect(opens(toSatKeyDer(privateKey, 'clave', encryption), 'clave')).toBe(2048);
  });

  it('when a hostile count is asked for cheaply, then the file says the count and the build takes no time', () => {
    const started = performance.now();
    const der = toSatKeyDer(privateKey, 'clave', { iterations: 2 ** 31 - 1, cheap: true });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(kdfFields(der)[1]).toBe('02047fffffff');
    const scrypt = toSatKeyDer(privateKey, 'clave', { scrypt: { cost: 1024, blockSize: 1, parallelization: 100_000 }, cheap: true });
    expect(kdfFields(scrypt).slice(1)).toEqual(['02020400', '020101', '02030186a0']);
  });

  it('when a hostile count is asked for without cheap, then the generator refuses instead of spending minutes', () => {
    expect(() => toSatKeyDer(privateKey, 'clave', { iterations: 50_000_000 })).toThrow(/cheap/);
    expect(() => toSatKeyDer(privateKey, 'clave', { scrypt: { cost: 1024, blockSize: 1, parallelization: 100_000 } })).toThrow(/cheap/);
  });

  it('when raw INTEGER bytes are given, then they are written as they are', () => {
    expect(kdfFields(toSatKeyDer(privateKey, 'clave', { iterations: Buffer.from([0xff]), cheap: true }))[1]).toBe('0201ff');
  });
});
