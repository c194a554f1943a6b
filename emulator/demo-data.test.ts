import { describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS, demoOrganizations, generatedOrganizations } from './demo-data.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const daysLeft = (iso: string | null) => (iso === null ? null : Math.round((Date.parse(iso) - NOW.getTime()) / 86_400_000));

describe('Demo organizations', () => {
  const orgs = demoOrganizations(NOW);

  it('covers every certificate state the UI badges', () => {
    const states = orgs.map((org) => daysLeft(org.certificate.expires_at));
    expect(states.filter((s) => s === null)).toHaveLength(2);
    expect(states).toEqual(expect.arrayContaining([10, 45, 80]));
    expect(states.some((s) => s !== null && s > 365)).toBe(true);
    expect(states.some((s) => s !== null && s < 0)).toBe(true);
  });

  it('gives the ~10-day one the demo CSD RFC so the demo pair renews it', () => {
    const org = orgs.find((o) => o.id === DEMO_ORGANIZATION_IDS.expiresSoon);
    expect(org?.legal.tax_id).toBe('EKU9003173C9');
    expect(daysLeft(org?.certificate.expires_at ?? null)).toBe(10);
  });

  it('has distinct 24-hex ids, distinct RFCs, and names with Ñ and &', () => {
    expect(new Set(orgs.map((o) => o.id)).size).toBe(orgs.length);
    for (const org of orgs) expect(org.id).toMatch(/^[0-9a-f]{24}$/);
    const rfcs = orgs.map((o) => o.legal.tax_id).filter((rfc) => rfc !== null);
    expect(new Set(rfcs).size).toBe(rfcs.length);
    expect(orgs.some((o) => o.legal.name.includes('Ñ') || o.legal.legal_name.includes('Ñ'))).toBe(true);
    expect(orgs.some((o) => o.legal.name.includes('&'))).toBe(true);
  });

  it('marks new organizations with the certificate pending step and not production-ready', () => {
    for (const org of orgs.filter((o) => !o.certificate.has_certificate)) {
      expect(org.pending_steps.map((s) => s.type)).toContain('certificate');
      expect(org.is_production_ready).toBe(false);
    }
  });

  it('is deterministic for a given now', () => {
    expect(demoOrganizations(NOW)).toEqual(orgs);
  });
});

describe('Generated organizations', () => {
  it('produces thousands of organizations with distinct ids and RFCs', () => {
    const orgs = generatedOrganizations(3_000, NOW);
    expect(orgs).toHaveLength(3_000);
    expect(new Set(orgs.map((o) => o.id)).size).toBe(3_000);
    for (const org of orgs) expect(org.id).toMatch(/^[0-9a-f]{24}$/);
    const rfcs = orgs.map((o) => o.legal.tax_id).filter((rfc) => rfc !== null);
    expect(new Set(rfcs).size).toBe(rfcs.length);
    expect(rfcs.every((rfc) => /^[A-Z]{3}\d{6}[A-Z0-9]{3}$/.test(rfc))).toBe(true);
  });
});
