/**
 * Translation: one catalogue per language, a `t(key, params)` per request, and date/number
 * formatting for the chosen language. Times are shown in Mexico City time; they are stored in UTC.
 */
import { en } from './en.js';
import { es, type MessageKey } from './es.js';
import { formatMessage, type MessageLocale } from './message-format.js';

export type { MessageKey };
export const LANGUAGES = ['es', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'es';
export const DISPLAY_TIME_ZONE = 'America/Mexico_City';

const catalogues: Record<Lang, Record<MessageKey, string>> = { es, en };
const locales: Record<Lang, string> = { es: 'es-MX', en: 'en-US' };
const messageLocales: Partial<Record<Lang, MessageLocale>> = {};

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(es, value);
}

/** Returns a translator bound to `lang`. Unknown placeholders are left visible so they get noticed. */
export function translator(lang: Lang): Translate {
  const catalogue = catalogues[lang];
  // Plural rules and number formats are built once per language (Intl constructors are costly).
  const locale: MessageLocale = (messageLocales[lang] ??= { plural: new Intl.PluralRules(locales[lang]), number: new Intl.NumberFormat(locales[lang]) });
  // A missing key shows itself rather than crashing a page (the catalogue test catches it).
  return (key, params = {}) => formatMessage(catalogue[key] ?? key, params, locale);
}

/** Picks the language: an explicit cookie wins, then the first supported `Accept-Language` entry. */
export function pickLanguage(cookieValue: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(cookieValue)) return cookieValue;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.base).find(isLang) ?? DEFAULT_LANG;
}

/** Formatting helpers handed to the views. */
/** Building Intl formatters costs about half a millisecond; every request needs them, so one set per language. */
const formatterCache = new Map<Lang, ReturnType<typeof buildFormatters>>();

export function formatters(lang: Lang) {
  let cached = formatterCache.get(lang);
  if (!cached) {
    cached = buildFormatters(lang);
    formatterCache.set(lang, cached);
  }
  return cached;
}

function buildFormatters(lang: Lang) {
  const locale = locales[lang];
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: DISPLAY_TIME_ZONE });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: DISPLAY_TIME_ZONE });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: DISPLAY_TIME_ZONE });
  const number = new Intl.NumberFormat(locale);
  return {
    date: (d: Date | null | undefined) => (d ? date.format(d) : ''),
    dateTime: (d: Date | null | undefined) => (d ? dateTime.format(d) : ''),
    /** The time of day only (Mexico City), e.g. when a limit resets within the hour. */
    time: (d: Date | null | undefined) => (d ? time.format(d) : ''),
    number: (n: number) => number.format(n),
  };
}
export type Formatters = ReturnType<typeof formatters>;
