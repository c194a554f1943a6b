import { describe, expect, it } from 'vitest';
import { calendarDaysUntil } from './expiry-days.js';

// Mexico City is UTC-6 all year (no daylight saving time since 2022).
describe('calendarDaysUntil (calendar days in Mexico City)', () => {
  const ends = new Date('2026-12-11T15:00:00Z'); // 11 Dec, 09:00 in Mexico City
  it('when it is 1 December in Mexico City, then a certificate ending on 11 December has 10 days, at any hour', () => {
    expect(calendarDaysUntil(ends, new Date('2026-12-01T06:00:00Z'))).toBe(10); // 00:00
    expect(calendarDaysUntil(ends, new Date('2026-12-01T18:00:00Z'))).toBe(10); // 12:00
    expect(calendarDaysUntil(ends, new Date('2026-12-02T05:59:59Z'))).toBe(10); // 23:59:59
  });
  it('when the clock crosses Mexico City midnight (06:00 UTC), then the count drops by one', () => {
    expect(calendarDaysUntil(ends, new Date('2026-12-01T05:59:59.999Z'))).toBe(11);
    expect(calendarDaysUntil(ends, new Date('2026-12-01T06:00:00.000Z'))).toBe(10);
  });
  it('when the expiry is late at night in Mexico City, then it counts on Mexico City’s date, not UTC’s', () => {
    // 11 Dec 23:30 in Mexico City is 12 Dec 05:30 UTC.
    expect(calendarDaysUntil(new Date('2026-12-12T05:30:00Z'), new Date('2026-12-01T18:00:00Z'))).toBe(10);
  });
  it('when the date is today or past, then 0 or negative', () => {
    expect(calendarDaysUntil(ends, new Date('2026-12-11T06:00:00Z'))).toBe(0);
    expect(calendarDaysUntil(ends, new Date('2026-12-13T18:00:00Z'))).toBe(-2);
  });

  it('gives, minute by minute over three days and across midnight, the date a fresh formatter gives', () => {
    const fresh = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' });
    const today = new Date('2026-12-01T00:00:00Z');
    for (let minute = 0; minute < 3 * 24 * 60; minute += 7) {
      const instant = new Date(Date.UTC(2026, 11, 1, 0, minute));
      const expected = (Date.parse(`${fresh.format(instant)}T00:00:00Z`) - Date.parse(`${fresh.format(today)}T00:00:00Z`)) / 86_400_000;
      expect(calendarDaysUntil(instant, today)).toBe(expected);
    }
  });
});
