import { describe, expect, it } from 'vitest';
import { legacyPkcs1Pem, pkcs1Der } from '../../fixtures/legacy-keys.js';
import { FIXTURE_REFERENCE_DATE, generateSatPair, toPem, unencryptedPkcs8Der } from '../../fixtures/index.js';
import { inspectCsd, readCertificate } from './index.js';
import type { Inspection } from './index.js';

const now = FIXTURE_REFERENCE_DATE;
const pair = generateSatPair();
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const crlf = (pem: Buffer): Buffer => Buffer.from(pem.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');

function relayed(result: Inspection): { cer: Buffer; key: Buffer } {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.problems)}`);
  return { cer: result.cerDer, key: result.keyDer };
}

describe('accepted .cer encodings', () => {
  const cerPem = toPem(pair.cer, 'CERTIFICATE');
  const variants: Array<[string, Buffer]> = [
    ['PEM', cerPem],
    ['PEM with CRLF line endings', crlf(cerPem)],
    ['PEM with a UTF-8 BOM', Buffer.concat([BOM, cerPem])],
    ['PEM preceded by text', Buffer.concat([Buffer.from('Bag Attributes\n    localKeyID: 01\nsubject=/CN=x\n'), cerPem])],
    ['bare base64 of the DER', Buffer.from(pair.cer.toString('base64'))],
    ['base64 wrapped at 76 columns with CRLF', Buffer.from((pair.cer.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'))],
    ['base64 with a BOM', Buffer.concat([BOM, Buffer.from(pair.cer.toString('base64'))])],
  ];
  it.each(variants)('when the cer is %s, then it is ok and the DER is relayed', (_name, cer) => {
    expect(relayed(inspectCsd({ ...pair, cer, now })).cer.equals(pair.cer)).toBe(true);
  });

  it('when DER has trailing garbage, then exactly the certificate DER is relayed, without the garbage', () => {
    const cer = Buffer.concat([pair.cer, Buffer.from([0x00, 0x0a, 0xff])]);
    const out = relayed(inspectCsd({ ...pair, cer, now })).cer;
    expect(out.equals(pair.cer)).toBe(true);
    expect(out.length).toBe(pair.cer.length);
  });

  it('when readCertificate gets PEM, then it reads the same facts as from DER', () => {
    expect(readCertificate(cerPem)).toEqual(readCertificate(pair.cer));
  });

  it('when base64 has a character outside the alphabet, then the cer is invalid', () => {
    const text = pair.cer.toString('base64');
    const cer = Buffer.from(`${text.slice(0, 100)}*${text.slice(100)}`);
    expect(inspectCsd({ ...pair, cer, now })).toMatchObject({ ok: false, problems: [{ code: 'certificate_files_invalid', field: 'cer' }] });
  });

  it('when a PEM file holds a key instead of a certificate (and the key field a key too), then the cer field is said to hold a key', () => {
    const cer = toPem(pair.key, 'ENCRYPTED PRIVATE KEY');
    expect(inspectCsd({ ...pair, cer, now })).toMatchObject({ ok: false, problems: [{ code: 'certificate_field_has_key', field: 'cer' }] });
  });
});

describe('accepted .key encodings', () => {
  const keyPem = toPem(pair.key, 'ENCRYPTED PRIVATE KEY');
  const variants: Array<[string, Buffer]> = [
    ['PEM', keyPem],
    ['PEM with CRLF line endings', crlf(keyPem)],
    ['PEM with a UTF-8 BOM', Buffer.concat([BOM, keyPem])],
  ];
  it.each(variants)('when the key is encrypted PKCS#8 %s, then it is ok and the DER is relayed', (_name, key) => {
    expect(relayed(inspectCsd({ ...pair, key, now })).key.equals(pair.key)).toBe(true);
  });

  it('when the DER key has trailing garbage, then only the key DER is relayed', () => {
    const key = Buffer.concat([pair.key, Buffer.from('\r\n')]);
    expect(relayed(inspectCsd({ ...pair, key, now })).key.equals(pair.key)).toBe(true);
  });
});

describe('rejected .key encodings', () => {
  const plain = unencryptedPkcs8Der(pair);
  const cases: Array<[string, Buffer, string]> = [
    ['unencrypted PKCS#8 DER', plain, 'private_key_unencrypted'],
    ['unencrypted PKCS#8 PEM', toPem(plain, 'PRIVATE KEY'), 'private_key_unencrypted'],
    // The label says encrypted, the content is not: the structure wins.
    ['unencrypted PKCS#8 under an ENCRYPTED label', toPem(plain, 'ENCRYPTED PRIVATE KEY'), 'private_key_unencrypted'],
    ['unencrypted PKCS#1 DER', pkcs1Der(pair), 'private_key_unencrypted'],
    ['legacy encrypted PKCS#1 PEM', legacyPkcs1Pem(pair, pair.password), 'private_key_encryption_unsupported'],
    ['legacy unencrypted PKCS#1 PEM', legacyPkcs1Pem(pair, null), 'private_key_encryption_unsupported'],
    ['a PEM with no END line', Buffer.from(keyPemWithoutEnd()), 'certificate_files_invalid'],
    // Both fields hold the certificate: said as such (file-arrangement.ts).
    ['the certificate', pair.cer, 'key_field_has_certificate'],
  ];
  it.each(cases)('when the key is %s, then %s on key', (_name, key, code) => {
    const result = inspectCsd({ ...pair, key, now });
    expect(result).toMatchObject({ ok: false, problems: [{ code, field: 'key' }] });
  });

  it('when the key is unencrypted, then it is reported with any password (Node would accept any)', () => {
    const result = inspectCsd({ ...pair, key: plain, password: 'anything at all', now });
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'private_key_unencrypted' }] });
  });
});

function keyPemWithoutEnd(): string {
  return toPem(pair.key, 'ENCRYPTED PRIVATE KEY').toString('latin1').replace(/-----END[^]*$/, '');
}
