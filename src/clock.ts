/**
 * The current time, injected into every service so tests control it (never read the real
 * clock under test). Production passes `() => new Date()`.
 */
export type Clock = () => Date;

/** The system clock, for server.ts and the CLI. */
export const systemClock: Clock = () => new Date();

/** `date + ms` as an ISO-8601 UTC string, the format every time column uses. */
export function isoPlus(date: Date, ms: number): string {
  return new Date(date.getTime() + ms).toISOString();
}
