import { describe, expect, it } from 'vitest';
import { certificateBadge, pendingStepsFor } from './certificate-status.js';

const now = new Date('2026-06-15T12:00:00Z');
const cert = (expiresAt: string | null) => ({ hasCertificate: expiresAt !== null, updatedAt: null, expiresAt: expiresAt ? new Date(expiresAt) : null, serialNumber: null });

describe('certificateBadge', () => {
  it('when there is no certificate, then it is missing', () => {
    expect(certificateBadge(cert(null), now)).toEqual({ state: 'missing', daysLeft: null, countdown: false });
  });
  it('when it expires in years, then it is valid with the days left', () => {
    expect(certificateBadge(cert('2028-06-15T12:00:00Z'), now)).toEqual({ state: 'valid', daysLeft: 731, countdown: false });
  });
  it('when it expires within 30 days, then it is expiring', () => {
    expect(certificateBadge(cert('2026-06-25T12:00:00Z'), now)).toEqual({ state: 'expiring', daysLeft: 10, countdown: true });
    // Calendar days in Mexico City: 14 July is 29 days away, 15 July 30, whatever the hour.
    expect(certificateBadge(cert('2026-07-15T05:59:59Z'), now).state).toBe('expiring');
    expect(certificateBadge(cert('2026-07-15T06:00:00Z'), now).state).toBe('valid');
  });
  it('when it expires later today, then it is expiring with 0 days left', () => {
    expect(certificateBadge(cert('2026-06-15T18:00:00Z'), now)).toEqual({ state: 'expiring', daysLeft: 0, countdown: true });
  });
  it('when it expires within 90 days, then a valid badge counts down; at 90 it does not', () => {
    expect(certificateBadge(cert('2026-07-30T12:00:00Z'), now)).toEqual({ state: 'valid', daysLeft: 45, countdown: true });
    expect(certificateBadge(cert('2026-09-13T12:00:00Z'), now)).toEqual({ state: 'valid', daysLeft: 90, countdown: false });
  });
  it('when it expired, then the pending steps say so even if Facturapi lists none', () => {
    const expired = certificateBadge(cert('2026-06-01T00:00:00Z'), now);
    expect(pendingStepsFor([], expired).map((s) => s.type)).toEqual(['certificate_expired']);
    expect(pendingStepsFor([{ type: 'certificate', description: '' }, { type: 'logo', description: '' }], expired).map((s) => s.type)).toEqual(['certificate_expired', 'logo']);
    expect(pendingStepsFor([], certificateBadge(cert(null), now)).map((s) => s.type)).toEqual(['certificate']);
    expect(pendingStepsFor([], certificateBadge(cert('2028-06-15T12:00:00Z'), now))).toEqual([]);
  });
  it('when the expiry instant has passed, then it is expired', () => {
    expect(certificateBadge(cert('2026-06-15T12:00:00Z'), now).state).toBe('expired');
    expect(certificateBadge(cert('2025-01-01T00:00:00Z'), now).state).toBe('expired');
  });
});
