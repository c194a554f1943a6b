/**
 * The organization page's "latest changes" name why an attempt failed in words, as the audit
 * trail does (issue 11: people read names and sentences, not codes); seen by hand as
 * "Falló private_key_password_incorrect". The code stays in data-codes for support.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
let t: TestApp;
let support: SignedIn;

beforeAll(async () => {
  t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
  support = await t.signIn('support');
  const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
  expect((await postUpload(support, ORG, { ...fx.validCsd, password: 'no-es-esta' })).status).toBe(422);
});
afterAll(async () => {
  await t?.close();
});

describe('when an upload was refused for a wrong password', () => {
  it.each([
    ['es', 'la contraseña no abre la llave privada'],
    ['en', 'the password does not open the private key'],
  ])('then the organization page (%s) says why in words, with the code kept for support', async (lang, words) => {
    const page = (await support.agent.get(`/organizations/${ORG}`).set('Accept-Language', lang)).text;
    const history = page.slice(page.indexOf('id="history"'));
    expect(history).toContain(words);
    expect(history).toContain('data-codes="private_key_password_incorrect"');
    expect(history).not.toMatch(/>\s*private_key_password_incorrect\s*</);
  });
});
