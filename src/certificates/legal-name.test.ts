import { describe, expect, it } from 'vitest';
import { normalizeName, sameLegalName, withoutRegime } from './legal-name.js';

describe('legal-name comparison', () => {
  it.each([
    ['ESCUELA KEMPER URGATE SA DE CV', 'ESCUELA KEMPER URGATE'],
    ['Escuela Kemper Urgate, S.A. de C.V.', 'ESCUELA KEMPER URGATE'],
    ['HERRERIA & ELECTRICOS S DE CV', 'Herrería & Eléctricos'],
    ['HERRERIA&ELECTRICOS S DE CV', 'HERRERIA & ELECTRICOS'],
    ['ÑEVES RAMIREZ QUEZADA', 'Neves Ramírez Quezada'],
    ['ÑANDU PEREZ LOPEZ', 'ñandú pérez lópez'],
    ['A&B CONSULTORES SA DE CV', 'A & B Consultores'],
    ['CONSTRUCTORA DEL NORTE S DE RL DE CV', 'Constructora del Norte'],
    ['CONSTRUCTORA DEL NORTE S. DE R.L. DE C.V.', 'CONSTRUCTORA DEL NORTE'],
    ['DESPACHO LOPEZ SC', 'Despacho López'],
    ['FONDO CRECE SAPI DE CV', 'FONDO CRECE'],
    ['AMIGOS DEL BOSQUE A.C.', 'Amigos del Bosque'],
    ['FINANCIERA AZUL SA DE CV SOFOM ENR', 'FINANCIERA AZUL'],
    ['ACCEM SERVICIOS EMPRESARIALES SC', 'ACCEM SERVICIOS EMPRESARIALES SC'],
  ])('"%s" and "%s" are the same taxpayer', (holder, legal) => {
    expect(sameLegalName(holder, legal)).toBe(true);
  });

  it.each([
    ['EMPRESA DE PRUEBA SA DE CV', 'CAFE ALTURA CHIAPANECA'],
    ['A&B CONSULTORES SA DE CV', 'AB CONSULTORES'],
    ['PEÑA Y ASOCIADOS SC', 'PEÑA ASOCIADOS'],
    ['ESCUELA KEMPER URGATE SA DE CV', 'ESCUELA KEMPER'],
  ])('"%s" and "%s" are different', (holder, legal) => {
    expect(sameLegalName(holder, legal)).toBe(false);
  });

  it('keeps Ñ as N and & as a word, drops punctuation', () => {
    expect(normalizeName('  Peña,  S.A.  de  C.V. ')).toBe('PENA SA DE CV');
    expect(normalizeName('A&B')).toBe('A & B');
  });

  it('never strips a name down to nothing (a company called "SC" stays "SC")', () => {
    expect(withoutRegime('SC')).toBe('SC');
    expect(withoutRegime('SA DE CV')).toBe('SA DE CV');
  });
});
