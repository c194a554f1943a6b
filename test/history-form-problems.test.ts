/**
 * People read words, not codes: a form refused before it could be checked (no confirmation tick,
 * no file, a password left empty) is in the organization's history and the audit page as what
 * was wrong, in the reader's language — not as the form's message keys ("fiel.confirm.required").
 */
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
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
afterEach(() => t.close());

it('when an e.firma form without its tick and a CSD form without a password are refused, then the history says what was missing, in Spanish and in English', async () => {
  const fiel = await support.agent.post(`/organizations/${ORG}/fiel`).field('_csrf', support.csrf)
    .attach('cer', fx.fiel.cer, { filename: 'FIEL.cer', contentType: 'application/x-x509-ca-cert' })
    .attach('key', fx.fiel.key, { filename: 'FIEL.key', contentType: 'application/octet-stream' })
    .field('password', fx.fiel.password);
  expect(fiel.status).toBe(400);
  const csd = await support.agent.post(`/organizations/${ORG}/certificate`).field('_csrf', support.csrf)
    .attach('cer', fx.validCsd.cer, { filename: 'CSD.cer', contentType: 'application/x-x509-ca-cert' })
    .attach('key', fx.validCsd.key, { filename: 'CSD.key', contentType: 'application/octet-stream' })
    .field('password', '');
  expect(csd.status).toBe(400);

  for (const [lang, tick, password] of [
    ['es-MX', 'faltó marcar la confirmación de la e.firma', 'faltó la contraseña'],
    ['en-US', 'the e.firma confirmation was not ticked', 'the password was missing'],
  ] as const) {
    for (const path of [`/organizations/${ORG}`, '/audit']) {
      const page = await support.agent.get(path).set('Accept-Language', lang);
      expect(page.status).toBe(200);
      expect(page.text).toContain(tick);
      expect(page.text).toContain(password);
      // The codes stay available to quote to support, but never as the sentence.
      expect(page.text).not.toMatch(/\((fiel\.confirm\.required|field\.password\.required)\)/);
    }
  }
});
