import { describe, expect, it } from 'vitest';
import { FIXTURE_REFERENCE_DATE, pkcs12Container, standardFixtures, toPem } from '../../fixtures/index.js';
import { arrangeFiles, isPkcs12 } from './file-arrangement.js';
import { inspectCsd } from './inspection.js';

const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
const { cer, key, password } = fx.validCsd;

describe('which file is in which field, by content', () => {
  it('takes the files as they are when they are in place', () => {
    expect(arrangeFiles(cer, key)).toMatchObject({ ok: true, swapped: false });
  });

  it('uses swapped files as meant, DER and PEM alike, and the inspection says so', () => {
    expect(arrangeFiles(key, cer)).toMatchObject({ ok: true, swapped: true, cer, key });
    expect(arrangeFiles(toPem(key, 'ENCRYPTED PRIVATE KEY'), toPem(cer, 'CERTIFICATE'))).toMatchObject({ ok: true, swapped: true });
    const inspection = inspectCsd({ cer: key, key: cer, password, now: FIXTURE_REFERENCE_DATE });
    expect(inspection).toMatchObject({ ok: true, swapped: true });
    expect(inspection.ok && inspection.cerDer.equals(cer) && inspection.keyDer.equals(key)).toBe(true);
  });

  it('explains a key in both fields and a certificate in both fields', () => {
    expect(arrangeFiles(key, key)).toEqual({ ok: false, problems: [{ code: 'certificate_field_has_key', field: 'cer' }] });
    expect(arrangeFiles(cer, cer)).toEqual({ ok: false, problems: [{ code: 'key_field_has_certificate', field: 'key' }] });
  });

  it('recognises a PKCS#12 bundle in either field, DER or BER, and nothing else as one', () => {
    const pfx = pkcs12Container(fx.validCsd);
    expect(isPkcs12(pfx)).toBe(true);
    expect(isPkcs12(pkcs12Container(fx.validCsd, { indefinite: true }))).toBe(true);
    expect(isPkcs12(cer) || isPkcs12(key) || isPkcs12(Buffer.from('30800201033080', 'hex'))).toBe(false);
    expect(arrangeFiles(pfx, pfx)).toEqual({ ok: false, problems: [{ code: 'pkcs12_file', field: 'cer' }, { code: 'pkcs12_file', field: 'key' }] });
    expect(arrangeFiles(cer, pfx)).toEqual({ ok: false, problems: [{ code: 'pkcs12_file', field: 'key' }] });
  });

  it('never looks at more than the size limit', () => {
    const huge = Buffer.concat([pkcs12Container(fx.validCsd), Buffer.alloc(70 * 1024)]);
    expect(isPkcs12(huge)).toBe(false);
  });
});
