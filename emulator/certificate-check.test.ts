/**
 * The emulator's own certificate check, pinned to fixed expectations: the SAT samples' values
 * as their README lists them, and generated pairs whose every field we chose. It never consults
 * the app's inspector, so a mistake there cannot make this pass.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateNumber, generateSatPair, pooledKeyPair, standardFixtures, toPem, toSatKeyDer, unencryptedPkcs8Der, type StandardFixtures } from '../fixtures/index.js';
import { legacyPkcs1Pem, pkcs1Der, unusableSchemeKeyDer } from '../fixtures/legacy-keys.js';
import { checkCertificate } from './certificate-check.js';
import { DEMO_ORGANIZATION_IDS, demoOrganizations } from './demo-data.js';
import type { OrganizationWire } from './organization-wire.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const orgs = demoOrganizations(NOW);
const org = (id: string) => orgs.find((o) => o.id === id)!;
const NEW_ORG = org(DEMO_ORGANIZATION_IDS.noCertificate);
const code = (pair: { cer: Buffer; key: Buffer; password: string }, now = NOW, target: OrganizationWire = NEW_ORG) => {
  const check = checkCertificate(target, { cer: pair.cer, key: pair.key, password: pair.password }, now);
  return check.ok ? 'ok' : check.code;
};

let fx: StandardFixtures;
beforeAll(() => {
  fx = standardFixtures(NOW);
});

describe('The emulator certificate check, on generated pairs', () => {
  it('accepts a valid CSD and reads its RFC, certificate number and expiry', () => {
    expect(checkCertificate(NEW_ORG, fx.validCsd, NOW)).toEqual({ ok: true, rfc: 'EPR010101AB1', serialNumber: '30001000000900000011', expiresAt: fx.validCsd.validTo });
  });

  it('keeps Ñ and & in the RFC', () => {
    expect(checkCertificate(NEW_ORG, fx.fisicaWithEnye, NOW)).toMatchObject({ ok: true, rfc: 'PEÑ800101AB1' });
    expect(checkCertificate(NEW_ORG, fx.moralWithAmpersand, NOW)).toMatchObject({ ok: true, rfc: 'A&B010101AB1' });
  });

  it('takes the PEM form of the certificate and of the encrypted key', () => {
    const { cer, key, password } = fx.validCsd;
    expect(code({ cer: toPem(cer, 'CERTIFICATE'), key: toPem(key, 'ENCRYPTED PRIVATE KEY'), password })).toBe('ok');
  });

  it.each([
    ['fiel', 'csd_required'],
    ['expired', 'certificate_expired'],
    ['notYetValid', 'certificate_not_yet_valid'],
    ['mismatched', 'private_key_certificate_mismatch'],
  ] as const)('answers the %s pair with %s', (fixture, expected) => {
    expect(code(fx[fixture])).toBe(expected);
  });

  it('is inclusive at both ends of the validity', () => {
    expect(code(fx.validCsd, fx.validCsd.validFrom)).toBe('ok');
    expect(code(fx.validCsd, fx.validCsd.validTo)).toBe('ok');
    expect(code(fx.validCsd, new Date(fx.validCsd.validTo.getTime() + 1000))).toBe('certificate_expired');
    expect(code(fx.validCsd, new Date(fx.validCsd.validFrom.getTime() - 1000))).toBe('certificate_not_yet_valid');
  });

  it('answers a CSD subject with a FIEL\u2019s extended key usage with csd_required', () => {
    expect(code(generateSatPair({ extensions: 'FIEL', validFrom: new Date('2025-01-01'), validTo: new Date('2029-01-01') }))).toBe('csd_required');
  });

  it('answers a wrong password with private_key_password_incorrect', () => {
    expect(code({ ...fx.validCsd, password: 'nope' })).toBe('private_key_password_incorrect');
    expect(code({ ...fx.validCsd, password: `${fx.validCsd.password} ` })).toBe('private_key_password_incorrect');
  });

  it.each([
    ['an unencrypted PKCS#8 key', () => unencryptedPkcs8Der(fx.validCsd)],
    ['an unencrypted PKCS#1 key', () => pkcs1Der(fx.validCsd)],
    ['a legacy encrypted PEM key', () => legacyPkcs1Pem(fx.validCsd, fx.validCsd.password)],
    ['a PBES1-MD5-DES key', () => unusableSchemeKeyDer('pbes1-md5-des')],
    ['a key under an unknown scheme', () => unusableSchemeKeyDer('unknown-scheme')],
    ['a key under an unknown PRF', () => unusableSchemeKeyDer('pbes2-unknown-prf')],
    ['the certificate given as the key', () => fx.validCsd.cer],
  ])('answers %s with certificate_files_invalid', (_label, key) => {
    expect(code({ ...fx.validCsd, key: key() })).toBe('certificate_files_invalid');
  });

  it('answers unreadable certificates with certificate_files_invalid', () => {
    expect(code({ ...fx.validCsd, cer: Buffer.from('hello') })).toBe('certificate_files_invalid');
    expect(code({ ...fx.validCsd, cer: fx.validCsd.cer.subarray(0, 600) })).toBe('certificate_files_invalid');
    expect(code({ ...fx.validCsd, cer: fx.validCsd.key })).toBe('certificate_files_invalid');
  });

  it('answers a readable certificate without a 20-digit number or an RFC with certificate_invalid', () => {
    const dates = { validFrom: new Date('2025-01-01'), validTo: new Date('2029-01-01') };
    expect(code(generateSatPair({ ...dates, certificateNumber: '1234' }))).toBe('certificate_invalid');
    expect(code(generateSatPair({ ...dates, rfc: 'NOT-AN-RFC' }))).toBe('certificate_invalid');
  });

  it('answers a key whose private half is damaged but whose public half matches with certificate_files_invalid', () => {
    // Change d, dp and dq (n and e stay, so checkPrivateKey still says the pair matches).
    const jwk = pooledKeyPair(0).privateKey.export({ format: 'jwk' }) as JsonWebKey;
    const bump = (value: string) => {
      const bytes = Buffer.from(value, 'base64url');
      bytes[bytes.length - 1] = (bytes[bytes.length - 1]! ^ 0x02);
      return bytes.toString('base64url');
    };
    const damaged = createPrivateKey({ key: { ...jwk, d: bump(jwk.d!), dp: bump(jwk.dp!), dq: bump(jwk.dq!) }, format: 'jwk' });
    expect(code({ ...fx.validCsd, key: toSatKeyDer(damaged, fx.validCsd.password) })).toBe('certificate_files_invalid');
  });

  it('reports the most basic problem first', () => {
    expect(code({ cer: Buffer.alloc(0), key: Buffer.alloc(0), password: '' })).toBe('certificate_file_required');
    expect(code({ cer: fx.validCsd.cer, key: Buffer.alloc(0), password: '' })).toBe('private_key_file_required');
    expect(code({ ...fx.validCsd, password: '' })).toBe('password_required');
    expect(code({ cer: Buffer.from('junk'), key: fx.validCsd.key, password: 'wrong' })).toBe('certificate_files_invalid');
    expect(code({ ...fx.fiel, key: fx.validCsd.key })).toBe('private_key_certificate_mismatch');
    expect(code(generateSatPair({ type: 'FIEL', validFrom: new Date('2019-01-01'), validTo: new Date('2023-01-01'), certificateNumber: certificateNumber(90) }))).toBe('csd_required');
  });

  it('refuses a CSD with another RFC than the organization\u2019s previous certificate, and accepts the same RFC', () => {
    const renewing = org(DEMO_ORGANIZATION_IDS.expiresSoon);
    expect(code(fx.validCsd, NOW, renewing)).toBe('certificate_previous_rfc_mismatch');
    expect(code(generateSatPair({ rfc: 'EKU9003173C9' }), NOW, renewing)).toBe('ok');
  });
});

// CI: ../shared/fixtures/sat; locally SAT_SAMPLES_DIR=/work/shared/fixtures/sat. Values from its README.
const samples = process.env.SAT_SAMPLES_DIR;
if (!samples) console.warn('[emulator certificate-check] SAT samples skipped: set SAT_SAMPLES_DIR (e.g. /work/shared/fixtures/sat)');

describe.skipIf(!samples)('The emulator certificate check, on SAT\u2019s own test files', () => {
  const file = (name: string) => readFileSync(path.join(samples ?? '', name));
  const pair = (name: string, key = `${name}.key`) => ({ cer: file(`${name}.cer`), key: file(key), password: file(`${name}.password.txt`).toString('latin1') });
  const AT = new Date('2026-01-15T00:00:00Z');

  it('accepts csd-EKU9003173C9 as RFC EKU9003173C9, number 30001000000500003416, until 2027-05-18T11:43:51Z', () => {
    expect(checkCertificate(NEW_ORG, pair('csd-EKU9003173C9'), AT)).toEqual({ ok: true, rfc: 'EKU9003173C9', serialNumber: '30001000000500003416', expiresAt: new Date('2027-05-18T11:43:51Z') });
  });

  it('accepts csd-synthetic-fisica as RFC PEÑ800101AB1, number 30001000000900000004', () => {
    expect(checkCertificate(NEW_ORG, pair('csd-synthetic-fisica'), AT)).toEqual({ ok: true, rfc: 'PEÑ800101AB1', serialNumber: '30001000000900000004', expiresAt: new Date('2034-01-01T00:00:00Z') });
  });

  it('answers the FIEL with csd_required, the expired CSDs with certificate_expired', () => {
    expect(code(pair('fiel-EKU9003173C9'), AT)).toBe('csd_required');
    expect(code(pair('fiel-synthetic'), AT)).toBe('csd_required');
    expect(code(pair('csd-AAA010101AAA-expired'), AT)).toBe('certificate_expired');
    expect(code(pair('csd-synthetic-expired'), AT)).toBe('certificate_expired');
  });

  it('accepts the expired CSD on a day it was valid, as DER or PEM', () => {
    const during = new Date('2019-06-01T00:00:00Z');
    expect(code(pair('csd-AAA010101AAA-expired'), during)).toBe('ok');
    expect(code({ ...pair('csd-AAA010101AAA-expired'), cer: file('csd-AAA010101AAA-expired.cer.pem') }, during)).toBe('ok');
  });

  it('answers the CSD with the FIEL\u2019s key (same RFC, other key) with private_key_certificate_mismatch', () => {
    expect(code(pair('csd-EKU9003173C9', 'fiel-EKU9003173C9.key'), AT)).toBe('private_key_certificate_mismatch');
  });

  it('answers the converted keys (unencrypted PKCS#8, legacy encrypted PKCS#1) with certificate_files_invalid', () => {
    const during = new Date('2019-06-01T00:00:00Z');
    expect(code(pair('csd-AAA010101AAA-expired', 'csd-AAA010101AAA-expired.unencrypted-pkcs8.key.pem'), during)).toBe('certificate_files_invalid');
    expect(code(pair('csd-AAA010101AAA-expired', 'csd-AAA010101AAA-expired.encrypted-pkcs1.key.pem'), during)).toBe('certificate_files_invalid');
  });
});
