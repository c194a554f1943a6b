import { describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../certificates/index.js';
import type { Organization } from '../facturapi/organization.js';
import { decideBeforeSending, decideFielBeforeSending } from './upload-checks.js';

const facts = { rfc: 'EKU9003173C9', certificateNumber: '30001000000900000002', validTo: new Date('2030-01-01T00:00:00Z') } as CertificateFacts;
const org = (certificate: Partial<Organization['certificate']>, rfc: string | null = 'EKU9003173C9'): Organization => ({
  id: 'x', name: '', legalName: '', rfc, isProductionReady: true, pendingSteps: [], createdAt: null,
  certificate: { hasCertificate: true, updatedAt: null, expiresAt: new Date('2029-01-01T00:00:00Z'), serialNumber: '30001000000900000001', ...certificate },
  fiel: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null },
});

describe('what is decided before sending', () => {
  it('sends to an organization without a certificate, whatever RFC it has on file', () => {
    expect(decideBeforeSending(facts, org({ hasCertificate: false, serialNumber: null, expiresAt: null }, 'AAA010101AAA'), false)).toEqual({ kind: 'send' });
  });
  it('refuses another RFC when a certificate is installed', () => {
    expect(decideBeforeSending(facts, org({}, 'AAA010101AAA'), true)).toEqual({ kind: 'conflict', code: 'previous_rfc_mismatch' });
  });
  it('says "already installed" for the same number', () => {
    expect(decideBeforeSending(facts, org({ serialNumber: facts.certificateNumber }), false)).toEqual({ kind: 'already_installed' });
  });
  it('asks before replacing with one that expires sooner, and sends once confirmed', () => {
    const later = org({ expiresAt: new Date('2031-01-01T00:00:00Z') });
    expect(decideBeforeSending(facts, later, false)).toEqual({ kind: 'conflict', code: 'expires_before_installed' });
    expect(decideBeforeSending(facts, later, true)).toEqual({ kind: 'send' });
  });
  it('sends a renewal that expires later', () => {
    expect(decideBeforeSending(facts, org({}), false)).toEqual({ kind: 'send' });
  });
});

describe("what is decided before sending an e.firma", () => {
  const withFiel = (fiel: Partial<Organization['fiel']>, rfc: string | null = 'EKU9003173C9'): Organization => ({
    ...org({}, rfc), fiel: { hasCertificate: true, updatedAt: null, expiresAt: new Date('2031-01-01T00:00:00Z'), serialNumber: '30001000000900000009', ...fiel },
  });
  it("refuses another RFC than the organization's, whether or not an e.firma is installed", () => {
    expect(decideFielBeforeSending(facts, withFiel({ hasCertificate: false, serialNumber: null }, 'AAA010101AAA'))).toEqual({ kind: 'conflict', code: 'fiel_rfc_mismatch' });
    expect(decideFielBeforeSending(facts, withFiel({}, 'AAA010101AAA'))).toEqual({ kind: 'conflict', code: 'fiel_rfc_mismatch' });
  });
  it('says "already installed" for the same number, and sends one that expires sooner without asking', () => {
    expect(decideFielBeforeSending(facts, withFiel({ serialNumber: facts.certificateNumber }))).toEqual({ kind: 'already_installed' });
    expect(decideFielBeforeSending(facts, withFiel({}))).toEqual({ kind: 'send' });
  });
});
