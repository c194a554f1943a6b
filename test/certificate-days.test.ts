/**
 * Issue 10, point 6: the certificate status agrees with itself. One day-counting rule
 * (calendar days in Mexico City, src/organizations/expiry-days.ts) for the badge, the date line,
 * the list, the radar and its CSV; "vence en N días" up to 90 days; an expired or missing
 * certificate is never shown next to "ready to invoice". Through HTTP, Spanish and English.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildOrganizationWire, DEMO_ORGANIZATION_IDS, demoOrganizations } from '../emulator/index.js';
import { startTestApp, type TestApp } from './support/app-harness.js';

const ORG = '65a1c0de00000000000000a1';
// 11 December 2026, 09:00 in Mexico City (UTC-6).
const ENDS = new Date('2026-12-11T15:00:00Z');
const org = (expiresAt: Date, pendingSteps: ('certificate' | 'legal')[] = []) =>
  buildOrganizationWire({
    id: ORG,
    createdAt: new Date('2022-01-01T00:00:00Z'),
    name: 'Panadería Ñandú',
    legalName: 'PANADERIA ÑANDU',
    taxId: 'PNA0101015X1',
    certificate: { has_certificate: true, updated_at: '2022-12-11T15:00:00.000Z', expires_at: expiresAt.toISOString(), serial_number: '00001000000500009999' },
    pendingSteps,
  });

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const EN = { 'Accept-Language': 'en' };

async function everyPlace(app: TestApp, headers: Record<string, string> = {}) {
  const support = await app.signIn('support');
  const page = (await support.agent.get(`/organizations/${ORG}`).set(headers)).text;
  const list = (await support.agent.get('/organizations').set(headers)).text;
  const radar = (await support.agent.get('/radar').set(headers)).text;
  const csv = (await support.agent.get('/radar.csv').set(headers)).text;
  const csvDays = csv.split('\n').find((line) => line.includes(ORG))?.trim().split(',').at(-4); // the CSD's days; the e.firma's three columns follow
  return { page, list, radar, csvDays };
}

describe('when a certificate ends on 11 December and it is 1 December in Mexico City', () => {
  it('then the badge, the date line, the list, the radar and its CSV all say 10 days (Spanish)', async () => {
    // Midday in Mexico City: 9 days and 21 hours are left, 10 calendar days.
    t = await startTestApp({ now: new Date('2026-12-01T18:00:00Z'), organizations: [org(ENDS)] });
    const { page, list, radar, csvDays } = await everyPlace(t);
    expect(page).toContain('Vence en 10 días');
    expect(page).toContain('11 de diciembre de 2026 <span class="muted">(10 días)</span>');
    expect(list).toContain('Vence en 10 días');
    expect(radar).toContain('Vence en 10 días');
    expect(csvDays).toBe('10');
  });

  it('then the same in English', async () => {
    t = await startTestApp({ now: new Date('2026-12-01T18:00:00Z'), organizations: [org(ENDS)] });
    const { page, list, radar, csvDays } = await everyPlace(t, EN);
    expect(page).toContain('Expires in 10 days');
    expect(page).toContain('December 11, 2026 <span class="muted">(10 days)</span>');
    expect(list).toContain('Expires in 10 days');
    expect(radar).toContain('Expires in 10 days');
    expect(csvDays).toBe('10');
  });
});

describe('when the clock crosses midnight in Mexico City', () => {
  it('then one second before it there are 11 days left, and at midnight 10', async () => {
    t = await startTestApp({ now: new Date('2026-12-01T05:59:59Z'), organizations: [org(ENDS)] }); // 30 Nov 23:59:59 in Mexico City
    const support = await t.signIn('support');
    expect((await support.agent.get(`/organizations/${ORG}`)).text).toContain('Vence en 11 días');
    t.clock.advance(1000); // 1 Dec 00:00:00 in Mexico City (06:00 UTC)
    const page = (await support.agent.get(`/organizations/${ORG}`)).text;
    expect(page).toContain('Vence en 10 días');
    expect(page).toContain('(10 días)');
    t.clock.set('2026-12-11T05:59:59Z'); // 10 Dec 23:59:59 (sessions last 12 hours: sign in again)
    const later = await t.signIn('support');
    const lastDay = (await later.agent.get(`/organizations/${ORG}`).set(EN)).text;
    expect(lastDay).toContain('Expires in 1 day<');
    expect(lastDay).toContain('(1 day)');
    expect((await later.agent.get(`/organizations/${ORG}`)).text).toContain('Vence en 1 día<');
    t.clock.set('2026-12-11T06:00:00Z'); // 11 Dec 00:00, the day it ends
    expect((await later.agent.get(`/organizations/${ORG}`)).text).toContain('Vence hoy');
  });
});

describe('when a certificate expires in 45 or 80 days (the demo organizations)', () => {
  it('then the list says "vence en 45/80 días" rather than "Vigente", a minute after the demo was seeded too', async () => {
    const now = new Date('2026-12-01T18:00:00Z');
    t = await startTestApp({ now, organizations: demoOrganizations(now) });
    t.clock.advance(60_000);
    const support = await t.signIn('support');
    const list = (await support.agent.get('/organizations')).text;
    expect(list).toContain('Vence en 45 días');
    expect(list).toContain('Vence en 80 días');
    expect(list).toContain('Vence en 10 días'); // expiresSoon: "within ten days"
    const en = (await support.agent.get('/organizations').set(EN)).text;
    expect(en).toContain('Expires in 45 days');
    expect(en).toContain('Expires in 80 days');
    const page = (await support.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.expiresIn80Days}`)).text;
    expect(page).toContain('Vence en 80 días');
    expect(page).toContain('(80 días)');
  });
});

describe('when the certificate has expired but Facturapi lists no pending step', () => {
  it('then the page does not say the organization is ready to invoice and asks for a valid CSD (Spanish and English)', async () => {
    t = await startTestApp({ now: new Date('2026-12-20T18:00:00Z'), organizations: [org(ENDS)] });
    const support = await t.signIn('support');
    const es = (await support.agent.get(`/organizations/${ORG}`)).text;
    expect(es).toContain('Vencido');
    expect(es).not.toContain('lista para facturar');
    expect(es).toContain('Subir un CSD vigente: el actual venció el 11 de diciembre de 2026.');
    const en = (await support.agent.get(`/organizations/${ORG}`).set(EN)).text;
    expect(en).toContain('Expired');
    expect(en).not.toContain('ready to invoice');
    expect(en).toContain('Upload a valid CSD: the current one expired on December 11, 2026.');
  });

  it('then a certificate that has not expired, with no pending step, still says ready', async () => {
    t = await startTestApp({ now: new Date('2026-12-01T18:00:00Z'), organizations: [org(ENDS)] });
    const support = await t.signIn('support');
    expect((await support.agent.get(`/organizations/${ORG}`)).text).toContain('Ninguno: la organización está lista para facturar.');
  });
});
