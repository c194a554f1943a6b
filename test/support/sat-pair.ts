import type { KeyObject } from 'node:crypto';
import { certificateAuthorityKeyPair, pooledKeyPair } from './key-pool.js';
import { ATTRIBUTE, buildCertificate } from './sat-certificate.js';
import type { NameAttribute } from './sat-certificate.js';
import { toSatKeyDer } from './sat-key.js';
import type { SatKeyEncryption } from './sat-key.js';

/** Options for one SAT-like pair; every field has a default giving a valid CSD (see DEFAULTS). */
export interface SatPairOptions {
  type?: 'CSD' | 'FIEL';
  rfc?: string;
  representativeRfc?: string | null;
  curp?: string | null;
  representativeCurp?: string | null;
  legalName?: string;
  /** Subject OU. Only written for a CSD, like SAT (pass `extensions` to build odd mixes). */
  branch?: string;
  /** Not validated, so tests can build certificates with bad numbers. */
  certificateNumber?: string;
  /** Rounded down to whole seconds, the precision of a certificate. */
  validFrom?: Date;
  validTo?: Date;
  password?: string;
  /** Reuse a key (RSA keygen is slow). Defaults to `pooledKeyPair(0)`. */
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
  /** Extension set, by default the one of `type`. A CSD with FIEL extensions is "ambiguous". */
  extensions?: 'CSD' | 'FIEL';
  /** Fixed salt/IV for the key encryption (random by default, as in our synthetic samples). */
  keyEncryption?: SatKeyEncryption;
}

type Extras = 'keyPair' | 'extensions' | 'keyEncryption';
/** Every defaultable option filled in. */
export type Resolved = Required<Omit<SatPairOptions, Extras>> & { fielEmail: string };

/** A generated pair, plus what it was generated with. */
export interface SatPair {
  cer: Buffer;
  key: Buffer;
  password: string;
  certificateNumber: string;
  rfc: string;
  validFrom: Date;
  validTo: Date;
}

/**
 * Defaults mirror the shared `csd-synthetic` sample (csd.md §7.4): valid 2024-01-01 → 2034-01-01,
 * so it is valid at FIXTURE_REFERENCE_DATE (2026-01-15), the "now" tests should pass.
 */
export const DEFAULTS: Readonly<Resolved> = {
  type: 'CSD',
  rfc: 'EPR010101AB1',
  representativeRfc: 'XAXX010101XX0',
  curp: null,
  representativeCurp: 'XEXX010101HNEXXXA4',
  legalName: 'EMPRESA DE PRUEBA SA DE CV',
  branch: 'Sucursal 1',
  certificateNumber: '30001000000900000001',
  validFrom: new Date('2024-01-01T00:00:00Z'),
  validTo: new Date('2034-01-01T00:00:00Z'),
  password: '12345678a',
  fielEmail: 'efirma.pruebas@example.invalid',
};

/** Our throwaway CA. Its O is deliberately not SAT's, so the inspector flags `isSatTest`. */
export const CA_SUBJECT: NameAttribute[] = [
  [ATTRIBUTE.commonName, 'AC DE PRUEBAS SINTETICA'],
  [ATTRIBUTE.organizationName, 'NO ES EL SAT'],
  [ATTRIBUTE.countryName, 'MX'],
];

/** Generates a SAT-format `.cer` (DER) and `.key` (encrypted PKCS#8 DER). Synchronous. */
export function generateSatPair(options: SatPairOptions = {}): SatPair {
  const o: Resolved & Pick<SatPairOptions, Extras> = { ...DEFAULTS, ...withoutUndefined(options) };
  const keyPair = options.keyPair ?? pooledKeyPair(0);
  const validFrom = wholeSeconds(o.validFrom);
  const validTo = wholeSeconds(o.validTo);
  const cer = buildCertificate({
    type: o.extensions ?? o.type,
    certificateNumber: o.certificateNumber,
    subject: satSubject(o),
    issuer: CA_SUBJECT,
    validFrom,
    validTo,
    publicKey: keyPair.publicKey,
    issuerKey: certificateAuthorityKeyPair().privateKey,
  });
  const key = toSatKeyDer(keyPair.privateKey, o.password, o.keyEncryption);
  return { cer, key, password: o.password, certificateNumber: o.certificateNumber, rfc: o.rfc, validFrom, validTo };
}


/** SAT's attribute order (csd.md §2.1): CN, name, O, [C, email for FIEL], RFC(s), CURP(s), [OU for CSD]. */
function satSubject(o: Resolved): NameAttribute[] {
  const subject: NameAttribute[] = [
    [ATTRIBUTE.commonName, o.legalName],
    [ATTRIBUTE.name, o.legalName],
    [ATTRIBUTE.organizationName, o.legalName],
  ];
  if (o.type === 'FIEL') subject.push([ATTRIBUTE.countryName, 'MX'], [ATTRIBUTE.emailAddress, o.fielEmail]);
  subject.push([ATTRIBUTE.x500UniqueIdentifier, o.representativeRfc ? `${o.rfc} / ${o.representativeRfc}` : o.rfc]);
  // Persona moral: " / CURP_REPRESENTANTE", leading space and empty first part included.
  if (o.curp || o.representativeCurp) {
    subject.push([ATTRIBUTE.serialNumber, o.representativeCurp ? `${o.curp ?? ''} / ${o.representativeCurp}` : (o.curp ?? '')]);
  }
  if (o.type === 'CSD' && o.branch) subject.push([ATTRIBUTE.organizationalUnitName, o.branch]);
  return subject;
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** So `{ rfc: undefined }` means "default", as it would for a destructured parameter. */
function withoutUndefined(options: SatPairOptions): SatPairOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as SatPairOptions;
}
