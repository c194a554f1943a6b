/**
 * "Check again" for the e.firma (the CSD's is test/upload-recheck.test.ts): an e.firma upload
 * Facturapi does not answer, whose read-back fails too, leaves the page saying "could not
 * confirm" with a button that reads the organization again (never sends) and completes the
 * attempt left `unknown` in the trail with what Facturapi then holds in its `fiel`. Through HTTP
 * against the real app and the emulator: `drop_response` on the PUT (applied, answer lost) or a
 * 503 (not applied), then a 503 for every read until the test heals the emulator.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import type { FacturapiClient } from '../src/facturapi/client.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const M = {
  unconfirmed: { es: 'No pudimos confirmar si el certificado', en: 'We could not confirm whether certificate' },
  recheck: { es: 'Revisar de nuevo', en: 'Check again' },
  notInstalled: { es: 'no quedó instalado', en: 'was not installed' },
} as const;

let fx: StandardFixtures;
let t: TestApp;
let support: SignedIn;
/** How the next upload's PUT fails: applied with its answer lost, or refused with a 503 (not applied). */
let putFault: 'drop_response' | 'status' = 'drop_response';
beforeAll(() => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
});

/** After the PUT failed, Facturapi stays down for reads: the read-back fails too. */
function downAfterUpload(client: FacturapiClient): FacturapiClient {
  const failReads = () => t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'GET' } });
  const failing = <A extends unknown[]>(upload: (...args: A) => Promise<unknown>) => async (...args: A) => {
    t.emulator.setFault(putFault === 'drop_response' ? { kind: 'drop_response' } : { kind: 'status', status: 503, json: true }, { match: { method: 'PUT' } });
    try {
      return await upload(...args);
    } finally {
      failReads();
    }
  };
  return { ...client, uploadFiel: failing(client.uploadFiel.bind(client)), uploadCertificate: failing(client.uploadCertificate.bind(client)) } as FacturapiClient;
}

beforeEach(async () => {
  putFault = 'drop_response';
  t = await startTestApp({ timeoutMs: 1_000, wrapFacturapi: downAfterUpload });
  support = await t.signIn('support');
});
afterEach(async () => {
  await t.close();
});

const puts = () => t.emulator.received.filter((r) => r.method === 'PUT').length;
const gets = () => t.emulator.received.filter((r) => r.method === 'GET').length;
const attemptOf = (html: string, form: string) => new RegExp(`<form method="post" action="/organizations/${ORG}/${form}/check"[^>]*>[\\s\\S]*?name="attempt" value="([^"]+)"`).exec(html)?.[1] ?? '';
const attemptEvent = async (action: 'fiel.upload' | 'certificate.upload', id: string) => (await t.audit.query({ action, page: 1, pageSize: 100 })).rows.find((r) => r.id === id);

function postFiel(headers: Record<string, string> = {}) {
  return support.agent.post(`/organizations/${ORG}/fiel`).set(headers).field('_csrf', support.csrf)
    .attach('cer', fx.fiel.cer, { filename: 'FIEL.cer', contentType: 'application/x-x509-ca-cert' })
    .attach('key', fx.fiel.key, { filename: 'FIEL.key', contentType: 'application/octet-stream' })
    .field('password', fx.fiel.password).field('confirmFiel', 'yes');
}
function recheckFiel(attempt: string, number: string, options: { csrf?: string | null; headers?: Record<string, string> } = {}) {
  const form: Record<string, string> = { attempt, number };
  const csrf = options.csrf === undefined ? support.csrf : options.csrf;
  if (csrf !== null) form._csrf = csrf;
  return support.agent.post(`/organizations/${ORG}/fiel/check`).type('form').set(options.headers ?? {}).send(form);
}

describe.each(['es', 'en'] as const)('when Facturapi answers neither the e.firma upload nor the read-back (%s)', (lang) => {
  const headers = { 'Accept-Language': lang === 'es' ? 'es-MX,es;q=0.9' : 'en-US,en;q=0.9' };

  it('then the e.firma form says it could not confirm and offers its own "check again"; the trail keeps the attempt unknown', async () => {
    const res = await postFiel(headers);
    expect(res.status).toBe(503);
    const panel = res.text.slice(res.text.indexOf('id="fiel"'));
    expect(panel).toContain('id="fiel-errors"');
    expect(panel).toContain('data-read-back="unconfirmed"');
    expect(panel).toContain(M.unconfirmed[lang]);
    expect(panel).toMatch(new RegExp(`<button type="submit" class="button button-small" id="fiel-recheck-submit">${M.recheck[lang]}</button>`));
    // The CSD form has no read-back to show.
    expect(res.text.slice(0, res.text.indexOf('id="fiel"'))).not.toContain('data-read-back');
    const attempt = attemptOf(res.text, 'fiel');
    const event = await attemptEvent('fiel.upload', attempt);
    expect(event?.outcome).toBe('unknown');
    expect(event?.detail).toMatchObject({ result: 'unavailable', readBack: 'unconfirmed', certificateNumber: fx.fiel.certificateNumber });
  });

  it('then "check again" while Facturapi is still down says so again, sends nothing and changes nothing', async () => {
    const attempt = attemptOf((await postFiel(headers)).text, 'fiel');
    const sent = puts();
    const again = await recheckFiel(attempt, fx.fiel.certificateNumber, { headers });
    expect(again.status).toBe(503);
    expect(again.text).toContain(M.unconfirmed[lang]);
    expect(again.text).toContain('id="fiel-recheck-form"');
    expect(puts()).toBe(sent);
    expect((await attemptEvent('fiel.upload', attempt))?.outcome).toBe('unknown');
  });
});

describe('when Facturapi is back after an unanswered e.firma upload', () => {
  it('then "check again" finds the e.firma installed (the upload was applied), shows it and completes the attempt as a success', async () => {
    const attempt = attemptOf((await postFiel()).text, 'fiel');
    t.emulator.setFault(null);
    const sent = puts();
    const again = await recheckFiel(attempt, fx.fiel.certificateNumber);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/organizations/${ORG}?fiel=${fx.fiel.certificateNumber}#fiel`);
    expect(puts()).toBe(sent);
    const page = await support.agent.get(again.headers.location!.replace('#fiel', ''));
    expect(page.text).toContain(`Facturapi aceptó la e.firma ${fx.fiel.certificateNumber}`);
    expect(page.text).toContain(`data-fiel="certificate-number">${fx.fiel.certificateNumber}<`);
    const event = await attemptEvent('fiel.upload', attempt);
    expect(event?.outcome).toBe('success');
    expect(event?.detail).toMatchObject({ readBack: 'installed', rechecked: true, installedCertificateNumber: fx.fiel.certificateNumber, certificateType: 'FIEL' });
    // The CSD's trail is not touched.
    expect((await t.audit.query({ action: 'certificate.upload', page: 1, pageSize: 10 })).rows).toHaveLength(0);
  });

  it('then "check again" finds it not installed (the upload was refused with a 503) and completes the attempt as a failure', async () => {
    putFault = 'status';
    const attempt = attemptOf((await postFiel()).text, 'fiel');
    t.emulator.setFault(null);
    const again = await recheckFiel(attempt, fx.fiel.certificateNumber);
    expect(again.status).toBe(200);
    const panel = again.text.slice(again.text.indexOf('id="fiel"'));
    expect(panel).toContain('data-read-back="not_installed"');
    expect(panel).toContain(M.notInstalled.es);
    expect(panel).toContain('id="fiel-form"');
    const event = await attemptEvent('fiel.upload', attempt);
    expect(event?.outcome).toBe('failure');
    expect(event?.detail).toMatchObject({ readBack: 'not_installed', rechecked: true, installedCertificateNumber: null });
  });

  it('then "check again" without the CSRF token is refused (403), reads nothing and leaves the attempt open', async () => {
    const attempt = attemptOf((await postFiel()).text, 'fiel');
    t.emulator.setFault(null);
    const read = gets();
    const again = await recheckFiel(attempt, fx.fiel.certificateNumber, { csrf: null });
    expect(again.status).toBe(403);
    expect(gets()).toBe(read);
    expect((await attemptEvent('fiel.upload', attempt))?.outcome).toBe('unknown');
  });

  it('then the e.firma\'s "check again" completes no CSD attempt, and bad input is a 400', async () => {
    // An unanswered CSD upload leaves a certificate.upload attempt open.
    const csd = await postUpload(support, ORG, fx.validCsd);
    expect(csd.status).toBe(503);
    const csdAttempt = attemptOf(csd.text, 'certificate');
    t.emulator.setFault(null);
    const sent = puts();
    const again = await recheckFiel(csdAttempt, fx.validCsd.certificateNumber);
    expect(again.status).toBe(200);
    expect((await attemptEvent('certificate.upload', csdAttempt))?.outcome).toBe('unknown');
    expect((await recheckFiel('not-a-uuid', fx.fiel.certificateNumber)).status).toBe(400);
    expect((await recheckFiel(csdAttempt, '123')).status).toBe(400);
    expect(puts()).toBe(sent);
  });
});
