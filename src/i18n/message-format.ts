/**
 * Fills a catalogue message: `{name}` placeholders and ICU-style plurals,
 * `{days, plural, one {# día} other {# días}}` (an `=N` case wins over the category; `#` is the
 * number, formatted for the language). Categories come from Intl.PluralRules, so each language
 * gets its own rules ("1 día", "0 días"; "1 day", "0 days") without code knowing either.
 *
 * A value that ends with a period before a period of the message keeps only one: es-MX times
 * end in "p.m." and a sentence ending "… vence el {expiresAt}." must not read "p.m..".
 * Unknown placeholders are left visible so they get noticed.
 */

export interface MessageLocale {
  plural: Intl.PluralRules;
  number: Intl.NumberFormat;
}

export type MessageParams = Record<string, string | number>;

/** Returns the index just past the `}` that closes the `{` at `open` (or the text's length). */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** `one {…} other {…}` into its cases. */
function pluralCases(body: string): Map<string, string> {
  const cases = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    const selector = /^\s*(=\d+|[a-z]+)\s*\{/.exec(body.slice(i));
    if (!selector) break;
    const open = i + selector[0].length - 1;
    const end = closing(body, open);
    cases.set(selector[1]!, body.slice(open + 1, end - 1));
    i = end;
  }
  return cases;
}

export function formatMessage(template: string, params: MessageParams, locale: MessageLocale): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) return out + template.slice(i);
    out += template.slice(i, open);
    const end = closing(template, open);
    const whole = template.slice(open, end);
    const plural = /^\{(\w+),\s*plural,(.*)\}$/s.exec(whole);
    const simple = /^\{(\w+)\}$/.exec(whole);
    i = end;
    if (plural && plural[1]! in params) {
      const raw = params[plural[1]!]!;
      const n = Number(raw);
      const cases = pluralCases(plural[2]!);
      // A value already formatted ("10,000") is no number: shown as given, in the 'other' form.
      if (Number.isNaN(n)) {
        out += formatMessage((cases.get('other') ?? '').replace(/#/g, String(raw)), params, locale);
        continue;
      }
      const chosen = cases.get(`=${n}`) ?? cases.get(locale.plural.select(n)) ?? cases.get('other') ?? '';
      out += formatMessage(chosen.replace(/#/g, locale.number.format(n)), params, locale);
    } else if (simple && simple[1]! in params) {
      const value = String(params[simple[1]!]);
      out += value;
      if (value.endsWith('.') && template[i] === '.') i += 1;
    } else {
      out += whole;
    }
  }
  return out;
}
