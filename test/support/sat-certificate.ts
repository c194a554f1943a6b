import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  bitString, booleanTrue, directoryString, explicit, ia5String, integer, integerFromBytes,
  namedBits, nullValue, octetString, oid, sequence, set, time,
} from './der-writer.js';

/** A subject or issuer attribute, in the order it is written. */
export type NameAttribute = [oid: string, value: string];

/** OIDs of the name attributes SAT uses (csd.md §2.1). */
export const ATTRIBUTE = {
  commonName: '2.5.4.3',
  name: '2.5.4.41',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  countryName: '2.5.4.6',
  emailAddress: '1.2.840.113549.1.9.1',
  x500UniqueIdentifier: '2.5.4.45',
  serialNumber: '2.5.4.5',
} as const;

/** What goes into one certificate. */
export interface CertificateSpec {
  type: 'CSD' | 'FIEL';
  /** The 20 digits; written as their ASCII bytes, like SAT's serials. */
  certificateNumber: string;
  subject: NameAttribute[];
  issuer: NameAttribute[];
  validFrom: Date;
  validTo: Date;
  publicKey: KeyObject;
  issuerKey: KeyObject;
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), nullValue());

/** Builds and signs (sha256WithRSAEncryption) a DER X.509 v3 certificate with SAT's extensions. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integerFromBytes(Buffer.from(spec.certificateNumber, 'ascii')),
    SHA256_WITH_RSA,
    encodeName(spec.issuer),
    sequence(time(spec.validFrom), time(spec.validTo)),
    encodeName(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions(spec.type))),
  );
  const signature = sign('sha256', tbs, spec.issuerKey); // RSA PKCS#1 v1.5 by default.
  return sequence(tbs, SHA256_WITH_RSA, bitString(signature));
}

/** One attribute per RDN, as SAT does; emailAddress is IA5String, C PrintableString. */
export function encodeName(attributes: readonly NameAttribute[]): Buffer {
  return sequence(
    ...attributes.map(([type, value]) =>
      set(sequence(oid(type), type === ATTRIBUTE.emailAddress ? ia5String(value) : directoryString(value))),
    ),
  );
}

/** csd.md §2.2: a CSD has 2 extensions, a FIEL 4, in this order. */
function extensions(type: 'CSD' | 'FIEL'): Buffer[] {
  const basicConstraints = sequence(oid('2.5.29.19'), booleanTrue(), octetString(sequence())); // critical, CA:FALSE
  if (type === 'CSD') {
    return [basicConstraints, sequence(oid('2.5.29.15'), octetString(namedBits([0, 1])))]; // digitalSignature, nonRepudiation
  }
  return [
    basicConstraints,
    // + dataEncipherment, keyAgreement
    sequence(oid('2.5.29.15'), octetString(namedBits([0, 1, 3, 4]))),
    // nsCertType: SSL client, S/MIME
    sequence(oid('2.16.840.1.113730.1.1'), octetString(namedBits([0, 2]))),
    // extendedKeyUsage: emailProtection, clientAuth
    sequence(oid('2.5.29.37'), octetString(sequence(oid('1.3.6.1.5.5.7.3.4'), oid('1.3.6.1.5.5.7.3.2')))),
  ];
}
