/**
 * `npm run demo:csd [-- --out DIR --rfc RFC --legal-name NAME --expired --fiel --now ISO]`
 *
 * Writes a synthetic SAT-format CSD for trying the upload form by hand: `<rfc>.cer`/`.key`, and
 * for the variants `<rfc>-fiel.*`, `<rfc>-expired.*` (`<rfc>-fiel-expired.*`), so making a pair
 * that shows an error never overwrites the good one. It is test material from our own throwaway
 * CA, useless for real invoicing. Unlike the app and the tests, this user tool reads the real
 * clock (unless `--now` pins it, as the tests do): the pair is valid from yesterday for four
 * years (or expired yesterday with --expired).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { RFC_PATTERN } from '../src/certificates/index.js';
import { DEMO_CSD } from '../fixtures/demo-csd.js';
import { generateSatPair } from '../fixtures/index.js';

/** The defaults live in fixtures/demo-csd.ts; the emulator's demo organization carries the same RFC. */
export { DEMO_CSD };

const DAY = 24 * 60 * 60 * 1000;
const FOUR_YEARS = 4 * 365 * DAY + DAY; // SAT issues CSDs for four years.

const USAGE = `Usage: npm run demo:csd -- [--out DIR] [--rfc RFC] [--legal-name NAME] [--expired] [--fiel]
  --out DIR          folder to write to (default ./demo-csd/)
  --rfc RFC          holder RFC (default ${DEMO_CSD.rfc}); 12 characters = persona moral, 13 = física
  --legal-name NAME  legal name in the certificate (default ${DEMO_CSD.legalName})
  --expired          a certificate that expired yesterday (to see certificate_expired)
  --fiel             a FIEL / e.firma instead of a CSD (for the e.firma form; the CSD form answers csd_required)
  --now ISO          pretend it is this instant (default: the real clock)
Files: <rfc>.cer/.key; --fiel and --expired add -fiel / -expired to the name, so the good pair is kept.`;

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'demo-csd' },
      rfc: { type: 'string', default: DEMO_CSD.rfc },
      'legal-name': { type: 'string', default: DEMO_CSD.legalName },
      expired: { type: 'boolean', default: false },
      fiel: { type: 'boolean', default: false },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const rfc = values.rfc.toUpperCase();
  if (!RFC_PATTERN.test(rfc)) console.warn(`Warning: ${rfc} is not a valid RFC shape; the inspector will answer certificate_invalid.`);
  const isMoral = rfc.length === 12;
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(now)) throw new Error(`--now ${values.now} is not a date (use ISO 8601, e.g. 2026-12-01T12:00:00Z)`);
  const pair = generateSatPair({
    type: values.fiel ? 'FIEL' : 'CSD',
    rfc,
    // A persona moral's certificate names its legal representative; a física's names the holder.
    representativeRfc: isMoral ? DEMO_CSD.representativeRfc : null,
    representativeCurp: isMoral ? DEMO_CSD.representativeCurp : null,
    curp: isMoral ? null : DEMO_CSD.representativeCurp,
    legalName: values['legal-name'],
    branch: DEMO_CSD.branch,
    certificateNumber: demoNumber(values.fiel ? 1 : 0, values.expired ? 2 : 0),
    validFrom: new Date(values.expired ? now - FOUR_YEARS - DAY : now - DAY),
    validTo: new Date(values.expired ? now - DAY : now + FOUR_YEARS),
    password: DEMO_CSD.password,
  });

  const dir = resolve(values.out);
  mkdirSync(dir, { recursive: true });
  const base = fileBase(rfc, values.fiel, values.expired);
  const cerPath = resolve(dir, `${base}.cer`);
  const keyPath = resolve(dir, `${base}.key`);
  writeFileSync(cerPath, pair.cer);
  writeFileSync(keyPath, pair.key);
  console.log(`Certificate:        ${cerPath}
Private key:        ${keyPath}
Password:           ${pair.password}
RFC:                ${pair.rfc}
Certificate number: ${pair.certificateNumber}
Valid:              ${pair.validFrom.toISOString()} → ${pair.validTo.toISOString()}${values.fiel ? '  (FIEL)' : ''}
${hint(values.expired, values.fiel, pair.rfc)}`);
  return 0;
}

/** One name per variant, so a pair made to see an error never overwrites the good one. */
export function fileBase(rfc: string, fiel: boolean, expired: boolean): string {
  return [rfc, fiel && 'fiel', expired && 'expired'].filter(Boolean).join('-');
}

function hint(expired: boolean, fiel: boolean, rfc: string): string {
  if (fiel && !expired) {
    return `Hint: upload it in the e.firma form of ${rfc === DEMO_CSD.rfc ? 'Escuela Kemper Urgate or of ' : ''}a demo organization without an RFC on file (Café Altura Chiapaneca); in the CSD form it is refused (csd_required).`;
  }
  if (expired || fiel) {
    return `Hint: upload it to see the rejection (${[fiel && 'csd_required', expired && 'certificate_expired'].filter(Boolean).join(', ')}).`;
  }
  if (rfc === DEMO_CSD.rfc) {
    return `Hint: in emulator mode this pair (RFC ${rfc}) renews Escuela Kemper Urgate, and any demo organization without a certificate yet accepts it.`;
  }
  return `Hint: in emulator mode a demo organization without a certificate yet accepts this pair (RFC ${rfc}); one whose certificate has another RFC refuses it (certificate_previous_rfc_mismatch).`;
}

/** Distinct numbers per variant so the emulator sees a "new" certificate for each. */
function demoNumber(...offsets: number[]): string {
  const base = BigInt(DEMO_CSD.certificateNumber);
  return (base + BigInt(offsets.reduce((sum, n) => sum + n, 0))).toString().padStart(20, '0');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exitCode = 1;
  }
}
