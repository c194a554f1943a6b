/** Inspecting SAT CSD uploads: pure functions over Buffers (no HTTP, no disk, no logging). */
export { inspectCsd } from './inspection.js';
export type { CsdInput } from './inspection.js';
export { readCertificate, RFC_PATTERN } from './certificate-facts.js';
export { decryptPrivateKey } from './key-decryption.js';
export type { KeyDecryption } from './key-decryption.js';
export { MAX_FILE_BYTES } from './certificate-input.js';
export { isSatTestCertificate } from './sat-test-issuer.js';
export type { CertificateFacts, CertificateType, Inspection, Problem, ProblemCode } from './types.js';
export { sameLegalName, normalizeName, CORPORATE_REGIME_SUFFIXES } from './legal-name.js';
