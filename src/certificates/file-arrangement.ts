/**
 * Which file is in which field, judged by content, never by name: people pick the `.key` in the
 * certificate field and the `.cer` in the key field, or hand over the `.pfx`/`.p12` bundle other
 * tools export. Both files swapped is taken as intended (the inspection says so); one field
 * holding the wrong kind while the other holds the same kind is explained; PKCS#12 is refused
 * with how to get the `.cer` and `.key`. Bounded like the rest of the inspector: each reader
 * refuses more than MAX_FILE_BYTES, and bytes are only compared, never decoded as text.
 */
import { decodeCertificate, MAX_FILE_BYTES, type DecodedCertificate } from './certificate-input.js';
import { classifyKey } from './key-input.js';
import type { Problem } from './types.js';

export type Arrangement =
  /** `certificate` is the decoded `cer` (null when it is not one; stage 1 then says why). */
  | { ok: true; cer: Buffer; key: Buffer; certificate: DecodedCertificate | null; swapped: boolean }
  | { ok: false; problems: Problem[] };

// PFX = SEQUENCE { INTEGER 3, ContentInfo SEQUENCE { OID pkcs7-data | pkcs7-signedData, … }, … }.
const PKCS7_OID_PREFIX = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07]);

/** A PKCS#12 (`.pfx`/`.p12`), DER or BER (indefinite lengths, as Java and old Windows write). */
export function isPkcs12(bytes: Buffer): boolean {
  if (bytes.length < 24 || bytes.length > MAX_FILE_BYTES || bytes[0] !== 0x30) return false;
  const lengthByte = bytes[1] as number;
  // 0x80 is BER's indefinite length; 0x81..0x84 say how many length bytes follow.
  const headerLength = lengthByte === 0x80 || lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  if (lengthByte > 0x84) return false;
  let at = headerLength;
  if (bytes[at] !== 0x02 || bytes[at + 1] !== 0x01 || bytes[at + 2] !== 0x03) return false;
  at += 3;
  if (bytes[at] !== 0x30) return false;
  const inner = bytes[at + 1] as number;
  at += inner === 0x80 || inner < 0x80 ? 2 : 2 + (inner & 0x7f);
  const oid = bytes.subarray(at, at + PKCS7_OID_PREFIX.length + 1);
  return oid.subarray(0, PKCS7_OID_PREFIX.length).equals(PKCS7_OID_PREFIX) && (oid[PKCS7_OID_PREFIX.length] === 0x01 || oid[PKCS7_OID_PREFIX.length] === 0x02);
}

const isKey = (bytes: Buffer) => bytes.length > 0 && classifyKey(bytes).kind !== 'invalid';

/** Puts the files where they belong, or says what is wrong with where they are. Never throws. */
export function arrangeFiles(cer: Buffer, key: Buffer): Arrangement {
  const pkcs12: Problem[] = [];
  if (isPkcs12(cer)) pkcs12.push({ code: 'pkcs12_file', field: 'cer' });
  if (isPkcs12(key)) pkcs12.push({ code: 'pkcs12_file', field: 'key' });
  if (pkcs12.length > 0) return { ok: false, problems: pkcs12 };

  const certificate = cer.length > 0 ? decodeCertificate(cer) : null;
  if (certificate) {
    // Two certificates: the .key field got the .cer (again).
    if (key.length > 0 && !isKey(key) && decodeCertificate(key)) return { ok: false, problems: [{ code: 'key_field_has_certificate', field: 'key' }] };
    return { ok: true, cer, key, certificate, swapped: false };
  }
  if (isKey(cer)) {
    const keyAsCertificate = key.length > 0 && !isKey(key) ? decodeCertificate(key) : null;
    // Each file is in the other's field: use them as meant.
    if (keyAsCertificate) return { ok: true, cer: key, key: cer, certificate: keyAsCertificate, swapped: true };
    return { ok: false, problems: [{ code: 'certificate_field_has_key', field: 'cer' }] };
  }
  return { ok: true, cer, key, certificate: null, swapped: false };
}
