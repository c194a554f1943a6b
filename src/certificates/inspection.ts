import type { KeyObject } from 'node:crypto';
import type { DecodedCertificate } from './certificate-input.js';
import { arrangeFiles } from './file-arrangement.js';
import { readFacts } from './certificate-facts.js';
import type { FactsReading } from './certificate-facts.js';
import { decryptPrivateKey } from './key-decryption.js';
import { readKeyEncryption } from './key-encryption-parameters.js';
import type { KeyEncryptionReading } from './key-encryption-parameters.js';
import { classifyKey } from './key-input.js';
import { isWithinRsaBounds } from './rsa-key-bounds.js';
import { isConsistentRsaKey } from './rsa-key-consistency.js';
import type { CertificateFacts, Inspection, Problem, ProblemCode } from './types.js';

/** What `inspectCsd` needs. `now` is a parameter so callers and tests control the clock. */
export interface CsdInput {
  cer: Buffer;
  key: Buffer;
  /** Exactly as typed: never trimmed or normalised. */
  password: string;
  now: Date;
  /** Which credential is wanted: a CSD (the default) or the e.firma (FIEL); the other is refused. */
  expect?: 'CSD' | 'FIEL';
}

/**
 * Checks that a `.cer`, a `.key` and a password form a usable SAT CSD, and returns the bytes to
 * relay. Never throws. Problems come in stages, each stopping the next:
 * 1. missing or unreadable inputs, and inputs whose cost the file chooses beyond SAT's (all
 *    fields reported together; nothing is derived or computed from a file refused here);
 * 2. the password (the pair cannot be checked without the decrypted key);
 * 3. key ↔ certificate mismatch;
 * 4. type (FIEL, ambiguous) and validity: every one that applies.
 */
export function inspectCsd(input: CsdInput): Inspection {
  try {
    return inspect(input);
  } catch {
    // Unreachable by design (every step catches its own errors); kept so a caller never sees a throw.
    return { ok: false, problems: [{ code: 'certificate_files_invalid', field: null }], facts: null };
  }
}

function inspect(input: CsdInput): Inspection {
  // Stage 0: which file is which, by content (file-arrangement.ts); PKCS#12 stops here.
  const arranged = arrangeFiles(asBuffer(input?.cer), asBuffer(input?.key));
  if (!arranged.ok) return { ok: false, problems: arranged.problems, facts: null };
  const { cer, key, swapped } = arranged;
  const inspection = inspectArranged(cer, key, arranged.certificate, input);
  return swapped ? { ...inspection, swapped } : inspection;
}

function inspectArranged(cer: Buffer, key: Buffer, decoded: DecodedCertificate | null, input: CsdInput): Inspection {
  const password = typeof input?.password === 'string' ? input.password : '';
  const problems: Problem[] = [];

  // Stage 1. An empty buffer is what a form with no file chosen sends: "required", not "invalid".
  let certificate: DecodedCertificate | null = null;
  let reading: FactsReading | null = null;
  if (cer.length === 0) problems.push({ code: 'certificate_file_required', field: 'cer' });
  else if (!(certificate = decoded)) problems.push({ code: 'certificate_files_invalid', field: 'cer' });
  else if (!(reading = readFacts(certificate.x509)).ok) {
    problems.push({ code: 'certificate_invalid', field: 'cer', params: { reason: reading.reason } });
  } else if (!isWithinRsaBounds(certificate.x509.publicKey)) problems.push({ code: 'certificate_parameters_excessive', field: 'cer' });
  const keyInput = key.length === 0 ? null : classifyKey(key);
  if (!keyInput) problems.push({ code: 'private_key_file_required', field: 'key' });
  else if (keyInput.kind === 'invalid') problems.push({ code: 'certificate_files_invalid', field: 'key' });
  else if (keyInput.kind === 'unencrypted') problems.push({ code: 'private_key_unencrypted', field: 'key' });
  else if (keyInput.kind === 'legacy') problems.push({ code: 'private_key_encryption_unsupported', field: 'key' });
  else {
    // Before any decryption: the file chooses the derivation's cost (key-encryption-parameters.ts).
    const refusal = encryptionProblem(readKeyEncryption(keyInput.der));
    if (refusal) problems.push({ code: refusal, field: 'key' });
  }
  if (password === '') problems.push({ code: 'password_required', field: 'password' });

  const facts = reading?.ok ? reading.facts : null;
  if (problems.length > 0 || !certificate || !reading?.ok || keyInput?.kind !== 'encrypted-pkcs8') {
    return { ok: false, problems, facts };
  }

  // Stage 2.
  const decryption = decryptPrivateKey(keyInput.der, password);
  if (!decryption.ok) {
    const code = decryption.reason === 'encryption_unsupported' ? 'private_key_encryption_unsupported' : 'private_key_password_incorrect';
    return { ok: false, problems: [{ code, field: code === 'private_key_password_incorrect' ? 'password' : 'key' }], facts };
  }

  // Sizes first: the consistency check and the pairing do arithmetic on the key's numbers.
  if (!isWithinRsaBounds(decryption.privateKey)) {
    return { ok: false, problems: [{ code: 'private_key_parameters_excessive', field: 'key' }], facts };
  }

  // A damaged key can decrypt and still pair (the public half is intact): not the user's file.
  if (!isConsistentRsaKey(decryption.privateKey)) {
    return { ok: false, problems: [{ code: 'certificate_files_invalid', field: 'key' }], facts };
  }

  // Stage 3.
  if (!belongsTo(certificate, decryption.privateKey)) {
    return { ok: false, problems: [{ code: 'private_key_certificate_mismatch', field: 'key' }], facts };
  }

  // Stage 4.
  const late = [...typeProblems(reading.facts, reading.typeSignalsAgree, input.expect ?? 'CSD'), ...validityProblems(reading.facts, input.now)];
  if (late.length > 0) return { ok: false, problems: late, facts };
  return { ok: true, facts: reading.facts, cerDer: certificate.der, keyDer: keyInput.der };
}

const ENCRYPTION_PROBLEMS: Record<Exclude<KeyEncryptionReading, { ok: true }>['verdict'], ProblemCode> = {
  // A damaged algorithm header is a damaged file, never "wrong password".
  malformed: 'certificate_files_invalid',
  unsupported: 'private_key_encryption_unsupported',
  excessive: 'private_key_parameters_excessive',
};

function encryptionProblem(reading: KeyEncryptionReading): ProblemCode | null {
  return reading.ok ? null : ENCRYPTION_PROBLEMS[reading.verdict];
}

function belongsTo(certificate: DecodedCertificate, privateKey: KeyObject): boolean {
  try {
    return certificate.x509.checkPrivateKey(privateKey);
  } catch {
    return false; // e.g. a non-RSA key: certainly not this certificate's.
  }
}

function typeProblems(facts: CertificateFacts, signalsAgree: boolean, expected: 'CSD' | 'FIEL'): Problem[] {
  if (!signalsAgree) return [{ code: 'certificate_type_ambiguous', field: 'cer' }];
  if (facts.type === expected) return [];
  return [{ code: expected === 'CSD' ? 'csd_required' : 'fiel_required', field: 'cer' }];
}

/** Inclusive at both ends, like phpcfdi's validOn(). An invalid `now` fails closed (both problems). */
function validityProblems(facts: CertificateFacts, now: Date): Problem[] {
  const at = now instanceof Date ? now.getTime() : Number.NaN;
  const params = { validFrom: facts.validFrom.toISOString(), validTo: facts.validTo.toISOString() };
  const problems: Problem[] = [];
  if (!(facts.validFrom.getTime() <= at)) problems.push({ code: 'certificate_not_yet_valid', field: 'cer', params });
  if (!(at <= facts.validTo.getTime())) problems.push({ code: 'certificate_expired', field: 'cer', params });
  return problems;
}

/** Tolerates JS callers passing undefined, strings or Uint8Arrays; anything else is "no file". */
function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'latin1');
  return Buffer.alloc(0);
}
