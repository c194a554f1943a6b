/**
 * Issue 10, point 2, the case no emulator fault shows: Facturapi does not answer the upload and
 * does not answer the read-back either. A scripted Facturapi (test/support/scripted-server.ts)
 * answers the first read, then fails everything until the test brings it back. The page must
 * say "could not confirm", keep the attempt `unknown` in the trail, and offer a button that reads
 * again and completes the attempt with what Facturapi then holds; in Spanish and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { buildOrganizationWire, DEMO_ORGANIZATION_IDS, emptyCertificate, type OrganizationWire } from '../emulator/index.js';
import { createFacturapiClient } from '../src/facturapi/client.js';
import { startTestApp, TEST_USER_KEY, type SignedIn, type TestApp } from './support/app-harness.js';
import { startScriptedServer, type ScriptedServer } from './support/scripted-server.js';
import { postUpload } from './support/upload-request.js';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const DAY = 86_400_000;
const LANGS = { es: 'es-MX,es;q=0.9', en: 'en-US,en;q=0.9' } as const;
const M = {
  unconfirmed: { es: 'No pudimos confirmar si el certificado', en: 'We could not confirm whether certificate' },
  recheck: { es: 'Revisar de nuevo', en: 'Check again' },
  confirmed: { es: 'confirmamos que el certificado quedó instalado', en: 'confirmed that the certificate was installed' },
  notInstalled: { es: 'no quedó instalado; la organización sigue sin certificado', en: 'was not installed; the organization still has no certificate' },
} as const;

let wire: OrganizationWire;
/** While true, every request fails with a 503 (Facturapi down after the upload was sent). */
let down = false;
let facturapi: ScriptedServer;
let t: TestApp;
let support: SignedIn;
let n = 700;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  facturapi = await startScriptedServer((req, res) => {
    if (down) return json(res, 503, { ok: false, status: 503, message: 'Service unavailable' });
    if (req.method === 'PUT') {
      // The upload is never answered usably, and Facturapi goes down with it.
      down = true;
      return json(res, 503, { ok: false, status: 503, message: 'Service unavailable' });
    }
    if (req.method === 'GET' && req.url?.startsWith(`/v2/organizations/${ORG}`)) return json(res, 200, wire);
    if (req.method === 'GET' && req.url?.startsWith('/v2/organizations')) return json(res, 200, { page: 1, total_pages: 1, total_results: 1, data: [wire] });
    return json(res, 404, { ok: false, status: 404, code: 'organization_not_found', message: 'No se encontró la organización.' });
  });
  const client = createFacturapiClient({ baseUrl: facturapi.url, userKey: TEST_USER_KEY, timeoutMs: 1_000, retry: { baseDelayMs: 1 } });
  t = await startTestApp({ timeoutMs: 1_000, deps: { facturapi: client }, env: { UPLOADS_PER_USER_PER_HOUR: '100000' } });
  support = await t.signIn('support');
});
afterAll(async () => {
  await t?.close();
  await facturapi?.close();
});

const fresh = () => {
  wire = buildOrganizationWire({ id: ORG, createdAt: new Date('2025-01-01T00:00:00Z'), name: 'Café Altura Chiapaneca', legalName: 'CAFE ALTURA CHIAPANECA', taxId: null, certificate: emptyCertificate(), pendingSteps: ['certificate'] });
  down = false;
};
const installed = (number: string): OrganizationWire['certificate'] => ({ has_certificate: true, updated_at: FIXTURE_REFERENCE_DATE.toISOString(), expires_at: new Date(FIXTURE_REFERENCE_DATE.getTime() + 900 * DAY).toISOString(), serial_number: number });

describe.each(Object.keys(LANGS) as (keyof typeof LANGS)[])('when Facturapi answers neither the upload nor the read-back (%s)', (lang) => {
  const headers = { 'Accept-Language': LANGS[lang] };

  async function unansweredUpload() {
    fresh();
    const csd = generateSatPair({ validFrom: new Date(FIXTURE_REFERENCE_DATE.getTime() - DAY), validTo: new Date(FIXTURE_REFERENCE_DATE.getTime() + 900 * DAY), certificateNumber: certificateNumber(n++) });
    const res = await postUpload(support, ORG, csd, headers);
    const attempt = /name="attempt" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
    return { res, csd, attempt };
  }
  const recheck = (attempt: string, number: string, csrf: string | null = support.csrf) => {
    const form: Record<string, string> = { attempt, number };
    if (csrf !== null) form._csrf = csrf;
    return support.agent.post(`/organizations/${ORG}/certificate/check`).type('form').set(headers).send(form);
  };
  const attemptEvent = async (id: string) => (await t.audit.query({ action: 'certificate.upload', page: 1, pageSize: 500 })).rows.find((r) => r.id === id);

  it('then the page says it could not confirm, offers "check again", and the trail keeps the attempt unknown', async () => {
    const { res, csd, attempt } = await unansweredUpload();
    expect(res.status).toBe(503);
    expect(res.text).toContain('data-read-back="unconfirmed"');
    expect(res.text).toContain(M.unconfirmed[lang]);
    expect(res.text).toContain(M.recheck[lang]);
    expect(res.text).toContain('id="upload-submit"');
    const event = await attemptEvent(attempt);
    expect(event?.outcome).toBe('unknown');
    expect(event?.detail).toMatchObject({ result: 'unavailable', readBack: 'unconfirmed', certificateNumber: csd.certificateNumber });
  });

  it('then "check again" while Facturapi is still down says so again and changes nothing', async () => {
    const { csd, attempt } = await unansweredUpload();
    const again = await recheck(attempt, csd.certificateNumber);
    expect(again.status).toBe(503);
    expect(again.text).toContain(M.unconfirmed[lang]);
    expect((await attemptEvent(attempt))?.outcome).toBe('unknown');
  });

  it('then "check again" once Facturapi is back with it installed shows the success and completes the attempt as a success', async () => {
    const { csd, attempt } = await unansweredUpload();
    wire = { ...wire, legal: { ...wire.legal, tax_id: csd.rfc }, certificate: installed(csd.certificateNumber), pending_steps: [] };
    down = false;
    const again = await recheck(attempt, csd.certificateNumber);
    expect(again.status).toBe(303);
    const page = await support.agent.get(again.headers.location!).set(headers);
    expect(page.text).toContain(M.confirmed[lang]);
    expect(page.text).toContain(`data-fact="certificate-number">${csd.certificateNumber}<`);
    const event = await attemptEvent(attempt);
    expect(event?.outcome).toBe('success');
    expect(event?.detail).toMatchObject({ readBack: 'installed', rechecked: true, holderName: 'EMPRESA DE PRUEBA SA DE CV' });
  });

  it('then "check again" once Facturapi is back without it says "not installed" and completes the attempt as a failure', async () => {
    const { csd, attempt } = await unansweredUpload();
    down = false;
    const again = await recheck(attempt, csd.certificateNumber);
    expect(again.status).toBe(200);
    expect(again.text).toContain(M.notInstalled[lang]);
    expect((await attemptEvent(attempt))?.outcome).toBe('failure');
  });

  it('then "check again" without the CSRF token is refused and reads nothing', async () => {
    const { csd, attempt } = await unansweredUpload();
    down = false;
    const before = facturapi.count;
    const again = await recheck(attempt, csd.certificateNumber, null);
    expect(again.status).toBe(403);
    expect(facturapi.count).toBe(before);
    expect((await attemptEvent(attempt))?.outcome).toBe('unknown');
  });
});
