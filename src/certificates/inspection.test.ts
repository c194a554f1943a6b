import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, standardFixtures, toPem, unencryptedPkcs8Der,
} from '../../fixtures/index.js';
import { legacyPkcs1Pem, unusableSchemeKeyDer } from '../../fixtures/legacy-keys.js';
import { inspectCsd } from './index.js';
import type { Inspection, ProblemCode } from './index.js';

const now = FIXTURE_REFERENCE_DATE;
const fx = standardFixtures(now);
const valid = fx.validCsd;

function codes(result: Inspection): Array<[ProblemCode, string | null]> {
  return result.ok ? [] : result.problems.map((problem) => [problem.code, problem.field]);
}

describe('inspectCsd on a valid CSD', () => {
  it('when the cer, key and password belong together, then it is ok with the facts and the bytes to relay', () => {
    const result = inspectCsd({ ...valid, now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.facts).toMatchObject({ type: 'CSD', rfc: 'EPR010101AB1', certificateNumber: certificateNumber(11) });
    // DER input is relayed as the very same bytes.
    expect(result.cerDer).toBe(valid.cer);
    expect(result.keyDer).toBe(valid.key);
  });
});

describe('inspectCsd, stage 1: missing and unreadable inputs', () => {
  it('when the cer is empty, then certificate_file_required on cer', () => {
    expect(codes(inspectCsd({ ...valid, cer: Buffer.alloc(0), now }))).toEqual([['certificate_file_required', 'cer']]);
  });

  it('when the key is empty, then private_key_file_required on key', () => {
    expect(codes(inspectCsd({ ...valid, key: Buffer.alloc(0), now }))).toEqual([['private_key_file_required', 'key']]);
  });

  it('when the password is empty, then password_required on password', () => {
    expect(codes(inspectCsd({ ...valid, password: '', now }))).toEqual([['password_required', 'password']]);
  });

  it('when nothing at all is given, then all three required problems are reported together', () => {
    const result = inspectCsd({ cer: Buffer.alloc(0), key: Buffer.alloc(0), password: '', now });
    expect(codes(result)).toEqual([
      ['certificate_file_required', 'cer'],
      ['private_key_file_required', 'key'],
      ['password_required', 'password'],
    ]);
  });

  it('when the cer is garbage, then certificate_files_invalid on cer and no facts', () => {
    const result = inspectCsd({ ...valid, cer: Buffer.from('not a certificate'), now });
    expect(codes(result)).toEqual([['certificate_files_invalid', 'cer']]);
    expect(result.facts).toBeNull();
  });

  it('when the key is garbage, then certificate_files_invalid on key, and the facts of the readable cer', () => {
    const result = inspectCsd({ ...valid, key: Buffer.from('not a key'), now });
    expect(codes(result)).toEqual([['certificate_files_invalid', 'key']]);
    expect(result.facts?.rfc).toBe('EPR010101AB1');
  });

  it('when the files are swapped, then they are used as meant and the inspection says so (file-arrangement.ts)', () => {
    expect(inspectCsd({ cer: valid.key, key: valid.cer, password: valid.password, now })).toMatchObject({ ok: true, swapped: true });
  });

  it('when the key is an unencrypted PKCS#8 DER, then private_key_unencrypted even with the right password', () => {
    const result = inspectCsd({ ...valid, key: unencryptedPkcs8Der(valid), now });
    expect(codes(result)).toEqual([['private_key_unencrypted', 'key']]);
  });

  it('when the key is a legacy PKCS#1 PEM, then private_key_encryption_unsupported', () => {
    const result = inspectCsd({ ...valid, key: legacyPkcs1Pem(valid, valid.password), now });
    expect(codes(result)).toEqual([['private_key_encryption_unsupported', 'key']]);
  });

  it.each(['pbes1-md5-des', 'unknown-scheme', 'pbes2-unknown-prf'] as const)(
    'when the key is encrypted with a scheme OpenSSL 3 cannot use (%s), then private_key_encryption_unsupported, not a wrong password',
    (scheme) => {
      const result = inspectCsd({ ...valid, key: unusableSchemeKeyDer(scheme), now });
      expect(codes(result)).toEqual([['private_key_encryption_unsupported', 'key']]);
    },
  );
});

describe('inspectCsd: certificate_invalid', () => {
  const cases: Array<[string, Parameters<typeof generateSatPair>[0], string]> = [
    ['the serial is not 20 digits', { certificateNumber: '3000100000090000001' }, 'certificate_number'],
    ['the serial is not digits', { certificateNumber: '3000100000090000000X' }, 'certificate_number'],
    ['the RFC has the wrong shape', { rfc: 'EPR-010101AB1' }, 'rfc'],
    ['the RFC is lower case', { rfc: 'epr010101ab1' }, 'rfc'],
  ];
  it.each(cases)('when %s, then certificate_invalid on cer', (_name, options, reason) => {
    const pair = generateSatPair(options);
    const result = inspectCsd({ ...pair, now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ code: 'certificate_invalid', field: 'cer', params: { reason } }]);
  });

  it('when the certificate key is not RSA, then certificate_invalid', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pair = generateSatPair({ keyPair: ec });
    expect(codes(inspectCsd({ ...pair, now }))).toEqual([['certificate_invalid', 'cer']]);
  });
});

describe('inspectCsd, stages 2 and 3: password, then pairing', () => {
  it('when the password is wrong, then private_key_password_incorrect on password', () => {
    expect(codes(inspectCsd({ ...valid, password: '12345678b', now }))).toEqual([['private_key_password_incorrect', 'password']]);
  });

  it('when the key belongs to another certificate, then private_key_certificate_mismatch on key', () => {
    expect(codes(inspectCsd({ ...fx.mismatched, now }))).toEqual([['private_key_certificate_mismatch', 'key']]);
  });

  it('when the password is wrong and the pair mismatched, then only the password is reported', () => {
    expect(codes(inspectCsd({ ...fx.mismatched, password: 'wrong', now }))).toEqual([['private_key_password_incorrect', 'password']]);
  });

  it('when the password is wrong on a FIEL, then the password is reported and the facts still say FIEL', () => {
    const result = inspectCsd({ ...fx.fiel, password: 'wrong', now });
    expect(codes(result)).toEqual([['private_key_password_incorrect', 'password']]);
    expect(result.facts?.type).toBe('FIEL');
  });
});

describe('inspectCsd, stage 4: type and validity', () => {
  it('when it is a FIEL, then csd_required', () => {
    expect(codes(inspectCsd({ ...fx.fiel, now }))).toEqual([['csd_required', 'cer']]);
  });

  it('when the certificate has an OU and FIEL extensions, then certificate_type_ambiguous', () => {
    const pair = generateSatPair({ type: 'CSD', extensions: 'FIEL' });
    expect(codes(inspectCsd({ ...pair, now }))).toEqual([['certificate_type_ambiguous', 'cer']]);
  });

  it('when the certificate has no OU and no extendedKeyUsage, then certificate_type_ambiguous', () => {
    const pair = generateSatPair({ type: 'FIEL', extensions: 'CSD' });
    expect(codes(inspectCsd({ ...pair, now }))).toEqual([['certificate_type_ambiguous', 'cer']]);
  });

  it('when it has expired, then certificate_expired with its dates as params', () => {
    const result = inspectCsd({ ...fx.expired, now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{
      code: 'certificate_expired',
      field: 'cer',
      params: { validFrom: fx.expired.validFrom.toISOString(), validTo: fx.expired.validTo.toISOString() },
    }]);
  });

  it('when it is not valid yet, then certificate_not_yet_valid', () => {
    expect(codes(inspectCsd({ ...fx.notYetValid, now }))).toEqual([['certificate_not_yet_valid', 'cer']]);
  });

  it('when a FIEL has also expired, then both problems are reported, type first', () => {
    const pair = generateSatPair({ type: 'FIEL', validFrom: new Date('2019-01-01T00:00:00Z'), validTo: new Date('2023-01-01T00:00:00Z') });
    expect(codes(inspectCsd({ ...pair, now }))).toEqual([['csd_required', 'cer'], ['certificate_expired', 'cer']]);
  });
});

describe('inspectCsd: PEM input is relayed as DER', () => {
  it('when both files are PEM, then it is ok and relays the decoded DER', () => {
    const result = inspectCsd({ cer: toPem(valid.cer, 'CERTIFICATE'), key: toPem(valid.key, 'ENCRYPTED PRIVATE KEY'), password: valid.password, now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.cerDer.equals(valid.cer)).toBe(true);
    expect(result.keyDer.equals(valid.key)).toBe(true);
  });
});
