/**
 * The synthetic CSD that `npm run demo:csd` writes (scripts/demo-csd.ts). Kept here, in src/,
 * so the Facturapi emulator's demo organizations can import the same RFC and password instead
 * of copying them. It is test material from our own throwaway CA: `isSatTest` is true for it.
 */
export const DEMO_CSD = {
  /** The RFC of SAT's own test CSD, so demo data matches what SAT's test material uses. */
  rfc: 'EKU9003173C9',
  representativeRfc: 'VADA800927DJ3',
  representativeCurp: 'VADA800927HSRSRL05',
  legalName: 'ESCUELA KEMPER URGATE SA DE CV',
  branch: 'Sucursal 1',
  /** In SAT's test range (`3000…`), distinct from SAT's real test certificate (…3416). */
  certificateNumber: '30001000000900009001',
  /** SAT's test-material password. */
  password: '12345678a',
} as const;
