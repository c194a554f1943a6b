/**
 * Issue 10, point 8: every message is rendered with each of its placeholders set to 0, 1 and 2,
 * in both languages, by iterating the catalogues (a new message that takes a number is covered
 * without touching this file). "1 días / 1 days" and "2 día / 2 day" fail; so does a date-time
 * ending "p.m." followed by the message's own period ("p.m..").
 */
import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { es, type MessageKey } from './es.js';
import { formatters, LANGUAGES, translator } from './index.js';

const KEYS = Object.keys(es) as MessageKey[];
/** Placeholder names, plain `{n}` and ICU `{n, plural, …}` alike. */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]!))];
const withAll = (names: string[], value: string | number) => Object.fromEntries(names.map((n) => [n, value]));
/** Words written right after a number. */
const countedWords = (text: string, n: number) => [...text.matchAll(new RegExp(`(?<![\\d.,])${n} (\\p{L}+)`, 'gu'))].map((m) => m[1]!);
/** Words that follow a number without being counted by it ("1 de 2", "1 of 2", a name standing in for "{email} ya tiene…" or "{certificate} was installed"). */
const NOT_COUNTED = new Set(['de', 'of', 'out', 'por', 'dejará', 'ya', 'will', 'already', 'through', 'was', 'is']);
/** Singular nouns that end in s. */
const SINGULAR_IN_S = new Set(['mes']);

describe.each(LANGUAGES)('every message with a number, in %s', (lang) => {
  const t = translator(lang);
  const numeric = KEYS.filter((key) => placeholders(es[key]).length > 0);

  it('when rendered with 1, then no counted word is plural ("1 día", "1 day")', () => {
    expect(numeric.length).toBeGreaterThan(20);
    const wrong = numeric.flatMap((key) => {
      const text = t(key, withAll(placeholders(es[key]), 1));
      return countedWords(text, 1).filter((w) => w.endsWith('s') && !SINGULAR_IN_S.has(w) && !NOT_COUNTED.has(w)).map((w) => `${key}: 1 ${w}`);
    });
    expect(wrong).toEqual([]);
  });

  it.each([0, 2])('when a plural message is rendered with %i, then its words differ from those for 1 ("2 días", not "2 día")', (n) => {
    const catalogue = lang === 'es' ? es : en;
    const plurals = KEYS.filter((key) => /\{\w+,\s*plural,/.test(catalogue[key]));
    expect(plurals.length).toBeGreaterThan(5);
    const same = plurals.filter((key) => {
      const names = placeholders(es[key]);
      return t(key, withAll(names, n)).replaceAll(String(n), '1') === t(key, withAll(names, 1));
    });
    expect(same).toEqual([]);
  });

  it.each([0, 1, 2])('when rendered with %i, then no placeholder or plural syntax is left', (n) => {
    const left = numeric.map((key) => [key, t(key, withAll(placeholders(es[key]), n))]).filter(([, text]) => /[{}#]/.test(text!));
    expect(left).toEqual([]);
  });

  it('when a date-time ending in "p.m." fills any placeholder, then no period is doubled', () => {
    const when = formatters(lang).dateTime(new Date('2026-12-01T21:24:00Z')); // 3:24 p.m. in Mexico City
    if (lang === 'es') expect(when).toMatch(/p\.\s?m\.$/);
    const doubled = numeric.map((key) => [key, t(key, withAll(placeholders(es[key]), when))]).filter(([, text]) => /\.\./.test(text!));
    expect(doubled).toEqual([]);
  });
});

describe('plural messages', () => {
  it('when the number is 1, 0 or 21, then each language picks its own form', () => {
    expect(translator('es')('badge.expiresIn', { days: 1 })).toBe('Vence en 1 día');
    expect(translator('es')('badge.expiresIn', { days: 0 })).toBe('Vence en 0 días');
    expect(translator('es')('badge.expiresIn', { days: 21 })).toBe('Vence en 21 días');
    expect(translator('en')('badge.expiresIn', { days: 1 })).toBe('Expires in 1 day');
    expect(translator('en')('audit.total', { total: 1234 })).toBe('1,234 events');
  });
});
