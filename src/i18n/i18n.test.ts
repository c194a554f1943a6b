import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { es } from './es.js';
import { formatters, pickLanguage, translator } from './index.js';

describe('catalogues', () => {
  it('when a key exists in one language, then it exists in the other', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });

  it('when a message has placeholders, then both languages use the same ones', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(es) as (keyof typeof es)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(es[key]));
    }
  });

  it('when no message is empty, then every key renders text', () => {
    for (const [key, value] of [...Object.entries(es), ...Object.entries(en)]) expect(value.trim(), key).not.toBe('');
  });
});

describe('translator', () => {
  it('when params are given, then placeholders are filled', () => {
    expect(translator('en')('badge.expiresIn', { days: 12 })).toBe('Expires in 12 days');
    expect(translator('es')('badge.expiresIn', { days: 12 })).toBe('Vence en 12 días');
  });
});

describe('pickLanguage', () => {
  it('when a language cookie is set, then it wins over Accept-Language', () => {
    expect(pickLanguage('en', 'es-MX,es;q=0.9')).toBe('en');
  });
  it('when only Accept-Language is sent, then the best supported language is used', () => {
    expect(pickLanguage(undefined, 'fr-FR,en-US;q=0.8,es;q=0.5')).toBe('en');
    expect(pickLanguage(undefined, 'de, es;q=0.1')).toBe('es');
  });
  it('when nothing usable is sent, then Spanish is the default', () => {
    expect(pickLanguage('xx', 'fr, de;q=0.9')).toBe('es');
    expect(pickLanguage(undefined, undefined)).toBe('es');
  });
});

describe('formatters', () => {
  it('when a UTC instant is formatted, then it is shown in Mexico City time', () => {
    // 05:30 UTC on 2 March is still 1 March in Mexico City (UTC-6).
    const d = new Date('2026-03-02T05:30:00Z');
    expect(formatters('en').date(d)).toBe('March 1, 2026');
    expect(formatters('es').date(d)).toBe('1 de marzo de 2026');
  });
});

describe('views', () => {
  it('when a view names a message key literally, then the key exists in the catalogue', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { isMessageKey } = await import('./index.js');
    const dir = path.resolve(import.meta.dirname, '../../views');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ejs'));
    expect(files.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const file of files) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      // t('key') and t("key") with a complete literal; dynamic keys ('prefix.' + x) are skipped.
      for (const match of source.matchAll(/\bt\(\s*['"]([\w.]+)['"]\s*[,)]/g)) {
        if (!isMessageKey(match[1]!)) missing.push(`${file}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
