/**
 * The certificate badge of an organization: missing, valid, expiring (within SOON_DAYS) or
 * expired, with the days left counted by the one rule in expiry-days.ts (calendar days in
 * Mexico City). Pure: "now" is a parameter.
 */
import type { CertificateStatus, PendingStep } from '../facturapi/organization.js';
import { calendarDaysUntil } from './expiry-days.js';

/** A CSD that expires within this many days is flagged; renewing takes a visit to SAT's Certifica. */
export const SOON_DAYS = 30;
/** Within this many days the badge counts down ("vence en N días") even while it is still valid: the radar's farthest group. */
export const COUNTDOWN_DAYS = 90;

export type BadgeState = 'missing' | 'valid' | 'expiring' | 'expired';
export interface Badge {
  state: BadgeState;
  /** Calendar days until expiry (0 on the last day); null when there is no certificate or date. */
  daysLeft: number | null;
  /** The badge says "expires in N days" (expiring, or valid with fewer than COUNTDOWN_DAYS left). */
  countdown: boolean;
}

/** Days left by the one rule (calendar days in Mexico City; see expiry-days.ts). */
export function daysUntil(date: Date, now: Date): number {
  return calendarDaysUntil(date, now);
}

export function certificateBadge(certificate: CertificateStatus, now: Date): Badge {
  if (!certificate.hasCertificate || !certificate.expiresAt) return { state: 'missing', daysLeft: null, countdown: false };
  const daysLeft = daysUntil(certificate.expiresAt, now);
  if (certificate.expiresAt.getTime() <= now.getTime()) return { state: 'expired', daysLeft, countdown: false };
  return { state: daysLeft < SOON_DAYS ? 'expiring' : 'valid', daysLeft, countdown: daysLeft < COUNTDOWN_DAYS };
}

/**
 * Facturapi's pending steps, made to agree with the badge. Facturapi lists no step for a
 * certificate that has expired (the organization still reads "ready"), yet nothing can be
 * stamped with it: an expired certificate adds (or replaces the plain "upload") step with
 * `certificate_expired`, and a missing one adds `certificate` when Facturapi left it out.
 */
export function pendingStepsFor(steps: readonly PendingStep[], badge: Badge): PendingStep[] {
  const others = steps.filter((step) => step.type !== 'certificate');
  if (badge.state === 'expired') return [{ type: 'certificate_expired', description: '' }, ...others];
  if (badge.state === 'missing' && others.length === steps.length) return [{ type: 'certificate', description: '' }, ...steps];
  return [...steps];
}
