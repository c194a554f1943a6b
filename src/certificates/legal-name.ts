/**
 * Does a certificate holder's name (SAT's, with the corporate regime: "HERRERIA & ELECTRICOS S DE
 * CV") name the same taxpayer as an organization's legal name (Facturapi's `legal_name`, which
 * CFDI 4.0 wants without the regime)? CFDI 4.0 refuses an invoice whose issuer name differs from
 * SAT's records, so a mismatch is worth a warning; spelling differences are not, so accents
 * (Ñ included: its tilde is a combining mark, as Á's accent is), case, punctuation, spacing and a
 * trailing regime are set aside. "&" is part of a name, not punctuation: "A&B" and "A & B" agree,
 * "A&B" and "AB" do not. Pure.
 */

/**
 * Corporate-regime suffixes SAT writes after a name, spaced and unpunctuated (the form a name
 * has after `normalizeName`). Longer ones first, so "SA DE CV" is removed whole, not as "CV".
 * Several may stack ("SA DE CV SOFOM ENR"): they are removed from the end one at a time.
 */
export const CORPORATE_REGIME_SUFFIXES: readonly string[] = [
  'SOCIEDAD ANONIMA PROMOTORA DE INVERSION DE CAPITAL VARIABLE',
  'SOCIEDAD DE RESPONSABILIDAD LIMITADA DE CAPITAL VARIABLE',
  'SOCIEDAD ANONIMA BURSATIL DE CAPITAL VARIABLE',
  'SOCIEDAD ANONIMA DE CAPITAL VARIABLE',
  'SOCIEDAD DE RESPONSABILIDAD LIMITADA',
  'SOCIEDAD POR ACCIONES SIMPLIFICADA',
  'SOCIEDAD COOPERATIVA',
  'SOCIEDAD ANONIMA',
  'SOCIEDAD CIVIL',
  'ASOCIACION CIVIL',
  'SC DE RL DE CV',
  'SPR DE RL DE CV',
  'S DE RL DE CV',
  'S DE RL MI',
  'SAPI DE CV',
  'SAB DE CV',
  'SAS DE CV',
  'S EN C POR A',
  'S EN NC',
  'S EN C',
  'SPR DE RL',
  'SPR DE RI',
  'SC DE RL',
  'SC DE CV',
  'SA DE CV',
  'S DE RL',
  'S DE CV',
  'SOFOM ENR',
  'SOFOM ER',
  'SAPI',
  'SAB',
  'SAS',
  'SCL',
  'SCP',
  'IAP',
  'ABP',
  'SA',
  'SC',
  'AC',
];

// Suffixes as token lists, longest first.
const SUFFIX_TOKENS = CORPORATE_REGIME_SUFFIXES.map((s) => s.split(' ')).sort((a, b) => b.length - a.length);

/**
 * Upper case, no diacritics, "&" as a word of its own, other punctuation dropped ("S.A." → "SA",
 * "C.V.," → "CV"), single spaces.
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/&/g, ' & ')
    .replace(/[.'’´`]/g, '')
    .replace(/[^A-Z0-9& ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The normalized name without its trailing corporate-regime suffixes (never down to nothing). */
export function withoutRegime(name: string): string {
  let tokens = normalizeName(name).split(' ').filter(Boolean);
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SUFFIX_TOKENS) {
      if (tokens.length <= suffix.length) continue;
      const tail = tokens.slice(tokens.length - suffix.length);
      if (tail.every((token, i) => token === suffix[i])) {
        tokens = tokens.slice(0, tokens.length - suffix.length);
        changed = true;
        break;
      }
    }
  }
  return tokens.join(' ');
}

/** True when the two names are the same once accents, case, punctuation and the regime are set aside. */
export function sameLegalName(holderName: string, organizationLegalName: string): boolean {
  return withoutRegime(holderName) === withoutRegime(organizationLegalName);
}
