import { describe, expect, it } from 'vitest';
import { certificateBadge } from './certificate-status.js';

const now = new Date('2026-06-15T12:00:00Z');
const cert = (expiresAt: string | null) => ({ hasCertificate: expiresAt !== null, updatedAt: null, expiresAt: expiresAt ? new Date(expiresAt) : null, serialNumber: null });

describe('certificateBadge', () => {
  it('when there is no certificate, then it is missing', () => {
    expect(certificateBadge(cert(null), now)).toEqual({ state: 'missing', daysLeft: null });
  });
  it('when it expires in years, then it is valid with the days left', () => {
    expect(certificateBadge(cert('2028-06-15T12:00:00Z'), now)).toEqual({ state: 'valid', daysLeft: 731 });
  });
  it('when it expires within 30 days, then it is expiring', () => {
    expect(certificateBadge(cert('2026-06-25T12:00:00Z'), now)).toEqual({ state: 'expiring', daysLeft: 10 });
    expect(certificateBadge(cert('2026-07-15T11:59:59Z'), now).state).toBe('expiring');
    expect(certificateBadge(cert('2026-07-15T12:00:00Z'), now).state).toBe('valid');
  });
  it('when it expires later today, then it is expiring with 0 days left', () => {
    expect(certificateBadge(cert('2026-06-15T18:00:00Z'), now)).toEqual({ state: 'expiring', daysLeft: 0 });
  });
  it('when the expiry instant has passed, then it is expired', () => {
    expect(certificateBadge(cert('2026-06-15T12:00:00Z'), now).state).toBe('expired');
    expect(certificateBadge(cert('2025-01-01T00:00:00Z'), now).state).toBe('expired');
  });
});
