/**
 * The certificate badge of an organization: missing, valid, expiring (within SOON_DAYS) or
 * expired, with whole days left. Pure: "now" is a parameter.
 */
import type { CertificateStatus } from '../facturapi/organization.js';

/** A CSD that expires within this many days is flagged; renewing takes a visit to SAT's Certifica. */
export const SOON_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type BadgeState = 'missing' | 'valid' | 'expiring' | 'expired';
export interface Badge {
  state: BadgeState;
  /** Whole days until expiry (0 on the last day); null when there is no certificate or date. */
  daysLeft: number | null;
}

export function daysUntil(date: Date, now: Date): number {
  return Math.floor((date.getTime() - now.getTime()) / DAY_MS);
}

export function certificateBadge(certificate: CertificateStatus, now: Date): Badge {
  if (!certificate.hasCertificate || !certificate.expiresAt) return { state: 'missing', daysLeft: null };
  if (certificate.expiresAt.getTime() <= now.getTime()) return { state: 'expired', daysLeft: daysUntil(certificate.expiresAt, now) };
  const daysLeft = daysUntil(certificate.expiresAt, now);
  return { state: daysLeft < SOON_DAYS ? 'expiring' : 'valid', daysLeft };
}
