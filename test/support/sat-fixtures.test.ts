import { createPrivateKey, createDecipheriv, pbkdf2Sync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChildren, readTlv } from '../../src/certificates/der-reader.js';
import type { Tlv } from '../../src/certificates/der-reader.js';
import {
  certificateAuthorityKeyPair, certificateNumber, DEFAULTS, FIXTURE_REFERENCE_DATE, generateSatPair, standardFixtures,
  toPem, unencryptedPkcs8Der,
} from './sat-fixtures.js';

/** The children of the element at `path` (indexes from the root), as raw byte slices. */
function childrenAt(der: Buffer, path: number[]): Buffer[] {
  let node = readTlv(der, 0) as Tlv;
  for (const index of path) node = (readChildren(der, node) as Tlv[])[index] as Tlv;
  return (readChildren(der, node) as Tlv[]).map((child) => der.subarray(child.offset, child.end));
}
const hex = (bytes: Buffer): string => bytes.toString('hex');

describe('generated keys have SAT’s exact layout', () => {
  const pair = generateSatPair();
  const [algorithm, data] = childrenAt(pair.key, []) as [Buffer, Buffer];
  const [pbes2Oid, pbes2Params] = childrenAt(pair.key, [0]) as [Buffer, Buffer];
  const [kdf, cipher] = childrenAt(pair.key, [0, 1]) as [Buffer, Buffer];
  const [kdfOid] = childrenAt(pair.key, [0, 1, 0]);
  const kdfParams = childrenAt(pair.key, [0, 1, 0, 1]);
  const [cipherOid, iv] = childrenAt(pair.key, [0, 1, 1]) as [Buffer, Buffer];

  it('when a 2048-bit key is encrypted, then the file is 1298 bytes with a 64-byte algorithm header, like every SAT key', () => {
    expect(pair.key.length).toBe(1298);
    expect(algorithm.length).toBe(2 + 64);
    expect(data.length).toBe(4 + 1224);
    expect(pbes2Params.length).toBe(2 + 51);
  });

  it('when read back, then it is PBES2 / PBKDF2 (8-byte salt, 2048 iterations, no keyLength, no PRF) / des-ede3-cbc (8-byte IV)', () => {
    expect(hex(pbes2Oid)).toBe('06092a864886f70d01050d'); // 1.2.840.113549.1.5.13
    expect(hex(kdfOid as Buffer)).toBe('06092a864886f70d01050c'); // 1.2.840.113549.1.5.12
    expect(kdfParams).toHaveLength(2); // salt and iterations only: HMAC-SHA1 is implied
    expect(hex(kdfParams[0] as Buffer).slice(0, 4)).toBe('0408');
    expect(hex(kdfParams[1] as Buffer)).toBe('02020800');
    expect(hex(cipherOid)).toBe('06082a864886f70d0307'); // des-ede3-cbc
    expect(hex(iv).slice(0, 4)).toBe('0408');
    expect(kdf.length + cipher.length).toBe(51);
  });

  it('when decrypted by hand with PBKDF2-HMAC-SHA1 and 3DES, then it gives the PKCS#8 that Node decrypts', () => {
    const salt = (kdfParams[0] as Buffer).subarray(2);
    const key = pbkdf2Sync(pair.password, salt, 2048, 24, 'sha1');
    const decipher = createDecipheriv('des-ede3-cbc', key, iv.subarray(2));
    const plain = Buffer.concat([decipher.update(data.subarray(4)), decipher.final()]);
    expect(plain.equals(unencryptedPkcs8Der(pair))).toBe(true);
    expect(createPrivateKey({ key: pair.key, format: 'der', type: 'pkcs8', passphrase: pair.password }).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});

describe('generated certificates have SAT’s shape', () => {
  const fx = standardFixtures(FIXTURE_REFERENCE_DATE);

  it('when a CSD is generated, then the serial is the number’s ASCII bytes and the signature verifies against our CA', () => {
    const x = new X509Certificate(fx.validCsd.cer);
    expect(x.serialNumber).toBe(Buffer.from(certificateNumber(11), 'ascii').toString('hex').toUpperCase());
    expect(x.verify(certificateAuthorityKeyPair().publicKey)).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toBeUndefined();
  });

  it('when a CSD is generated, then its subject has SAT’s attributes, in SAT’s order, as PrintableString', () => {
    // Each RDN is SET { SEQUENCE { OID, value } }: skip the two 2-byte headers, read OID and value tag.
    const subject = childrenAt(fx.validCsd.cer, [0, 5]).map((rdn) => hex(rdn).slice(8, 20));
    // CN, name, O, x500UniqueIdentifier, serialNumber, OU; all PrintableString (0x13).
    expect(subject).toEqual(['060355040313', '060355042913', '060355040a13', '060355042d13', '060355040513', '060355040b13']);
    expect(new X509Certificate(fx.validCsd.cer).toLegacyObject().subject).toEqual(Object.assign(Object.create(null), {
      CN: DEFAULTS.legalName, name: DEFAULTS.legalName, O: DEFAULTS.legalName,
      x500UniqueIdentifier: 'EPR010101AB1 / XAXX010101XX0', serialNumber: ' / XEXX010101HNEXXXA4', OU: 'Sucursal 1',
    }));
  });

  it('when the subject has Ñ or &, then those values are T61String with Latin-1 bytes', () => {
    const enye = hex(fx.fisicaWithEnye.cer);
    expect(enye).toContain(`140c${Buffer.from('PEÑ800101AB1', 'latin1').toString('hex')}`);
    expect(enye).toContain(`1411${Buffer.from('ÑANDU PEREZ LOPEZ', 'latin1').toString('hex')}`);
    expect(enye).toContain(`1306${Buffer.from('Matriz').toString('hex')}`); // ASCII stays PrintableString
    expect(hex(fx.moralWithAmpersand.cer)).toContain(`141c${Buffer.from('A&B010101AB1 / XAXX010101XX0', 'latin1').toString('hex')}`);
  });

  it('when the CSD and FIEL extensions are read, then they carry SAT’s exact values', () => {
    const csd = hex(fx.validCsd.cer);
    const fiel = hex(fx.fiel.cer);
    expect(csd).toContain('300c0603551d130101ff04023000'); // basicConstraints critical CA:FALSE
    expect(csd).toContain('300b0603551d0f0404030206c0'); // digitalSignature, nonRepudiation
    expect(csd).not.toContain('0603551d25');
    expect(fiel).toContain('300b0603551d0f0404030203d8');
    expect(fiel).toContain('301106096086480186f8420101040403020' + '5a0'); // nsCertType client, email
    expect(fiel).toContain('301d0603551d250416301406082b0601050507030406082b06010505070302');
    expect(new X509Certificate(fx.fiel.cer).keyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.2']);
  });

  it('when a FIEL is generated, then it has C=MX and an email and no OU', () => {
    const subject = new X509Certificate(fx.fiel.cer).toLegacyObject().subject as unknown as Record<string, string>;
    expect(subject['C']).toBe('MX');
    expect(subject['emailAddress']).toBe(DEFAULTS.fielEmail);
    expect(subject['OU']).toBeUndefined();
  });

  it('when dates carry milliseconds, then the certificate and the returned pair use whole seconds', () => {
    const pair = generateSatPair({ validFrom: new Date('2025-01-01T00:00:00.900Z'), validTo: new Date('2051-06-01T00:00:00Z') });
    expect(pair.validFrom.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    // From 2050 on, RFC 5280 needs GeneralizedTime; Node must still read the date.
    expect(new Date(new X509Certificate(pair.cer).validTo).toISOString()).toBe('2051-06-01T00:00:00.000Z');
  });

  it('when toPem is used, then Node reads the same certificate back', () => {
    expect(new X509Certificate(toPem(fx.validCsd.cer, 'CERTIFICATE')).raw.equals(fx.validCsd.cer)).toBe(true);
  });
});

describe('certificateNumber', () => {
  it('when indexes differ, then numbers differ and are 20 digits in SAT’s test range', () => {
    const numbers = Array.from({ length: 5000 }, (_, i) => certificateNumber(i * 19_997));
    expect(new Set(numbers).size).toBe(5000);
    for (const n of numbers) expect(n).toMatch(/^3000\d{16}$/);
    expect(certificateNumber(1)).toBe(DEFAULTS.certificateNumber);
  });

  it('when the index is out of range, then it throws instead of wrapping', () => {
    expect(() => certificateNumber(100_000_000)).toThrow(RangeError);
    expect(() => certificateNumber(-1)).toThrow(RangeError);
  });
});

const samplesDir = process.env['SAT_SAMPLES_DIR'];
describe.skipIf(!samplesDir)('generated certificates against the shared synthetic sample (needs SAT_SAMPLES_DIR)', () => {
  it('when generated with csd-synthetic-fisica’s values, then version to subject are byte-identical to the sample', () => {
    const sample = readFileSync(join(samplesDir ?? '', 'csd-synthetic-fisica.cer'));
    const ours = generateSatPair({
      rfc: 'PEÑ800101AB1', representativeRfc: null, curp: 'PELN800101HDFRPN09', representativeCurp: null,
      legalName: 'ÑANDU PEREZ LOPEZ', branch: 'Matriz', certificateNumber: '30001000000900000004',
      validFrom: new Date('2024-01-01T00:00:00Z'), validTo: new Date('2034-01-01T00:00:00Z'),
    });
    // TBS fields: version, serial, signature algorithm, issuer, validity, subject, public key, extensions.
    // The sample (made with `openssl ca`) also carries SKI/AKI, which real SAT certificates do not,
    // so extensions are compared with SAT's own certificates below instead.
    expect(childrenAt(ours.cer, [0]).slice(0, 6).map(hex)).toEqual(childrenAt(sample, [0]).slice(0, 6).map(hex));
  });

  it('when a CSD and a FIEL are generated, then their extensions are byte-identical to SAT’s real ones', () => {
    const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
    const extensionsOf = (der: Buffer): string => hex(childrenAt(der, [0])[7] as Buffer);
    expect(extensionsOf(fx.validCsd.cer)).toBe(extensionsOf(readFileSync(join(samplesDir ?? '', 'csd-EKU9003173C9.cer'))));
    expect(extensionsOf(fx.fiel.cer)).toBe(extensionsOf(readFileSync(join(samplesDir ?? '', 'fiel-EKU9003173C9.cer'))));
  });
});
