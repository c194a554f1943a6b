/** Which kind of SAT certificate a `.cer` is: a CSD (seal) or a FIEL / e.firma (signature). */
export type CertificateType = 'CSD' | 'FIEL';

/** What we read from a SAT certificate. Every field comes from the certificate itself. */
export interface CertificateFacts {
  /** By subject OU, the rule every SAT library uses (csd.md §3). See `certificate_type_ambiguous`. */
  type: CertificateType;
  /** Holder RFC, e.g. `EKU9003173C9` or `PEÑ800101AB1` (Ñ and & preserved). */
  rfc: string;
  /** Persona moral: the legal representative's RFC. */
  representativeRfc: string | null;
  /** Holder CURP (persona física), else null. */
  curp: string | null;
  /** Persona moral: the representative's CURP. */
  representativeCurp: string | null;
  /** Subject `name` (2.5.4.41), falling back to O, then CN. Includes the régimen societario. */
  legalName: string;
  /** Subject OU ("sucursal"). */
  branch: string | null;
  /** SAT's NoCertificado: the serial number's bytes read as ASCII (20 digits). */
  certificateNumber: string;
  validFrom: Date;
  validTo: Date;
  issuer: { commonName: string | null; organization: string | null };
  /** Issued by a SAT test CA or in SAT's test number range (see `sat-test-issuer.ts`). */
  isSatTest: boolean;
  /** Lower-case hex SHA-256 of the certificate DER. */
  fingerprintSha256: string;
}

/** Why an upload cannot be relayed. Stable codes: the UI maps them to messages. */
export type ProblemCode =
  | 'certificate_file_required'
  | 'private_key_file_required'
  | 'password_required'
  /** The .cer or .key is unreadable: garbage, truncated, or the wrong kind of file. */
  | 'certificate_files_invalid'
  /** Parses, but is not a usable SAT certificate (serial not 20 digits, no RFC, not RSA…). */
  | 'certificate_invalid'
  /** A SAT key is always encrypted; an unencrypted key is not the original file. */
  | 'private_key_unencrypted'
  /** Legacy PEM or an encryption OpenSSL 3 refuses: ask for the original SAT .key. */
  | 'private_key_encryption_unsupported'
  /**
   * The key's own parameters ask for far more work than a SAT key (PBKDF2 iterations or salt
   * beyond key-encryption-parameters.ts's bounds, or an RSA key beyond rsa-key-bounds.ts's):
   * refused before paying for them.
   */
  | 'private_key_parameters_excessive'
  /** The certificate's RSA key is far beyond SAT's (rsa-key-bounds.ts). */
  | 'certificate_parameters_excessive'
  /** The check overran its deadline in the inspection pool and was stopped (inspection-pool.ts). */
  | 'certificate_check_timeout'
  | 'private_key_password_incorrect'
  | 'private_key_certificate_mismatch'
  /** It is a FIEL / e.firma, and invoices must be sealed with a CSD. */
  | 'csd_required'
  /** It is a CSD, and the e.firma form wants the FIEL (`expect: 'FIEL'`). */
  | 'fiel_required'
  /** OU and extendedKeyUsage disagree about CSD vs FIEL (csd.md §3). */
  | 'certificate_type_ambiguous'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  /** A `.pfx`/`.p12` (PKCS#12) bundle: Facturapi takes the `.cer` and `.key` themselves. */
  | 'pkcs12_file'
  /** The certificate field holds a private key, and the key field no certificate to swap with. */
  | 'certificate_field_has_key'
  /** The key field holds a certificate while the certificate field holds one too. */
  | 'key_field_has_certificate';

/** One problem, attached to the form field its message belongs next to. */
export interface Problem {
  code: ProblemCode;
  field: 'cer' | 'key' | 'password' | null;
  /** Non-secret values for the message, e.g. `{ validTo: ISO }`. Never the password. */
  params?: Record<string, string>;
}

/**
 * Result of `inspectCsd`. On success, `cerDer`/`keyDer` are the bytes to relay: the original
 * bytes for DER input, the decoded DER for PEM/base64 input.
 */
export type Inspection = (
  | { ok: true; facts: CertificateFacts; cerDer: Buffer; keyDer: Buffer }
  | { ok: false; problems: Problem[]; facts: CertificateFacts | null }
) & {
  /** The .cer was in the key field and the .key in the certificate field; they were used as meant. */
  swapped?: boolean;
};
