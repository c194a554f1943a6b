/**
 * The e.firma form speaks of the e.firma: the messages it shares with the CSD form (a missing
 * file, a file too large) name the e.firma there, from the server and in the client-side checks'
 * data-* texts, on the organization page and on an e.firma link's page. Through HTTP.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { MAX_FILE_BYTES } from '../src/certificates/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
let fx: StandardFixtures;
let t: TestApp | undefined;
let support: SignedIn;
beforeAll(() => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const fielPanel = (html: string) => html.slice(html.indexOf('id="fiel"'));

describe('when the e.firma form is sent without its files, or with one too large', () => {
  it('then the messages name the e.firma, not the CSD (Spanish and English), and the CSD form keeps its own', async () => {
    t = await startTestApp();
    support = await t.signIn('support');
    const missing = await support.agent.post(`/organizations/${ORG}/fiel`).field('_csrf', support.csrf).field('password', 'x').field('confirmFiel', 'yes');
    expect(missing.status).toBe(400);
    expect(fielPanel(missing.text)).toContain('Elige el archivo .cer de la e.firma.');
    expect(fielPanel(missing.text)).toContain('Elige el archivo .key de la e.firma.');
    expect(fielPanel(missing.text)).not.toContain('del CSD.');

    const big = await support.agent.post(`/organizations/${ORG}/fiel`).field('_csrf', support.csrf)
      .attach('cer', Buffer.alloc(MAX_FILE_BYTES + 1, 1), 'FIEL.cer').attach('key', fx.fiel.key, 'FIEL.key').field('password', 'x').field('confirmFiel', 'yes');
    expect(big.status).toBe(413);
    expect(fielPanel(big.text)).toContain('Un archivo de la e.firma pesa alrededor de 2 KB.');

    const en = await support.agent.post(`/organizations/${ORG}/fiel`).set('Accept-Language', 'en').field('_csrf', support.csrf).field('password', 'x').field('confirmFiel', 'yes');
    expect(fielPanel(en.text)).toContain('Choose the e.firma&#39;s .cer file.');

    const csd = await postUpload(support, ORG, { password: 'x' });
    expect(csd.status).toBe(400);
    expect(csd.text).toContain('Elige el archivo .cer del CSD.');
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('then the client-side checks of the e.firma form carry the e.firma\u2019s words too', async () => {
    t = await startTestApp();
    support = await t.signIn('support');
    const page = await support.agent.get(`/organizations/${ORG}`);
    const form = /<form[^>]*id="fiel-form"[^>]*>/.exec(page.text)?.[0] ?? '';
    expect(form).toContain('data-upload-form');
    expect(form).toContain('data-msg-cer-required="Elige el archivo .cer de la e.firma."');
    expect(form).toContain('data-msg-key-required="Elige el archivo .key de la e.firma."');
    expect(form).toMatch(/data-msg-too-large="[^"]*Un archivo de la e\.firma pesa alrededor de 2 KB\."/);
  });
});
