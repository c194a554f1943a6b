import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs, resolveRetryPolicy } from './retry-policy.js';

const NOW = new Date('2026-01-15T12:00:00Z');

describe('Retry-After parsing', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs('7', NOW)).toBe(7_000);
  });

  it('reads an HTTP date relative to the injected clock', () => {
    expect(parseRetryAfterMs('Thu, 15 Jan 2026 12:00:30 GMT', NOW)).toBe(30_000);
  });

  it('turns a date in the past into no wait at all', () => {
    expect(parseRetryAfterMs('Thu, 15 Jan 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it('returns null for a missing or unreadable header', () => {
    expect(parseRetryAfterMs(undefined, NOW)).toBeNull();
    expect(parseRetryAfterMs('soon', NOW)).toBeNull();
    expect(parseRetryAfterMs('-5', NOW)).toBeNull();
  });
});

describe('Backoff', () => {
  it('doubles per retry and keeps jitter within half to the full step', () => {
    expect(backoffDelayMs(1, 100, () => 0)).toBe(50);
    expect(backoffDelayMs(3, 100, () => 0.999)).toBe(400);
  });

  it('defaults to three attempts and never allows fewer than one', () => {
    expect(resolveRetryPolicy()).toEqual({ maxAttempts: 3, baseDelayMs: 100, maxRetryAfterMs: 5_000 });
    expect(resolveRetryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
  });
});
