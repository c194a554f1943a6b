/**
 * Issue 15, point 3: pages ask the policies (`can(...)` in res.locals) what to offer instead of
 * testing roles, so a page shows exactly what the guards allow. For each person: the links and
 * buttons a page offers, and the guard's answer when they are followed anyway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS, startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';

const WITH_CERTIFICATE = DEMO_ORGANIZATION_IDS.expiresIn45Days;

let t: TestApp;
let support: SignedIn;
let customer: SignedIn;
beforeAll(async () => {
  t = await startTestApp();
  support = await t.signIn('support');
  // An account admin who is a member of the organization with a certificate.
  customer = await t.signIn('otherAdmin');
});
afterAll(async () => {
  await t.close();
});

const offers = (html: string) => ({
  radar: html.includes('href="/radar"'),
  people: html.includes('href="/people"'),
  remove: html.includes(`href="/organizations/${WITH_CERTIFICATE}/certificate/remove"`),
});

describe('when a page offers what a person may do', () => {
  it('then support staff get the radar, the people page and the certificate removal, and each opens', async () => {
    const page = await support.agent.get(`/organizations/${WITH_CERTIFICATE}`);
    expect(page.status).toBe(200);
    expect(offers(page.text)).toEqual({ radar: true, people: true, remove: true });
    for (const path of ['/radar', '/people', `/organizations/${WITH_CERTIFICATE}/certificate/remove`]) expect((await support.agent.get(path)).status).toBe(200);
  });

  it('then an account admin of the organization gets none of them, and the guard refuses each', async () => {
    const page = await customer.agent.get(`/organizations/${WITH_CERTIFICATE}`);
    expect(page.status).toBe(200);
    expect(offers(page.text)).toEqual({ radar: false, people: false, remove: false });
    for (const path of ['/radar', '/people', `/organizations/${WITH_CERTIFICATE}/certificate/remove`]) expect((await customer.agent.get(path)).status).toBe(403);
  });
});
