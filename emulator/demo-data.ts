import {
  buildOrganizationWire,
  emptyCertificate,
  type CertificateWire,
  type OrganizationWire,
  type PendingStepType,
} from './organization-wire.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deterministic ids of the demo organizations, by the state they show. */
export const DEMO_ORGANIZATION_IDS = {
  /** Expires in ten days (badged "vence en 10 días": calendar days in Mexico City, so the counts match the names); RFC EKU9003173C9: `npm run demo:csd` (default RFC) produces a CSD that renews it. */
  expiresSoon: '65a1c0de0000000000000001',
  validForYears: '65a1c0de0000000000000002',
  expiresIn45Days: '65a1c0de0000000000000003',
  expiresIn80Days: '65a1c0de0000000000000004',
  expired: '65a1c0de0000000000000005',
  noCertificate: '65a1c0de0000000000000006',
  noCertificateEither: '65a1c0de0000000000000007',
  validForYearsToo: '65a1c0de0000000000000008',
} as const;

function installed(now: Date, expiresInDays: number, serialNumber: string): CertificateWire {
  // Uploaded ~4 years before expiry (CSDs last about four years), but never in the future.
  const expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS);
  const updatedAt = new Date(Math.min(now.getTime() - DAY_MS, expiresAt.getTime() - 1460 * DAY_MS));
  return { has_certificate: true, updated_at: updatedAt.toISOString(), expires_at: expiresAt.toISOString(), serial_number: serialNumber };
}

function daysAgo(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * The demo account: one organization per certificate state the UI badges (none, valid for
 * years, expiring in ~10/~45/~80 days, expired). Names include Ñ and &; RFCs are distinct.
 * The one that expires soon (`expiresSoon`, within ten days) has RFC `EKU9003173C9`, the default of `npm run demo:csd` (fixtures/demo-csd.ts),
 * so the demo pair passes the previous-RFC check and renews it.
 */
export function demoOrganizations(now: Date): OrganizationWire[] {
  const ids = DEMO_ORGANIZATION_IDS;
  const ready: PendingStepType[] = [];
  return [
    buildOrganizationWire({ id: ids.expiresSoon, createdAt: daysAgo(now, 1500), name: 'Escuela Kemper Urgate', legalName: 'ESCUELA KEMPER URGATE', taxId: 'EKU9003173C9', certificate: installed(now, 10, '30001000000500003416'), pendingSteps: ready, taxSystem: '603' }),
    buildOrganizationWire({ id: ids.validForYears, createdAt: daysAgo(now, 400), name: 'Ferretería Peña', legalName: 'FERRETERIA PEÑA', taxId: 'FPE080512K73', certificate: installed(now, 1100, '00001000000512340001'), pendingSteps: ready }),
    buildOrganizationWire({ id: ids.expiresIn45Days, createdAt: daysAgo(now, 1420), name: 'Abarrotes Gómez & Hijos', legalName: 'ABARROTES GOMEZ & HIJOS', taxId: 'AGH991123N41', certificate: installed(now, 45, '00001000000498760002'), pendingSteps: ready }),
    buildOrganizationWire({ id: ids.expiresIn80Days, createdAt: daysAgo(now, 1390), name: 'Consultoría Quetzal', legalName: 'CONSULTORIA QUETZAL', taxId: 'CQU150218T81', certificate: installed(now, 80, '00001000000497650003'), pendingSteps: ready }),
    buildOrganizationWire({ id: ids.expired, createdAt: daysAgo(now, 1600), name: 'Transportes del Bajío', legalName: 'TRANSPORTES DEL BAJIO', taxId: 'TBA070314R29', certificate: installed(now, -12, '00001000000401230004'), pendingSteps: ready }),
    buildOrganizationWire({ id: ids.noCertificate, createdAt: daysAgo(now, 3), name: 'Café Altura Chiapaneca', legalName: 'CAFE ALTURA CHIAPANECA', taxId: null, certificate: emptyCertificate(), pendingSteps: ['certificate'] }),
    buildOrganizationWire({ id: ids.noCertificateEither, createdAt: daysAgo(now, 1), name: 'Dulces Típicos de Puebla', legalName: 'DULCES TIPICOS DE PUEBLA', taxId: null, certificate: emptyCertificate(), pendingSteps: ['certificate', 'manifiesto'], zip: '72000' }),
    buildOrganizationWire({ id: ids.validForYearsToo, createdAt: daysAgo(now, 200), name: 'Clínica Dental Sonrisa', legalName: 'CLINICA DENTAL SONRISA', taxId: 'CDS120924A41', certificate: installed(now, 1300, '00001000000515550005'), pendingSteps: ready }),
  ];
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * `count` generated organizations for load tests and benchmarks (e.g. 3,000), with distinct
 * deterministic ids and RFCs and certificate states cycling through every badge.
 */
export function generatedOrganizations(count: number, now: Date): OrganizationWire[] {
  const expiries = [null, 1200, 10, 45, 80, -30] as const;
  return Array.from({ length: count }, (_, index) => {
    const n = index + 1;
    const expiresInDays = expiries[index % expiries.length] ?? null;
    // Three letters spell the index in base 26: distinct for up to 17,576 organizations.
    const letters = [2, 1, 0].map((power) => LETTERS[Math.floor(index / 26 ** power) % 26]).join('');
    const serial = `00001000000${String(600000000 + n).padStart(9, '0')}`;
    return buildOrganizationWire({
      id: `6700000000000000${n.toString(16).padStart(8, '0')}`,
      createdAt: daysAgo(now, (index % 1500) + 1),
      name: `Empresa Generada ${String(n).padStart(4, '0')}`,
      legalName: `EMPRESA GENERADA ${String(n).padStart(4, '0')}`,
      taxId: expiresInDays === null ? null : `${letters}010101${String(n % 1000).padStart(3, '0')}`,
      certificate: expiresInDays === null ? emptyCertificate() : installed(now, expiresInDays, serial),
      pendingSteps: expiresInDays === null ? ['certificate'] : [],
    });
  });
}
