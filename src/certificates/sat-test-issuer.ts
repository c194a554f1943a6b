/**
 * Is this a SAT *test* certificate (no fiscal validity)? Facturapi's live mode will refuse it,
 * so the app wants to warn early. The rule, true when either holds:
 *
 * 1. The issuer is not a SAT production CA:
 *    - CN `AC UAT` (current SAT test CA) or CN starting `A.C. 2 de pruebas` (older test CA), or
 *    - the issuer O is not "Servicio de Administración Tributaria", compared loosely (case,
 *      accents and spacing ignored), because SAT's production CAs spell it several ways
 *      (csd.md §2.4). Our synthetic CA (O `NO ES EL SAT`) lands here.
 * 2. The certificate number is in SAT's test range: it starts `3000` (production numbers
 *    start `0000`, csd.md §2.3).
 *
 * This is a heuristic on names, not chain verification: a forged issuer name can claim to be
 * SAT. Verifying against SAT's CA bundle would be the strict check (csd.md §2.4).
 */
export function isSatTestCertificate(
  issuer: { commonName: string | null; organization: string | null },
  certificateNumber: string,
): boolean {
  if (certificateNumber.startsWith('3000')) return true;
  const commonName = loose(issuer.commonName);
  if (commonName === 'ac uat' || commonName.startsWith('a.c. 2 de pruebas')) return true;
  return loose(issuer.organization) !== 'servicio de administracion tributaria';
}

/** Lower case, accents removed, whitespace collapsed. */
function loose(value: string | null): string {
  return (value ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
