/**
 * Issue 10, points 1-5 and 7, through HTTP against the real app and emulator, in Spanish and
 * English: whose certificate the pages show, the three headings (refused here / refused by
 * Facturapi / no answer, with the read-back), local refusals (another RFC, the same certificate,
 * an earlier expiry), swapped files and PKCS#12, and Facturapi down keeping the organization page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { sha256, startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, pkcs12Container, standardFixtures } from '../fixtures/index.js';

const DAY = 86_400_000;
const at = FIXTURE_REFERENCE_DATE.getTime();
const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
const LANGS = { es: 'es-MX,es;q=0.9', en: 'en-US,en;q=0.9' } as const;
type Lang = keyof typeof LANGS;

/** Words of the page, per language. */
const M = {
  refusedHere: { es: 'No se envió nada a Facturapi. Corrige lo siguiente', en: 'Nothing was sent to Facturapi. Fix the following' },
  refusedByFacturapi: { es: 'Se envió a Facturapi y lo rechazó; el certificado de la organización no cambió.', en: 'It was sent to Facturapi, which refused it; the organization&#39;s certificate did not change.' },
  noAnswer: { es: 'Se envió a Facturapi, pero no dio una respuesta.', en: 'It was sent to Facturapi, but Facturapi gave no answer.' },
  notInstalledNone: { es: 'no quedó instalado; la organización sigue sin certificado', en: 'was not installed; the organization still has no certificate' },
  notInstalled: { es: 'no quedó instalado; Facturapi sigue con el certificado', en: 'was not installed; Facturapi still has certificate' },
  confirmedByReadBack: { es: 'al volver a leer la organización confirmamos que el certificado quedó instalado', en: 'reading the organization back confirmed that the certificate was installed' },
  holder: { es: 'Titular del certificado', en: 'Certificate holder' },
  holderDiffers: { es: 'no coincide con la razón social de la organización en Facturapi', en: 'does not match the organization&#39;s legal name at Facturapi' },
  rfcConflict: { es: 'no coincide con el del certificado instalado', en: 'does not match the installed certificate' },
  rfcHint: { es: 'Un CSD solo puede reemplazarse por otro del mismo RFC', en: 'A CSD can only be replaced by another one with the same RFC' },
  alreadyInstalled: { es: 'ya está instalado; no cambió nada', en: 'is already installed; nothing changed' },
  earlierExpiry: { es: 'antes que el instalado', en: 'before the installed one' },
  swapped: { es: 'Los archivos estaban en el campo contrario', en: 'The files were in each other&#39;s field' },
  keyInCerField: { es: 'En el campo del certificado elegiste una llave privada (.key)', en: 'You chose a private key (.key) in the certificate field' },
  pkcs12: { es: 'es un .pfx/.p12 (un paquete PKCS#12)', en: 'is a .pfx/.p12 (a PKCS#12 bundle)' },
  certifica: { es: 'Certifica del SAT', en: 'SAT&#39;s Certifica' },
  filesNotKept: { es: 'El navegador no puede conservar los archivos', en: 'The browser cannot keep the chosen files' },
  notSent: { es: 'No se envió nada a Facturapi; el certificado de la organización no cambió.', en: 'Nothing was sent to Facturapi; the organization&#39;s certificate did not change.' },
  notSentUnavailable: { es: 'no pudimos leer la organización), así que no enviamos el certificado', en: 'we could not read the organization), so we did not send the certificate' },
  rateLimited: { es: 'Facturapi está recibiendo demasiadas solicitudes', en: 'Facturapi is receiving too many requests' },
} as const;

let t: TestApp;
let support: SignedIn;
let serial = 900;
/** A fresh CSD of the synthetic taxpayer (EPR010101AB1, EMPRESA DE PRUEBA SA DE CV). */
const pair = (options: Parameters<typeof generateSatPair>[0] = {}) =>
  generateSatPair({ validFrom: new Date(at - 30 * DAY), validTo: new Date(at + 1000 * DAY), certificateNumber: certificateNumber(serial++), ...options });
const puts = () => t.emulator.received.filter((r) => r.method === 'PUT').length;
const eventOf = async (requestId: unknown) => (await t.audit.query({ action: 'certificate.upload', page: 1, pageSize: 500 })).rows.find((r) => r.requestId === requestId);

beforeAll(async () => {
  t = await startTestApp({ timeoutMs: 1_000, env: { UPLOADS_PER_USER_PER_HOUR: '100000' } });
  support = await t.signIn('support');
});
afterAll(async () => {
  await t?.close();
});

describe.each(Object.keys(LANGS) as Lang[])('the upload journey tells the truth (%s)', (lang) => {
  const headers = { 'Accept-Language': LANGS[lang] };
  const upload = (org: string, files: Parameters<typeof postUpload>[2]) => postUpload(support, org, files, headers);
  const page = async (url: string) => (await support.agent.get(url).set(headers)).text;

  describe('1. whose certificate', () => {
    it('when a certificate of another taxpayer is installed, then the result and the status show its holder, RFC and number, and warn that the name differs', async () => {
      // Café Altura Chiapaneca has no certificate; the CSD belongs to EMPRESA DE PRUEBA SA DE CV.
      const csd = pair();
      const res = await upload(DEMO_ORGANIZATION_IDS.noCertificateEither, csd);
      expect(res.status).toBe(303);
      const html = await page(res.headers.location!);
      expect(html).toMatch(new RegExp(`data-fact="holder-name">EMPRESA DE PRUEBA SA DE CV<`));
      expect(html).toContain(`data-fact="rfc">EPR010101AB1<`);
      expect(html).toContain(`data-fact="certificate-number">${csd.certificateNumber}<`);
      expect(html).toContain(M.holder[lang]);
      expect(html).toMatch(/data-status="holder-name">EMPRESA DE PRUEBA SA DE CV/);
      expect(html).toContain(M.holderDiffers[lang]);
      expect(html).toContain('id="status-warnings"');
      // The status box says it on the plain page too, from the audit event that kept the holder.
      const plain = await page(`/organizations/${DEMO_ORGANIZATION_IDS.noCertificateEither}`);
      expect(plain).toMatch(/data-status="holder-name">EMPRESA DE PRUEBA SA DE CV/);
      expect(plain).toContain(M.holderDiffers[lang]);
      expect((await eventOf(res.headers['x-request-id']))?.detail).toMatchObject({ holderName: 'EMPRESA DE PRUEBA SA DE CV', rfc: 'EPR010101AB1' });
    });

    it('when the holder is the organization once regime, accents and punctuation are set aside, then no warning', async () => {
      // ESCUELA KEMPER URGATE (Facturapi) vs "Escuela Kemper Urgate, S.A. de C.V." (the certificate).
      const csd = pair({ rfc: 'EKU9003173C9', legalName: 'ESCUELA KEMPER URGATE, S.A. DE C.V.' });
      const res = await upload(DEMO_ORGANIZATION_IDS.expiresSoon, csd);
      expect(res.status).toBe(303);
      const html = await page(res.headers.location!);
      expect(html).toContain('data-fact="holder-name">ESCUELA KEMPER URGATE, S.A. DE C.V.<');
      expect(html).not.toContain(M.holderDiffers[lang]);
    });
  });

  describe('2. what reached Facturapi', () => {
    it('when the check here refuses, then the heading says nothing was sent', async () => {
      const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, { ...pair(), password: 'not-it' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('data-heading="refused_here"');
      expect(res.text).toContain(M.refusedHere[lang]);
    });

    it('when Facturapi refuses, then the heading says it was sent and refused and nothing changed, never "nothing was sent"', async () => {
      t.emulator.setFault({ kind: 'error', status: 400, code: 'certificate_fiel_rfc_mismatch' }, { times: 1, match: { method: 'PUT' } });
      const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, pair());
      expect(res.status).toBe(422);
      expect(res.text).toContain('data-heading="refused_by_facturapi"');
      expect(res.text).toContain(M.refusedByFacturapi[lang]);
      expect(res.text).not.toContain(M.refusedHere[lang]);
    });

    it('when Facturapi does not answer and the read-back shows it did not take, then "not installed, try again", the form is ready, and the audit says so', async () => {
      t.emulator.setFault({ kind: 'hang' }, { match: { method: 'PUT' } });
      try {
        const csd = pair();
        const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, csd);
        expect(res.status).toBe(504);
        expect(res.text).toContain('data-heading="no_answer"');
        expect(res.text).toContain(M.noAnswer[lang]);
        expect(res.text).toContain('data-read-back="not_installed"');
        // The organization may hold an earlier test's certificate by now: either wording says "not installed".
        expect(res.text).toMatch(new RegExp(`${M.notInstalledNone[lang]}|${M.notInstalled[lang]}`));
        expect(res.text).toContain(M.filesNotKept[lang]);
        expect(res.text).toContain('id="upload-submit"');
        const event = await eventOf(res.headers['x-request-id']);
        expect(event?.outcome).toBe('failure');
        expect(event?.detail).toMatchObject({ result: 'unavailable', reason: 'facturapi_timeout', readBack: 'not_installed', certificateNumber: csd.certificateNumber });
      } finally {
        t.emulator.setFault(null);
      }
    });

    it('when Facturapi applies the upload but its answer is lost, then the read-back finds it installed, the page says so, and the audit is a success', async () => {
      t.emulator.setFault({ kind: 'drop_response' }, { match: { method: 'PUT' } });
      let res;
      const csd = pair();
      try {
        res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, csd);
      } finally {
        t.emulator.setFault(null);
      }
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain('read_back');
      const html = await page(res.headers.location!);
      expect(html).toContain(M.confirmedByReadBack[lang]);
      expect(html).toContain(`data-fact="certificate-number">${csd.certificateNumber}<`);
      const event = await eventOf(res.headers['x-request-id']);
      expect(event?.outcome).toBe('success');
      expect(event?.detail).toMatchObject({ result: 'unavailable', reason: 'facturapi_network', readBack: 'installed', installedCertificateNumber: csd.certificateNumber });
    });
  });

  describe('3. another RFC installed', () => {
    it('then it is refused here with the fix hint, nothing is sent, and the audit names the reason', async () => {
      const before = puts();
      // Abarrotes Gómez & Hijos has AGH991123N41's certificate installed.
      const res = await upload(DEMO_ORGANIZATION_IDS.expiresIn45Days, pair());
      expect(res.status).toBe(422);
      expect(res.text).toContain(M.refusedHere[lang]);
      expect(res.text).toContain(M.rfcConflict[lang]);
      expect(res.text).toContain(M.rfcHint[lang]);
      expect(puts()).toBe(before);
      expect((await eventOf(res.headers['x-request-id']))?.detail).toMatchObject({ result: 'conflict', reason: 'previous_rfc_mismatch', installedRfc: 'AGH991123N41' });
    });
  });

  describe('4. the same or an older certificate', () => {
    it('when the installed certificate is sent again, then "already installed; nothing changed" and nothing is sent', async () => {
      const csd = pair({ rfc: 'CDS120924A41', validTo: new Date(at + 1500 * DAY) });
      // Clínica Dental Sonrisa (CDS120924A41): install it, then send it again.
      expect((await upload(DEMO_ORGANIZATION_IDS.validForYearsToo, { ...csd })).status).toBe(303);
      const before = puts();
      const res = await upload(DEMO_ORGANIZATION_IDS.validForYearsToo, csd);
      expect(res.status).toBe(200);
      expect(res.text).toContain('id="upload-notice"');
      expect(res.text).toContain(M.alreadyInstalled[lang]);
      expect(puts()).toBe(before);
      expect((await eventOf(res.headers['x-request-id']))?.detail).toMatchObject({ result: 'already_installed' });
    });

    it('when a certificate expires before the installed one, then it asks for a confirmation first, and sends it once confirmed', async () => {
      const later = pair({ rfc: 'FPE080512K73', validTo: new Date(at + 1500 * DAY) });
      const sooner = pair({ rfc: 'FPE080512K73', validTo: new Date(at + 400 * DAY) });
      const org = DEMO_ORGANIZATION_IDS.validForYears;
      expect((await upload(org, later)).status).toBe(303);
      const before = puts();
      const asked = await upload(org, sooner);
      expect(asked.status).toBe(422);
      expect(asked.text).toContain(M.earlierExpiry[lang]);
      expect(asked.text).toMatch(/<input type="checkbox" id="confirmEarlierExpiry" name="confirmEarlierExpiry" value="yes">/);
      expect(puts()).toBe(before);
      // Confirmed, but Facturapi fails: the page keeps the tick (the files cannot be kept).
      t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'PUT' } });
      try {
        const failed = await postUpload(support, org, sooner, headers).field('confirmEarlierExpiry', 'yes');
        expect(failed.status).toBe(503);
        expect(failed.text).toMatch(/name="confirmEarlierExpiry" value="yes" checked>/);
      } finally {
        t.emulator.setFault(null);
      }
      const putsBeforeConfirmed = puts();
      const confirmed = await postUpload(support, org, sooner, headers).field('confirmEarlierExpiry', 'yes');
      expect(confirmed.status).toBe(303);
      expect(puts()).toBe(putsBeforeConfirmed + 1);
    });
  });

  describe('5. swapped or misnamed files', () => {
    it('when the .key is in the certificate field and the .cer in the key field, then they are used as meant and the person is told', async () => {
      const csd = pair();
      const before = t.emulator.received.length;
      const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, { cer: csd.key, key: csd.cer, password: csd.password, cerName: 'CSD.key', keyName: 'CSD.cer' });
      expect(res.status).toBe(303);
      const put = t.emulator.received.slice(before).find((r) => r.method === 'PUT');
      expect(put?.upload?.cer?.sha256).toBe(sha256(csd.cer));
      expect(put?.upload?.key?.sha256).toBe(sha256(csd.key));
      expect(await page(res.headers.location!)).toContain(M.swapped[lang]);
    });

    it('when both fields hold the .key, then the certificate field is said to hold a key, and nothing is sent', async () => {
      const csd = pair();
      const before = puts();
      const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, { cer: csd.key, key: csd.key, password: csd.password, cerName: 'CSD.key' });
      expect(res.status).toBe(422);
      expect(res.text).toContain(M.keyInCerField[lang]);
      expect(puts()).toBe(before);
    });

    it.each([
      ['a .pfx', { indefinite: false }, 'CSD.pfx'],
      ['a BER .p12', { indefinite: true }, 'CSD.p12'],
    ])('when %s is chosen, then the page says how to get the .cer and .key', async (_name, options, name) => {
      const bundle = pkcs12Container(fx.validCsd, options);
      const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, { cer: bundle, key: fx.validCsd.key, password: 'x', cerName: name });
      expect(res.status).toBe(422);
      expect(res.text).toContain(M.pkcs12[lang]);
      expect(res.text).toContain(M.certifica[lang]);
    });
  });

  describe('7. Facturapi down stays on the organization page', () => {
    it.each([
      ['503', { kind: 'status', status: 503, json: true } as const, 503, M.noAnswer],
      ['502 from a proxy', { kind: 'status', status: 502, json: false } as const, 503, M.noAnswer],
      ['429 with a long Retry-After', { kind: 'rate_limit', retryAfterSeconds: 120 } as const, 503, M.rateLimited],
    ])('when the upload gets a %s, then the organization page keeps the message, the status and the form', async (_name, fault, status, message) => {
      t.emulator.setFault(fault, { match: { method: 'PUT' } });
      try {
        const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, pair());
        expect(res.status).toBe(status);
        expect(res.text).toContain(message[lang]);
        expect(res.text).toContain('id="certificate-status"');
        expect(res.text).toContain('id="upload-submit"');
        expect(res.text).toContain(M.filesNotKept[lang]);
      } finally {
        t.emulator.setFault(null);
      }
    });

    it('when even the organization cannot be read, then nothing is sent and the page says so, with the form ready', async () => {
      t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'GET' } });
      const before = puts();
      try {
        const res = await upload(DEMO_ORGANIZATION_IDS.noCertificate, pair());
        expect(res.status).toBe(503);
        expect(res.text).toContain(M.notSent[lang]);
        expect(res.text).toContain(M.notSentUnavailable[lang]);
        expect(res.text).toContain('id="upload-submit"');
        expect(puts()).toBe(before);
      } finally {
        t.emulator.setFault(null);
      }
    });
  });
});
