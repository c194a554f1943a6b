/**
 * The upload limits on the e.firma form (the CSD's are test/upload-limits.test.ts): both forms
 * share one budget, and a refusal by a limit is shown in the form that was sent, so the person
 * sees it where they pressed the button. Through HTTP against the real app.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
let fx: StandardFixtures;
let t: TestApp | undefined;
beforeAll(() => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function postFiel(session: SignedIn, password: string) {
  return session.agent.post(`/organizations/${ORG}/fiel`).field('_csrf', session.csrf)
    .attach('cer', fx.fiel.cer, { filename: 'FIEL.cer', contentType: 'application/x-x509-ca-cert' })
    .attach('key', fx.fiel.key, { filename: 'FIEL.key', contentType: 'application/octet-stream' })
    .field('password', password).field('confirmFiel', 'yes');
}

describe('when the e.firma form hits the refusals limit', () => {
  it('then the 429 page shows the limit in the e.firma form, not in the CSD form', async () => {
    t = await startTestApp({ env: { UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '1' } });
    const support = await t.signIn('support');
    expect((await postFiel(support, 'wrong')).status).toBe(422);
    const limited = await postFiel(support, 'wrong again');
    expect(limited.status).toBe(429);
    const fielPanel = limited.text.slice(limited.text.indexOf('id="fiel"'));
    const csdPart = limited.text.slice(0, limited.text.indexOf('id="fiel"'));
    expect(fielPanel).toMatch(/id="fiel-errors"[\s\S]*Llegaste al límite/);
    expect(csdPart).not.toContain('id="upload-errors"');
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });
});
