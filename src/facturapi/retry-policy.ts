/** Retry settings of the Facturapi client. */
export interface RetryOptions {
  /** Total attempts including the first one (default 3, i.e. two retries). */
  maxAttempts?: number;
  /** First backoff step; doubles per retry, with full jitter (default 100 ms). */
  baseDelayMs?: number;
  /** Longest `Retry-After` we are willing to wait on a 429 (default 5 s). */
  maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default applied. */
export type RetryPolicy = Required<RetryOptions>;

/** Applies defaults and keeps the numbers sane (at least one attempt, no negative delays). */
export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 3)),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? 100),
    maxRetryAfterMs: Math.max(0, options.maxRetryAfterMs ?? 5_000),
  };
}

/**
 * Backoff before retry number `retry` (1-based): base·2^(retry-1) scaled by a jitter in
 * [0.5, 1), so that many clients retrying after the same outage do not stampede together.
 */
export function backoffDelayMs(retry: number, baseDelayMs: number, random: () => number): number {
  const ceiling = baseDelayMs * 2 ** Math.max(0, retry - 1);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `now`.
 * Returns null when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfterMs(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always has a weekday/month name; this keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
