/**
 * The one rule for "days left" on a certificate, used by the badge, the date line, the radar,
 * its CSV and the upload warnings: **calendar days in Mexico City**. The days left are the
 * number of midnights (America/Mexico_City) between now and the expiry instant, i.e. the expiry's
 * calendar date minus today's calendar date, both read on a Mexico City wall calendar.
 *
 * Why calendar days and not 24-hour periods: the page shows the expiry as a date in Mexico City
 * time ("11 de diciembre de 2026"), and a person counts from today's date to that one. On
 * 1 December a certificate ending on 11 December (at any hour) has 10 days left, in every place;
 * flooring 24-hour periods would say 9 from midday on. 0 means it ends later today. Whether it has
 * already expired is decided by the instant (`expiresAt <= now`), not by the calendar.
 */

/** The calendar the days are counted on (SAT and Facturapi customers are in Mexico). */
export const EXPIRY_TIME_ZONE = 'America/Mexico_City';
const DAY_MS = 24 * 60 * 60 * 1000;

// en-CA formats dates as YYYY-MM-DD; built once (constructing Intl formatters is costly).
const calendarDate = new Intl.DateTimeFormat('en-CA', { timeZone: EXPIRY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

const HOUR_MS = 60 * 60 * 1000;
/**
 * Day numbers by UTC hour: Mexico City's offset from UTC has always been whole hours, so every
 * instant of one UTC hour falls on one Mexico City date. formatToParts with a time zone costs tens
 * of microseconds, and every upload, badge and radar row asks.
 */
const dayOfHour = new Map<number, number>();
const MAX_CACHED_HOURS = 4096;
/** Before 1922 the offset was local mean time (−6:36:36); certificates are far younger than 1990. */
const CACHE_FROM_MS = Date.UTC(1990, 0, 1);

/** The Mexico City calendar date of an instant, as a UTC-midnight day number. */
function dayNumber(instant: Date): number {
  const hour = instant.getTime() >= CACHE_FROM_MS ? Math.floor(instant.getTime() / HOUR_MS) : NaN;
  const cached = dayOfHour.get(hour);
  if (cached !== undefined) return cached;
  const parts = Object.fromEntries(calendarDate.formatToParts(instant).map((p) => [p.type, p.value]));
  const day = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS;
  if (Number.isNaN(day) || Number.isNaN(hour)) return day;
  if (dayOfHour.size >= MAX_CACHED_HOURS) dayOfHour.delete(dayOfHour.keys().next().value!);
  dayOfHour.set(hour, day);
  return day;
}

/** Calendar days in Mexico City from `now` to `date` (negative once the date is past). */
export function calendarDaysUntil(date: Date, now: Date): number {
  return dayNumber(date) - dayNumber(now);
}

/** The Mexico City calendar date of an instant, as YYYY-MM-DD (what a reminder says "today" is). */
export function mexicoCityDate(instant: Date): string {
  return calendarDate.format(instant);
}
