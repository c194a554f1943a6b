import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { calendarDaysUntil } from '../organizations/expiry-days.js';
import { scheduleReminders } from './reminder-scheduler.js';
import { dueThreshold } from './reminder-thresholds.js';
import { unsubscribeTokens } from './unsubscribe-token.js';

const THRESHOLDS = [60, 30, 15, 7, 1, 0];

describe('calendar days in Mexico City', () => {
  it('when the certificate expires late tomorrow (Mexico City) then it is 1 day away all of today, whatever the UTC date', () => {
    // 2026-03-02 23:30 in Mexico City is 2026-03-03T05:30Z.
    const expiresAt = new Date('2026-03-03T05:30:00Z');
    expect(calendarDaysUntil(expiresAt, new Date('2026-03-01T06:30:00Z'))).toBe(1); // 00:30 on the 1st
    expect(calendarDaysUntil(expiresAt, new Date('2026-03-02T05:59:00Z'))).toBe(1); // 23:59 on the 1st
    expect(calendarDaysUntil(expiresAt, new Date('2026-03-02T06:00:00Z'))).toBe(0); // 00:00 on the 2nd
    expect(calendarDaysUntil(expiresAt, new Date('2026-03-03T06:00:00Z'))).toBe(-1);
  });
});

describe('the reminder due', () => {
  it('when the days left fall between thresholds then the smallest threshold not below them is due (a missed day catches up)', () => {
    expect([61, 60, 59, 31, 30, 16, 15, 8, 7, 2, 1, 0].map((d) => dueThreshold(d, THRESHOLDS))).toEqual([null, 60, 60, 60, 30, 30, 15, 15, 7, 7, 1, 0]);
  });
  it('when the credential has expired then only the day-0 reminder applies, and only for 30 days', () => {
    expect([-1, -30, -31].map((d) => dueThreshold(d, THRESHOLDS))).toEqual([0, 0, null]);
    expect(dueThreshold(-1, [30, 7])).toBeNull();
  });
});

describe('REMINDER_DAYS', () => {
  it('when set then the thresholds are those days, largest first, and a bad list names the key', () => {
    expect(loadConfig({ REMINDER_DAYS: '5, 45,5' }).reminders.thresholdDays).toEqual([45, 5]);
    expect(loadConfig({}).reminders.thresholdDays).toEqual([60, 30, 15, 7, 1, 0]);
    expect(() => loadConfig({ REMINDER_DAYS: '30,soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ REMINDER_DAYS: '30,soon' })).toThrow(/REMINDER_DAYS/);
  });
  it('when SMTP_URL is set without MAIL_FROM, or is not smtp, then start-up refuses it', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ SMTP_URL: 'https://mail.example.com', MAIL_FROM: 'a@b.c' })).toThrow(/SMTP_URL/);
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', MAIL_FROM: 'csd <a@b.c>' }).mail.from).toBe('csd <a@b.c>');
    expect(() => loadConfig({ REMINDER_CRON: 'every morning' })).toThrow(/REMINDER_CRON/);
  });
});

describe('the reminder schedule', () => {
  it('when triggered then the job gets the injected clock\'s now, and the next daily run is 08:00 in Mexico City', async () => {
    const seen: Date[] = [];
    const schedule = scheduleReminders({
      cron: '0 8 * * *', now: () => new Date('2026-03-01T12:00:00Z'), logger: createLogger({ level: 'silent' }),
      job: async (now) => void seen.push(now),
    });
    try {
      await schedule.trigger();
      expect(seen).toEqual([new Date('2026-03-01T12:00:00Z')]);
      const next = schedule.nextRun()!;
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Mexico_City', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('08:00');
    } finally {
      schedule.stop();
    }
  });
});

describe('unsubscribe tokens', () => {
  it('when checked then only tokens signed with this secret for that user pass', () => {
    const tokens = unsubscribeTokens('s'.repeat(40));
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const token = tokens.issue(id);
    expect(tokens.verify(token)).toBe(id);
    expect(unsubscribeTokens('t'.repeat(40)).verify(token)).toBeNull();
    expect(tokens.verify(token.replace(id, '1f8fad5b-d9cb-469f-a165-70867728950e'))).toBeNull();
    expect(tokens.verify(`${token}.x`)).toBeNull();
    expect(tokens.verify(undefined)).toBeNull();
  });
});
