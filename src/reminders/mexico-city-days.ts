/**
 * Calendar days between two instants as seen in Mexico City: a certificate that expires at 23:00
 * tomorrow (Mexico City) is "1 day" away all of today, whatever the hour and the UTC date.
 * Another helper is writing one day-count module in src/organizations/ (issue 10); this function
 * is named so it can be swapped for that one at merge.
 */
const ZONE = 'America/Mexico_City';
const DAY_MS = 86_400_000;
const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Mexico City calendar date of an instant, as YYYY-MM-DD. */
export function mexicoCityDate(instant: Date): string {
  return ymd.format(instant);
}

function dayNumber(instant: Date): number {
  const [y, m, d] = mexicoCityDate(instant).split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** Calendar days from `now` to `expiresAt` in Mexico City: 0 on the day itself, negative after. */
export function calendarDaysUntilInMexicoCity(expiresAt: Date, now: Date): number {
  return dayNumber(expiresAt) - dayNumber(now);
}
