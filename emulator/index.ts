/**
 * The Facturapi emulator's one entry for everything outside emulator/: the app's demo mode
 * (src/facturapi/connect.ts, src/first-run.ts), the app's tests and the bench. What it is and
 * what it does not prove: emulator/README.md.
 */
export { startEmulator } from './emulator-server.js';
export type { EmulatorLogger, EmulatorOptions, RunningEmulator } from './emulator-server.js';
export { DEMO_ORGANIZATION_IDS, demoOrganizations, generatedOrganizations } from './demo-data.js';
export { buildOrganizationWire, emptyCertificate } from './organization-wire.js';
export type { CertificateWire, OrganizationSeed, OrganizationWire, PendingStepType } from './organization-wire.js';
export type { Fault, FaultOptions } from './faults.js';
export type { ReceivedRequest } from './received-log.js';
