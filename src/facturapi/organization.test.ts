import { describe, expect, it } from 'vitest';
import { organizationPageWireSchema, organizationWireSchema } from './organization.js';

describe('Organization wire parsing', () => {
  it('ignores unknown fields and accepts nulls where Facturapi sends them', () => {
    const org = organizationWireSchema.parse({
      id: '65a1c0de0000000000000006',
      created_at: '2026-01-12T12:00:00.000Z',
      is_production_ready: false,
      pending_steps: [{ type: 'certificate', description: 'Sube tu CSD', extra: 1 }],
      legal: { name: 'Café', legal_name: 'CAFE', tax_id: null, tax_system: '601', address: null },
      certificate: { has_certificate: false, updated_at: null, expires_at: null, serial_number: null },
      brand_new_field: { anything: true },
    });
    expect(org).toEqual({
      id: '65a1c0de0000000000000006',
      name: 'Café',
      legalName: 'CAFE',
      rfc: null,
      isProductionReady: false,
      pendingSteps: [{ type: 'certificate', description: 'Sube tu CSD' }],
      certificate: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null },
      // No `fiel` in the JSON: the same empty summary as a missing certificate.
      fiel: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null },
      createdAt: new Date('2026-01-12T12:00:00.000Z'),
    });
  });

  it('fills defaults when legal, certificate and pending steps are missing, and drops unreadable dates', () => {
    const org = organizationWireSchema.parse({ id: 'abc', created_at: 'yesterday' });
    expect(org).toMatchObject({ name: '', legalName: '', rfc: null, isProductionReady: false, pendingSteps: [], createdAt: null });
    expect(org.certificate.hasCertificate).toBe(false);
  });

  it('falls back to the legal name when the commercial name is absent', () => {
    expect(organizationWireSchema.parse({ id: 'abc', legal: { legal_name: 'ACME' } }).name).toBe('ACME');
  });

  it('rejects an organization without an id', () => {
    expect(organizationWireSchema.safeParse({ legal: { name: 'x' } }).success).toBe(false);
  });

  it('parses a search page and rejects one whose data is not a list', () => {
    const page = organizationPageWireSchema.parse({ page: 2, total_pages: 3, total_results: 101, data: [{ id: 'a' }] });
    expect(page).toMatchObject({ page: 2, totalPages: 3, totalResults: 101 });
    expect(page.data[0]?.id).toBe('a');
    expect(organizationPageWireSchema.safeParse({ page: 1, data: null }).success).toBe(false);
  });
});
