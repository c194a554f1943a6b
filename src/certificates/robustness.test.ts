import { describe, expect, it } from 'vitest';
import { FIXTURE_REFERENCE_DATE, generateSatPair, toPem } from '../../fixtures/index.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import { inspectCsd, readCertificate } from './index.js';
import type { Inspection, ProblemCode } from './index.js';

const now = FIXTURE_REFERENCE_DATE;
const pair = generateSatPair();

/** Runs the inspector and returns the first problem code, failing the test on a throw. */
function firstCode(input: { cer: Buffer; key: Buffer; password: string }): ProblemCode | 'ok' {
  let result: Inspection | undefined;
  expect(() => { result = inspectCsd({ ...input, now }); }).not.toThrow();
  if (!result) throw new Error('no result');
  return result.ok ? 'ok' : (result.problems[0]?.code ?? 'ok');
}

describe('truncated files', () => {
  it('when the cer is cut at every length, then each is unreadable (empty: required) and nothing throws', () => {
    for (let length = 0; length < pair.cer.length; length += 1) {
      const expected = length === 0 ? 'certificate_file_required' : 'certificate_files_invalid';
      expect([length, firstCode({ ...pair, cer: pair.cer.subarray(0, length) })]).toEqual([length, expected]);
    }
  });

  it('when the key is cut at every length, then each is unreadable (empty: required) and nothing throws', () => {
    for (let length = 0; length < pair.key.length; length += 1) {
      const expected = length === 0 ? 'private_key_file_required' : 'certificate_files_invalid';
      expect([length, firstCode({ ...pair, key: pair.key.subarray(0, length) })]).toEqual([length, expected]);
    }
  });

  it('when PEM files are cut at every length, then nothing throws and no cut is accepted before the END line', () => {
    const cerPem = toPem(pair.cer, 'CERTIFICATE');
    const keyPem = toPem(pair.key, 'ENCRYPTED PRIVATE KEY');
    const endOf = (pem: Buffer): number => pem.lastIndexOf('-----') + 5;
    for (let length = 1; length < cerPem.length; length += 1) {
      const code = firstCode({ ...pair, cer: cerPem.subarray(0, length) });
      expect([length, code]).toEqual([length, length >= endOf(cerPem) ? 'ok' : 'certificate_files_invalid']);
    }
    for (let length = 1; length < keyPem.length; length += 1) {
      const code = firstCode({ ...pair, key: keyPem.subarray(0, length) });
      expect([length, code]).toEqual([length, length >= endOf(keyPem) ? 'ok' : 'certificate_files_invalid']);
    }
  });
});

describe('random and hostile input (seeded, reproducible)', () => {
  it('when the cer and key are random bytes, then they are unreadable and nothing throws', () => {
    const random = seededRandom(20260115);
    for (let round = 0; round < 400; round += 1) {
      const length = random.int(1, 3000);
      // Half the rounds start like DER (SEQUENCE, long length) to get past the first byte.
      const bytes = random.bytes(length);
      if (round % 2 === 0 && length > 4) bytes.set([0x30, 0x82, (length - 4) >> 8, (length - 4) & 0xff]);
      expect([round, firstCode({ ...pair, cer: bytes })]).toEqual([round, 'certificate_files_invalid']);
      expect([round, firstCode({ ...pair, key: bytes })]).toEqual([round, 'certificate_files_invalid']);
      expect(readCertificate(bytes)).toBeNull();
    }
  });

  it('when single bytes of valid files are corrupted, then nothing throws and the outcome is a known one', () => {
    const random = seededRandom(7);
    const allowed = new Set(['ok', 'certificate_files_invalid', 'certificate_invalid', 'private_key_password_incorrect',
      'private_key_certificate_mismatch', 'private_key_encryption_unsupported', 'private_key_parameters_excessive', 'private_key_unencrypted',
      'certificate_expired', 'certificate_not_yet_valid', 'certificate_type_ambiguous', 'csd_required']);
    for (let round = 0; round < 150; round += 1) {
      const cer = Buffer.from(pair.cer);
      const key = Buffer.from(pair.key);
      cer[random.int(0, cer.length - 1)] = random.int(0, 255);
      key[random.int(0, key.length - 1)] = random.int(0, 255);
      expect(allowed).toContain(firstCode({ cer, key: pair.key, password: pair.password }));
      expect(allowed).toContain(firstCode({ cer: pair.cer, key, password: pair.password }));
    }
  });

  it('when a corrupted key still decrypts to garbage, then it is never accepted', () => {
    // Flipping a byte of the ciphertext breaks the padding or the inner DER: never "ok".
    const key = Buffer.from(pair.key);
    key[key.length - 20] = (key[key.length - 20] as number) ^ 0xff;
    expect(firstCode({ ...pair, key })).not.toBe('ok');
  });

  it('when files are huge (10 MB), then they are rejected as unreadable without parsing', () => {
    const huge = Buffer.concat([pair.cer, Buffer.alloc(10 * 1024 * 1024)]);
    expect(firstCode({ ...pair, cer: huge })).toBe('certificate_files_invalid');
    expect(firstCode({ ...pair, key: huge })).toBe('certificate_files_invalid');
  });

  const junk: Array<[string, string]> = [
    ['a BEGIN line only', '-----BEGIN CERTIFICATE-----\n'],
    ['an empty PEM block', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'],
    ['PEM with junk inside', '-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n'],
    ['PEM with valid base64 of junk', '-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n'],
    ['mismatched BEGIN/END labels', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n'],
    ['whitespace only', ' \r\n\t '],
    ['a BOM only', '\ufeff'],
    ['DER turned into UTF-8 text', pair.cer.toString('utf8')],
  ];
  it.each(junk)('when a file is %s, then it is unreadable', (_name, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(firstCode({ ...pair, cer: bytes })).toBe('certificate_files_invalid');
    expect(firstCode({ ...pair, key: bytes })).toBe('certificate_files_invalid');
  });

  it('when a JavaScript caller passes undefined, null or numbers, then it reports required fields instead of throwing', () => {
    const bad = { cer: undefined, key: null, password: 42, now } as unknown as Parameters<typeof inspectCsd>[0];
    const result = inspectCsd(bad);
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toEqual(['certificate_file_required', 'private_key_file_required', 'password_required']);
    expect(() => inspectCsd(undefined as unknown as Parameters<typeof inspectCsd>[0])).not.toThrow();
  });
});
