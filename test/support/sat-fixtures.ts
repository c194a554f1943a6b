/**
 * SAT-like CSD/FIEL fixtures generated in-process (csd.md §9): no openssl CLI, no dependency,
 * no files from the shared SAT samples. One import for tests:
 *
 *   import { generateSatPair, standardFixtures, FIXTURE_REFERENCE_DATE } from '../test/support/sat-fixtures.js';
 */
export { CA_SUBJECT, DEFAULTS, generateSatPair } from './sat-pair.js';
export type { SatPair, SatPairOptions } from './sat-pair.js';
export { toPem, unencryptedPkcs8Der } from './fixture-encodings.js';
export { certificateNumber, FIXTURE_REFERENCE_DATE, standardFixtures } from './standard-fixtures.js';
export type { StandardFixtures } from './standard-fixtures.js';
export { certificateAuthorityKeyPair, pooledKeyPair } from './key-pool.js';
export { toSatKeyDer } from './sat-key.js';
export type { CipherName, PrfName, SatKeyEncryption } from './sat-key.js';
