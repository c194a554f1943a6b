import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectCsd, readCertificate } from '../src/certificates/index.js';
import type { CertificateFacts, Inspection } from '../src/certificates/index.js';

/**
 * Real SAT test material and the shared synthetic pairs (their README lists expected values).
 * CI sets SAT_SAMPLES_DIR=../shared/fixtures/sat; locally use /work/shared/fixtures/sat.
 * The files are read in place, never copied into the repository.
 */
const dir = process.env['SAT_SAMPLES_DIR'];
// Inside the real EKU9003173C9 CSD's validity (until 2027-05-18) and after AAA010101AAA's expiry.
const now = new Date('2026-01-15T00:00:00Z');

type Expected = Omit<CertificateFacts, 'validFrom' | 'validTo' | 'fingerprintSha256' | 'issuer' | 'isSatTest'> & {
  validFrom: string; validTo: string; issuerCommonName: string; /** 'ok' or the problem codes, comma-separated. */ outcome: string;
};

const EKU = { rfc: 'EKU9003173C9', representativeRfc: 'VADA800927DJ3', curp: null, representativeCurp: 'VADA800927HSRSRL05', legalName: 'ESCUELA KEMPER URGATE SA DE CV' };
const EPR = { rfc: 'EPR010101AB1', representativeRfc: 'XAXX010101XX0', curp: null, representativeCurp: 'XEXX010101HNEXXXA4', legalName: 'EMPRESA DE PRUEBA SA DE CV' };
const SYNTHETIC_CA = 'AC DE PRUEBAS SINTETICA';

const SAMPLES: Record<string, Expected> = {
  'csd-EKU9003173C9': { type: 'CSD', ...EKU, branch: 'Sucursal 1', certificateNumber: '30001000000500003416',
    validFrom: '2023-05-18T11:43:51.000Z', validTo: '2027-05-18T11:43:51.000Z', issuerCommonName: 'AC UAT', outcome: 'ok' },
  'fiel-EKU9003173C9': { type: 'FIEL', ...EKU, branch: null, certificateNumber: '30001000000500003415',
    validFrom: '2023-05-18T04:37:14.000Z', validTo: '2027-05-17T04:37:14.000Z', issuerCommonName: 'AC UAT', outcome: 'csd_required' },
  'csd-AAA010101AAA-expired': { type: 'CSD', rfc: 'AAA010101AAA', representativeRfc: 'HEGT7610034S2', curp: null,
    representativeCurp: 'HEGT761003MDFRNN09', legalName: 'ACCEM SERVICIOS EMPRESARIALES SC', branch: 'CSD01_AAA010101AAA',
    certificateNumber: '30001000000300023708', validFrom: '2017-05-18T03:54:56.000Z', validTo: '2021-05-18T03:54:56.000Z',
    issuerCommonName: 'A.C. 2 de pruebas(4096)', outcome: 'certificate_expired' },
  'csd-synthetic': { type: 'CSD', ...EPR, branch: 'Sucursal 1', certificateNumber: '30001000000900000001',
    validFrom: '2024-01-01T00:00:00.000Z', validTo: '2034-01-01T00:00:00.000Z', issuerCommonName: SYNTHETIC_CA, outcome: 'ok' },
  'fiel-synthetic': { type: 'FIEL', ...EPR, branch: null, certificateNumber: '30001000000900000002',
    validFrom: '2024-01-01T00:00:00.000Z', validTo: '2034-01-01T00:00:00.000Z', issuerCommonName: SYNTHETIC_CA, outcome: 'csd_required' },
  'csd-synthetic-expired': { type: 'CSD', ...EPR, branch: 'Sucursal 2', certificateNumber: '30001000000900000003',
    validFrom: '2019-01-01T00:00:00.000Z', validTo: '2023-01-01T00:00:00.000Z', issuerCommonName: SYNTHETIC_CA, outcome: 'certificate_expired' },
  'csd-synthetic-fisica': { type: 'CSD', rfc: 'PEÑ800101AB1', representativeRfc: null, curp: 'PELN800101HDFRPN09',
    representativeCurp: null, legalName: 'ÑANDU PEREZ LOPEZ', branch: 'Matriz', certificateNumber: '30001000000900000004',
    validFrom: '2024-01-01T00:00:00.000Z', validTo: '2034-01-01T00:00:00.000Z', issuerCommonName: SYNTHETIC_CA, outcome: 'ok' },
};

const file = (name: string): Buffer => readFileSync(join(dir ?? '', name));
/** The password exactly as stored: bytes, no trimming (the files have no newline). */
const password = (name: string): string => file(`${name}.password.txt`).toString('utf8');
const outcome = (result: Inspection): string => (result.ok ? 'ok' : result.problems.map((p) => p.code).join(','));

describe.skipIf(!dir)('shared SAT samples (skipped: set SAT_SAMPLES_DIR to the shared fixtures/sat folder)', () => {
  describe.each(Object.entries(SAMPLES))('%s', (name, expected) => {
    const { validFrom, validTo, issuerCommonName, outcome: expectedOutcome, ...facts } = expected;

    it('when its certificate is read, then the facts match the README', () => {
      expect(readCertificate(file(`${name}.cer`))).toMatchObject({
        ...facts, validFrom: new Date(validFrom), validTo: new Date(validTo), isSatTest: true,
        issuer: { commonName: issuerCommonName },
      });
    });

    it(`when inspected with its key and password, then the outcome is ${expectedOutcome}`, () => {
      expect(password(name)).toBe('12345678a');
      expect(file(`${name}.key`).length).toBe(1298);
      const result = inspectCsd({ cer: file(`${name}.cer`), key: file(`${name}.key`), password: password(name), now });
      expect(outcome(result)).toBe(expectedOutcome);
      if (result.ok) {
        expect(result.cerDer.equals(file(`${name}.cer`))).toBe(true);
        expect(result.keyDer.equals(file(`${name}.key`))).toBe(true);
      }
    });

    it('when the password differs only in case, then private_key_password_incorrect', () => {
      const result = inspectCsd({ cer: file(`${name}.cer`), key: file(`${name}.key`), password: '12345678A', now });
      expect(outcome(result)).toBe('private_key_password_incorrect');
    });
  });

  const mismatched: Array<[string, string]> = [
    ['csd-EKU9003173C9', 'fiel-EKU9003173C9'],
    ['csd-AAA010101AAA-expired', 'csd-EKU9003173C9'],
    ['fiel-EKU9003173C9', 'csd-AAA010101AAA-expired'],
    ['csd-synthetic', 'fiel-synthetic'],
  ];
  it.each(mismatched)('when %s.cer is given with %s.key, then private_key_certificate_mismatch', (cer, key) => {
    const result = inspectCsd({ cer: file(`${cer}.cer`), key: file(`${key}.key`), password: '12345678a', now });
    expect(outcome(result)).toBe('private_key_certificate_mismatch');
  });

  describe('PEM variants of csd-AAA010101AAA-expired', () => {
    const base = 'csd-AAA010101AAA-expired';

    it('when the cer is the PEM file, then it decodes to the DER file byte for byte', () => {
      const result = inspectCsd({ cer: file(`${base}.cer.pem`), key: file(`${base}.key`), password: password(base), now: new Date('2020-01-01T00:00:00Z') });
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.cerDer.equals(file(`${base}.cer`))).toBe(true);
    });

    it('when the key is the unencrypted PKCS#8 PEM, then private_key_unencrypted', () => {
      const result = inspectCsd({ cer: file(`${base}.cer`), key: file(`${base}.unencrypted-pkcs8.key.pem`), password: password(base), now });
      expect(outcome(result)).toBe('private_key_unencrypted');
    });

    it('when the key is the encrypted PKCS#1 PEM, then private_key_encryption_unsupported', () => {
      const result = inspectCsd({ cer: file(`${base}.cer`), key: file(`${base}.encrypted-pkcs1.key.pem`), password: password(base), now });
      expect(outcome(result)).toBe('private_key_encryption_unsupported');
    });
  });

  it('when every file in the folder is given as cer and as key, then the inspector never throws', () => {
    const names = readdirSync(dir ?? '');
    expect(names.length).toBeGreaterThan(20);
    const cer = file('csd-EKU9003173C9.cer');
    const key = file('csd-EKU9003173C9.key');
    for (const name of names) {
      const bytes = file(name);
      for (const input of [{ cer: bytes, key }, { cer, key: bytes }, { cer: bytes, key: bytes }]) {
        expect(() => inspectCsd({ ...input, password: '12345678a', now }), name).not.toThrow();
      }
      expect(() => readCertificate(bytes), name).not.toThrow();
    }
  });

  it('when the README lists a sample, then its files are present', () => {
    for (const name of Object.keys(SAMPLES)) {
      for (const suffix of ['.cer', '.key', '.password.txt']) expect(existsSync(join(dir ?? '', name + suffix)), name + suffix).toBe(true);
    }
  });
});
