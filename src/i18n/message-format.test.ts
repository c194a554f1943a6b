import { describe, expect, it } from 'vitest';
import { formatMessage } from './message-format.js';

const es = { plural: new Intl.PluralRules('es-MX'), number: new Intl.NumberFormat('es-MX') };
const en = { plural: new Intl.PluralRules('en-US'), number: new Intl.NumberFormat('en-US') };

describe('formatMessage', () => {
  it('when a plural has an exact case, then it wins over the category', () => {
    const m = '{n, plural, =0 {ningún día} one {# día} other {# días}}';
    expect(formatMessage(m, { n: 0 }, es)).toBe('ningún día');
    expect(formatMessage(m, { n: 1 }, es)).toBe('1 día');
    expect(formatMessage(m, { n: 1500 }, es)).toBe('1,500 días');
  });
  it('when a plural is given an already formatted number, then it is shown as given, in the other form (not NaN, not "10 eventos")', () => {
    expect(formatMessage('Más de {n, plural, one {# evento} other {# eventos}}', { n: '10,000' }, es)).toBe('Más de 10,000 eventos');
  });
  it('when a plural case holds a placeholder, then it is filled too', () => {
    expect(formatMessage('{n, plural, one {# file for {name}} other {# files for {name}}}', { n: 2, name: 'Ñandú' }, en)).toBe('2 files for Ñandú');
  });
  it('when a placeholder is unknown, then it stays visible', () => {
    expect(formatMessage('Hola {name} {n, plural, one {# x} other {# xs}}', {}, es)).toBe('Hola {name} {n, plural, one {# x} other {# xs}}');
  });
  it('when a value ends with a period before the message’s own, then only one is kept', () => {
    expect(formatMessage('Vence el {when}. Listo.', { when: '2 dic 2026, 3:24 p.m.' }, es)).toBe('Vence el 2 dic 2026, 3:24 p.m. Listo.');
    expect(formatMessage('Vence el {when}.', { when: '2 dic 2026' }, es)).toBe('Vence el 2 dic 2026.');
    expect(formatMessage('({when})', { when: '3:24 p.m.' }, es)).toBe('(3:24 p.m.)');
  });
});
