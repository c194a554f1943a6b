/**
 * The e.firma (FIEL) upload through HTTP (issue 12, part 1): its own form and route, refusing a
 * CSD, the CSD form pointing an e.firma to it, the explicit confirmation, the audit event, and no
 * secret in the logs. Spanish and English.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, sha256, type SignedIn, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const puts = (t: TestApp) => t.emulator.received.filter((r) => r.method === 'PUT');

interface FielParts {
  cer: Buffer;
  key: Buffer;
  password: string;
  confirm?: boolean;
}

/** Posts the e.firma form as a browser does (token, files, password, the confirmation tick). */
function postFiel(session: SignedIn, organizationId: string, parts: FielParts, headers: Record<string, string> = {}) {
  let req = session.agent.post(`/organizations/${organizationId}/fiel`).set(headers).field('_csrf', session.csrf);
  req = req.attach('cer', parts.cer, { filename: 'FIEL.cer', contentType: 'application/x-x509-ca-cert' });
  req = req.attach('key', parts.key, { filename: 'FIEL.key', contentType: 'application/octet-stream' });
  req = req.field('password', parts.password);
  if (parts.confirm !== false) req = req.field('confirmFiel', 'yes');
  return req;
}

const LANGS = { es: 'es-MX', en: 'en-US' } as const;
type Lang = keyof typeof LANGS;
const M = {
  accepted: { es: (n: string) => `Facturapi aceptó la e.firma ${n}`, en: (n: string) => `Facturapi accepted e.firma ${n}` },
  // FIXTURE_REFERENCE_DATE + 3 years (standardFixtures) = 2029-01-14T00:00Z, the 13th in Mexico City.
  validTo: { es: '13 de enero de 2029', en: 'January 13, 2029' },
  daysLeft: { es: '(1,095 días)', en: '(1,095 days)' },
  bulkOnly: { es: 'Facturapi la usa solo para la descarga masiva de CFDI', en: 'Facturapi uses it only for bulk CFDI downloads' },
  csdInFiel: { es: 'Este certificado es un CSD, no tu e.firma (FIEL)', en: 'This certificate is a CSD, not your e.firma (FIEL)' },
  fielInCsd: { es: 'Este certificado es tu e.firma (FIEL), no un CSD', en: 'This certificate is your e.firma (FIEL), not a CSD' },
  offer: { es: 'usa el formulario de la e.firma', en: 'use the e.firma form' },
  confirm: { es: 'Marca la casilla de confirmación para subir la e.firma', en: 'Tick the confirmation box to upload the e.firma' },
  rfc: { es: 'Esta e.firma es del RFC EPR010101AB1, pero la organización es del RFC EKU9003173C9', en: 'This e.firma belongs to RFC EPR010101AB1, but the organization' },
};

let fx: StandardFixtures;
let t: TestApp;
let support: SignedIn;
beforeAll(() => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
});
beforeEach(async () => {
  t = await startTestApp();
  support = await t.signIn('support');
});
afterEach(async () => {
  await t.close();
});

describe.each(Object.keys(LANGS) as Lang[])('the e.firma upload (%s)', (lang) => {
  const headers = { 'Accept-Language': LANGS[lang] };

  it('the page shows both credentials and an e.firma form that says what it is for', async () => {
    const page = await support.agent.get(`/organizations/${ORG}`).set(headers);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="/organizations/${ORG}/certificate"`);
    expect(page.text).toContain(`action="/organizations/${ORG}/fiel"`);
    expect(page.text).toContain(M.bulkOnly[lang]);
    expect(page.text).toMatch(/<input type="checkbox" id="fiel-confirm" name="confirmFiel" value="yes"/);
  });

  it('a sound e.firma is relayed byte for byte to PUT /fiel, and the page shows its number and validity', async () => {
    const { cer, key, password, certificateNumber } = fx.fiel;
    const res = await postFiel(support, ORG, fx.fiel, headers);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/organizations/${ORG}?fiel=${certificateNumber}#fiel`);
    const sent = puts(t);
    expect(sent.map((r) => r.path)).toEqual([`/v2/organizations/${ORG}/fiel`]);
    expect(sent[0]!.upload?.cer?.sha256).toBe(sha256(cer));
    expect(sent[0]!.upload?.key?.sha256).toBe(sha256(key));
    expect(sent[0]!.upload?.password?.sha256).toBe(sha256(password));

    const page = await support.agent.get(res.headers.location!.replace('#fiel', '')).set(headers);
    const fielPanel = page.text.slice(page.text.indexOf('id="fiel"'));
    expect(fielPanel).toContain(M.accepted[lang](certificateNumber));
    expect(fielPanel).toContain(`data-fiel="certificate-number">${certificateNumber}<`);
    expect(fielPanel).toContain(M.validTo[lang]);
    expect(fielPanel).toContain(M.daysLeft[lang]);
    // The CSD is untouched: the organization still has none.
    expect(page.text).not.toContain(`data-fact="certificate-number"`);
  });

  it('a CSD in the e.firma form is refused here with a message, and nothing is sent', async () => {
    const res = await postFiel(support, ORG, fx.validCsd, headers);
    expect(res.status).toBe(422);
    expect(res.text).toContain(M.csdInFiel[lang]);
    expect(res.text).toContain('id="fiel-errors"');
    expect(puts(t)).toHaveLength(0);
  });

  it('an e.firma in the CSD form gets a message that offers the e.firma form', async () => {
    const res = await postUpload(support, ORG, fx.fiel, headers);
    expect(res.status).toBe(422);
    expect(res.text).toContain(M.fielInCsd[lang]);
    expect(res.text).toMatch(new RegExp(`<p id="fiel-offer"><a href="#fiel">[^<]*${M.offer[lang]}`));
    expect(res.text).toContain('id="fiel-form"');
    expect(puts(t)).toHaveLength(0);
  });

  it('without the confirmation tick the e.firma is refused with a message, and nothing is sent', async () => {
    const res = await postFiel(support, ORG, { ...fx.fiel, confirm: false }, headers);
    expect(res.status).toBe(400);
    expect(res.text).toContain(M.confirm[lang]);
    expect(puts(t)).toHaveLength(0);
  });

  it('an e.firma of another RFC than the organization’s is refused here, and nothing is sent', async () => {
    const res = await postFiel(support, DEMO_ORGANIZATION_IDS.expiresSoon, fx.fiel, headers);
    expect(res.status).toBe(422);
    expect(res.text).toContain(M.rfc[lang]);
    expect(puts(t)).toHaveLength(0);
  });
});

describe('the e.firma upload’s trail and logs', () => {
  it('a relayed e.firma is audited as fiel.upload: the attempt completed as a success with its public facts only', async () => {
    const res = await postFiel(support, ORG, fx.fiel);
    expect(res.status).toBe(303);
    const { rows } = await t.audit.query({ action: 'fiel.upload', page: 1, pageSize: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ organizationId: ORG, outcome: 'success', detail: { result: 'uploaded', certificateNumber: fx.fiel.certificateNumber, certificateType: 'FIEL', onBehalfOfCustomer: true } });
    expect(JSON.stringify(rows[0])).not.toContain(fx.fiel.password);
    // The CSD's trail is not touched.
    expect((await t.audit.query({ action: 'certificate.upload', page: 1, pageSize: 10 })).rows).toHaveLength(0);
    // The organization page's history lists it.
    const page = await support.agent.get(`/organizations/${ORG}`);
    expect(page.text).toContain('Carga de e.firma');
  });

  it('refusals are audited too: a CSD in the e.firma form, and a missing confirmation', async () => {
    await postFiel(support, ORG, fx.validCsd);
    await postFiel(support, ORG, { ...fx.fiel, confirm: false });
    const { rows } = await t.audit.query({ action: 'fiel.upload', page: 1, pageSize: 10 });
    expect(rows.map((r) => [r.outcome, r.detail.result, r.detail.problems ?? r.detail.reason]).sort()).toEqual([
      ['failure', 'form_rejected', 'fiel.confirm.required'],
      ['failure', 'invalid', 'fiel_required'],
    ]);
  });

  it('no password or key bytes reach the logs', async () => {
    const password = 'ClaveDeLaEfirma-Única-9731';
    const pair = { ...fx.fiel, password };
    // A sound upload, an unconfirmed one, and one whose password does not open the key.
    await postFiel(support, ORG, fx.fiel);
    await postFiel(support, ORG, { ...pair, confirm: false });
    await postFiel(support, ORG, pair);
    const logs = t.logs.text;
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(fx.fiel.password);
    for (const secret of [fx.fiel.key, fx.fiel.cer]) {
      expect(logs).not.toContain(secret.toString('base64').slice(0, 40));
      expect(logs).not.toContain(secret.toString('hex').slice(0, 40));
      expect(logs).not.toContain(secret.toString('latin1').slice(0, 40));
    }
    expect(logs).toContain('/fiel'); // the requests were logged, without their secrets
  });
});

// SAT's own test e.firma (../shared/fixtures/sat/README.md §2), read from SAT_SAMPLES_DIR, never copied into the repo.
const samples = process.env['SAT_SAMPLES_DIR'];
describe.skipIf(!samples)('SAT’s sample e.firma (skipped: set SAT_SAMPLES_DIR to the shared fixtures/sat folder)', () => {
  it('SAT’s EKU9003173C9 e.firma is installed on its organization, and SAT’s CSD is refused in the e.firma form', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const read = (name: string) => readFileSync(join(samples!, name));
    const fiel = { cer: read('fiel-EKU9003173C9.cer'), key: read('fiel-EKU9003173C9.key'), password: read('fiel-EKU9003173C9.password.txt').toString('utf8') };
    const csd = { cer: read('csd-EKU9003173C9.cer'), key: read('csd-EKU9003173C9.key'), password: read('csd-EKU9003173C9.password.txt').toString('utf8') };
    const org = DEMO_ORGANIZATION_IDS.expiresSoon; // Escuela Kemper Urgate, RFC EKU9003173C9
    const refused = await postFiel(support, org, csd);
    expect(refused.status).toBe(422);
    expect(puts(t)).toHaveLength(0);
    const res = await postFiel(support, org, fiel);
    expect(res.status).toBe(303);
    const page = await support.agent.get(`/organizations/${org}`);
    const number = /fiel=(\d{20})/.exec(res.headers.location!)![1]!;
    expect(page.text).toContain(`data-fiel="certificate-number">${number}<`);
  });
});

describe('an e.firma upload Facturapi applies but does not answer', () => {
  it('is found by reading the organization’s fiel back: the page shows it, and the trail says installed', async () => {
    t.emulator.setFault({ kind: 'drop_response' }, { match: { method: 'PUT' } });
    let res;
    try {
      res = await postFiel(support, ORG, fx.fiel);
    } finally {
      t.emulator.setFault(null);
    }
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/organizations/${ORG}?fiel=${fx.fiel.certificateNumber}#fiel`);
    const { rows } = await t.audit.query({ action: 'fiel.upload', page: 1, pageSize: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', detail: { result: 'unavailable', readBack: 'installed', installedCertificateNumber: fx.fiel.certificateNumber } });
  });
});
