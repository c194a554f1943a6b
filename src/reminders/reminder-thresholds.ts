/**
 * Which reminder is due for a credential `daysLeft` calendar days from expiry. Thresholds are days
 * before expiry (0 = on the day it expired). The due one is the smallest threshold not below
 * `daysLeft`: a run that missed the 30-day mark (the server was down) sends the 30-day reminder
 * on day 28, and the 15-day one is due from day 15 on. After expiry only threshold 0 applies, for
 * EXPIRED_GRACE_DAYS: a certificate that expired long ago (before reminders existed) is not news.
 * Pure.
 */
export const EXPIRED_GRACE_DAYS = 30;

export function dueThreshold(daysLeft: number, thresholds: readonly number[]): number | null {
  if (daysLeft < 0) return thresholds.includes(0) && daysLeft >= -EXPIRED_GRACE_DAYS ? 0 : null;
  const candidates = thresholds.filter((t) => t >= daysLeft);
  return candidates.length > 0 ? Math.min(...candidates) : null;
}
