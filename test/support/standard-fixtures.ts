import { pooledKeyPair } from './key-pool.js';
import { DEFAULTS, generateSatPair } from './sat-pair.js';
import type { SatPair } from './sat-pair.js';

/**
 * The "now" tests should pass to the inspector when using the default pair: 2026-01-15T00:00Z,
 * inside DEFAULTS' validity (2024-01-01 → 2034-01-01) and inside SAT's real EKU9003173C9 CSD
 * (until 2027-05-18), so shared-sample tests can use the same date.
 */
export const FIXTURE_REFERENCE_DATE = new Date('2026-01-15T00:00:00Z');

const NUMBER_PREFIX = '300010000009'; // SAT's test range (3000…), our own "series" 9.
const NUMBER_SLOTS = 100_000_000;

/**
 * The `index`-th certificate number of our synthetic series: 20 digits, all distinct, in SAT's
 * test range. `certificateNumber(1)` is DEFAULTS.certificateNumber. For load tests, thousands of
 * organizations can each get their own number while sharing one key pair.
 */
export function certificateNumber(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= NUMBER_SLOTS) {
    throw new RangeError(`certificate number index must be an integer in [0, ${NUMBER_SLOTS}), got ${index}`);
  }
  return NUMBER_PREFIX + String(index).padStart(8, '0');
}

/** The standard set: one pair per situation the inspector distinguishes, relative to `now`. */
export type StandardFixtures = Record<
  'validCsd' | 'fiel' | 'expired' | 'notYetValid' | 'fisicaWithEnye' | 'moralWithAmpersand',
  SatPair
> & { mismatched: { cer: Buffer; key: Buffer; password: string } };

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

/**
 * Builds the standard set around `now`. Costs two cached RSA keys (pool slots 0 and 1): the FIEL
 * has its own key, like a real taxpayer's, which also gives the mismatched pair.
 */
export function standardFixtures(now: Date): StandardFixtures {
  const at = now.getTime();
  const current = { validFrom: new Date(at - YEAR), validTo: new Date(at + 3 * YEAR) };
  const validCsd = generateSatPair({ ...current, certificateNumber: certificateNumber(11) });
  const fiel = generateSatPair({ ...current, type: 'FIEL', certificateNumber: certificateNumber(12), keyPair: pooledKeyPair(1) });
  return {
    validCsd,
    fiel,
    expired: generateSatPair({
      validFrom: new Date(at - 4 * YEAR - DAY),
      validTo: new Date(at - DAY),
      certificateNumber: certificateNumber(13),
    }),
    notYetValid: generateSatPair({
      validFrom: new Date(at + DAY),
      validTo: new Date(at + 4 * YEAR),
      certificateNumber: certificateNumber(14),
    }),
    fisicaWithEnye: generateSatPair({
      ...current,
      rfc: 'PEÑ800101AB1',
      representativeRfc: null,
      curp: 'PELN800101HDFRPN09',
      representativeCurp: null,
      legalName: 'ÑANDU PEREZ LOPEZ',
      branch: 'Matriz',
      certificateNumber: certificateNumber(15),
    }),
    moralWithAmpersand: generateSatPair({
      ...current,
      rfc: 'A&B010101AB1',
      legalName: 'A&B CONSULTORES SA DE CV',
      certificateNumber: certificateNumber(16),
    }),
    mismatched: { cer: validCsd.cer, key: fiel.key, password: DEFAULTS.password },
  };
}
