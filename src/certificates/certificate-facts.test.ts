import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, standardFixtures } from '../../fixtures/index.js';
import { readCertificate } from './index.js';

const fx = standardFixtures(FIXTURE_REFERENCE_DATE);

describe('readCertificate: the facts of a persona moral CSD', () => {
  const facts = readCertificate(fx.validCsd.cer);

  it('when the subject is SAT-shaped, then every fact is read from its attribute', () => {
    expect(facts).toEqual({
      type: 'CSD',
      rfc: 'EPR010101AB1',
      representativeRfc: 'XAXX010101XX0',
      curp: null,
      representativeCurp: 'XEXX010101HNEXXXA4',
      legalName: 'EMPRESA DE PRUEBA SA DE CV',
      branch: 'Sucursal 1',
      certificateNumber: certificateNumber(11),
      validFrom: fx.validCsd.validFrom,
      validTo: fx.validCsd.validTo,
      issuer: { commonName: 'AC DE PRUEBAS SINTETICA', organization: 'NO ES EL SAT' },
      isSatTest: true,
      fingerprintSha256: createHash('sha256').update(fx.validCsd.cer).digest('hex'),
    });
  });
});

describe('readCertificate: non-ASCII subjects (T61String, Latin-1)', () => {
  it('when the RFC and name contain Ñ, then they come out with Ñ, and the CURP is the holder’s', () => {
    expect(readCertificate(fx.fisicaWithEnye.cer)).toMatchObject({
      rfc: 'PEÑ800101AB1',
      representativeRfc: null,
      curp: 'PELN800101HDFRPN09',
      representativeCurp: null,
      legalName: 'ÑANDU PEREZ LOPEZ',
      branch: 'Matriz',
    });
  });

  it('when the RFC and name contain &, then they come out with &', () => {
    expect(readCertificate(fx.moralWithAmpersand.cer)).toMatchObject({ rfc: 'A&B010101AB1', legalName: 'A&B CONSULTORES SA DE CV' });
  });

  it('when a persona física also has a representative CURP, then both CURPs are read', () => {
    const pair = generateSatPair({ representativeRfc: null, curp: 'PELN800101HDFRPN09', representativeCurp: 'XEXX010101HNEXXXA4' });
    expect(readCertificate(pair.cer)).toMatchObject({ curp: 'PELN800101HDFRPN09', representativeCurp: 'XEXX010101HNEXXXA4' });
  });

  it('when there is no serialNumber attribute, then both CURPs are null', () => {
    const pair = generateSatPair({ curp: null, representativeCurp: null });
    expect(readCertificate(pair.cer)).toMatchObject({ curp: null, representativeCurp: null });
  });
});

describe('readCertificate: type', () => {
  it('when it is a FIEL, then type is FIEL and there is no branch', () => {
    expect(readCertificate(fx.fiel.cer)).toMatchObject({ type: 'FIEL', branch: null });
  });
});

describe('readCertificate: unusable certificates', () => {
  it('when the bytes are not a certificate, then null', () => {
    expect(readCertificate(Buffer.from('hola'))).toBeNull();
    expect(readCertificate(Buffer.alloc(0))).toBeNull();
  });

  it('when the serial is not 20 ASCII digits, then null', () => {
    expect(readCertificate(generateSatPair({ certificateNumber: '123' }).cer)).toBeNull();
  });

  it('when the RFC is missing its check digits, then null', () => {
    expect(readCertificate(generateSatPair({ rfc: 'EPR010101' }).cer)).toBeNull();
  });
});
