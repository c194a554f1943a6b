/**
 * The radar's CSV covers the e.firma: its number, expiry and days left, in three columns after
 * the CSD's; an e.firma upload drops the radar's cache so the export shows it at once.
 */
import { afterEach, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { startTestApp, type TestApp } from './support/app-harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;

it('after an e.firma upload the radar CSV lists it with its number, expiry and days left', async () => {
  const fiel = standardFixtures(FIXTURE_REFERENCE_DATE).fiel;
  t = await startTestApp();
  const support = await t.signIn('support');
  const text = async () => ((await support.agent.get('/radar.csv').buffer(true)).text as string).replace(/^\uFEFF/, '').split('\r\n');
  const before = await text();
  expect(before[0]).toContain('Días restantes,Número de e.firma,e.firma vence (UTC),Días restantes de la e.firma');
  expect(before.find((l) => l.includes(ORG))!.split(',').slice(-3)).toEqual(['', '', '']);

  const res = await support.agent.post(`/organizations/${ORG}/fiel`).field('_csrf', support.csrf)
    .attach('cer', fiel.cer, { filename: 'FIEL.cer' }).attach('key', fiel.key, { filename: 'FIEL.key' })
    .field('password', fiel.password).field('confirmFiel', 'yes');
  expect(res.status).toBe(303);

  const line = (await text()).find((l) => l.includes(ORG))!;
  expect(line.split(',').slice(-3)).toEqual([fiel.certificateNumber, fiel.validTo.toISOString(), '1095']);
});

it('after an e.firma upload the radar and the organization list show its badge under the CSD’s', async () => {
  const fiel = standardFixtures(FIXTURE_REFERENCE_DATE).fiel;
  t = await startTestApp();
  const support = await t.signIn('support');
  expect((await support.agent.get('/radar')).text).not.toContain('data-fiel-badge');
  const res = await support.agent.post(`/organizations/${ORG}/fiel`).field('_csrf', support.csrf)
    .attach('cer', fiel.cer, { filename: 'FIEL.cer' }).attach('key', fiel.key, { filename: 'FIEL.key' })
    .field('password', fiel.password).field('confirmFiel', 'yes');
  expect(res.status).toBe(303);
  for (const path of ['/radar', '/organizations']) {
    const html = (await support.agent.get(path)).text;
    const row = html.slice(html.indexOf(`/organizations/${ORG}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/data-fiel-badge><span class="muted">e\.firma:<\/span> <span class="badge badge-valid">Vigente<\/span>/);
  }
});
