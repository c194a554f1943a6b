import { describe, expect, it } from 'vitest';
import { generateSatPair } from '../../fixtures/index.js';
import { isSatTestCertificate, readCertificate } from './index.js';

const PRODUCTION_NUMBER = '00001000000413053762';

describe('isSatTestCertificate', () => {
  it('when the issuer is SAT production and the number starts 0000, then it is not a test certificate', () => {
    for (const issuer of [
      { commonName: 'A.C. del Servicio de Administración Tributaria', organization: 'Servicio de Administración Tributaria' },
      { commonName: 'AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA', organization: 'SERVICIO DE ADMINISTRACION TRIBUTARIA' },
      { commonName: 'AUTORIDAD CERTIFICADORA', organization: '  Servicio  de Administracion Tributaria ' },
    ]) {
      expect([issuer.commonName, isSatTestCertificate(issuer, PRODUCTION_NUMBER)]).toEqual([issuer.commonName, false]);
    }
  });

  it('when the issuer is SAT’s current test CA (AC UAT), then it is a test certificate', () => {
    expect(isSatTestCertificate({ commonName: 'AC UAT', organization: 'SERVICIO DE ADMINISTRACION TRIBUTARIA' }, PRODUCTION_NUMBER)).toBe(true);
  });

  it('when the issuer is SAT’s older test CA, then it is a test certificate', () => {
    const issuer = { commonName: 'A.C. 2 de pruebas(4096)', organization: 'Servicio de Administración Tributaria' };
    expect(isSatTestCertificate(issuer, PRODUCTION_NUMBER)).toBe(true);
  });

  it('when the issuer organization is not SAT, then it is a test certificate', () => {
    expect(isSatTestCertificate({ commonName: 'AC DE PRUEBAS SINTETICA', organization: 'NO ES EL SAT' }, PRODUCTION_NUMBER)).toBe(true);
    expect(isSatTestCertificate({ commonName: null, organization: null }, PRODUCTION_NUMBER)).toBe(true);
  });

  it('when the number is in the 3000 test range, then it is a test certificate even from a production issuer', () => {
    const issuer = { commonName: 'AUTORIDAD CERTIFICADORA', organization: 'Servicio de Administración Tributaria' };
    expect(isSatTestCertificate(issuer, '30001000000500003416')).toBe(true);
  });

  it('when a certificate comes from our generator, then readCertificate marks it isSatTest', () => {
    expect(readCertificate(generateSatPair().cer)?.isSatTest).toBe(true);
  });

  it('when our generator uses a production-looking number, then the non-SAT issuer alone marks it isSatTest', () => {
    expect(readCertificate(generateSatPair({ certificateNumber: PRODUCTION_NUMBER }).cer)?.isSatTest).toBe(true);
  });
});
