/**
 * Hostile input against the upload limits (issue 10, point 9): a burst of password guesses sent
 * all at once cannot slip past the local-refusals budget (each request is counted when it starts,
 * before its key is tried), nothing is sent to Facturapi, the answers are 4xx with a message, and
 * once the window ends the person uploads normally.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const REFUSALS = 5;
let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ env: { UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: String(REFUSALS) } });
});
afterEach(async () => {
  await t.close();
});

describe('when 40 password guesses for one CSD arrive at once', () => {
  it('then at most the refusals budget is tried, the rest get a 429 with the limit named, and nothing reaches Facturapi', async () => {
    const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
    const admin = await t.signIn('admin');
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => postUpload(admin, ORG, { ...fx.validCsd, password: `guess-${i}-wrong` })));
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 422).length).toBeLessThanOrEqual(REFUSALS);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40 - REFUSALS);
    expect(statuses.every((s) => s === 422 || s === 429)).toBe(true);
    expect(guesses.find((r) => r.status === 429)?.text).toContain(`Llegaste al límite de ${REFUSALS} intentos rechazados aquí por hora`);
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);

    t.clock.advance(3_600_000);
    const again = await t.signIn('admin');
    expect((await postUpload(again, ORG, fx.validCsd)).status).toBe(303);
  });
});
