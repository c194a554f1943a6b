/**
 * The "check again" route (POST /organizations/:id/certificate/check, issue 10 point 2) against
 * malformed and hostile forms: every one gets a 4xx and never a 5xx, sends nothing to Facturapi,
 * and completes no audit attempt it should not (one of another organization, another
 * certificate number, or an attempt already completed); an account admin cannot reach another
 * organization's through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const OTHER = DEMO_ORGANIZATION_IDS.expiresIn45Days;
const NUMBER = '30001000000900000077';

let t: TestApp;
let support: SignedIn;
let admin: SignedIn;
let openHere: string;
let openElsewhere: string;

beforeAll(async () => {
  t = await startTestApp();
  support = await t.signIn('support');
  admin = await t.signIn('admin');
  const attempt = (organizationId: string) => t.audit.begin({ actor: null, organizationId, action: 'certificate.upload', detail: { result: 'sent', certificateNumber: NUMBER } });
  openHere = await attempt(ORG);
  openElsewhere = await attempt(OTHER);
});
afterAll(async () => {
  await t?.close();
});

const check = (who: SignedIn, org: string, form: Record<string, string>) => who.agent.post(`/organizations/${org}/certificate/check`).type('form').send({ _csrf: who.csrf, ...form });
const outcomeOf = async (id: string) => (await t.audit.query({ page: 1, pageSize: 500 })).rows.find((r) => r.id === id)?.outcome;
const writes = () => t.emulator.received.filter((r) => r.method !== 'GET').length;

describe('when the check-again form is malformed or hostile', () => {
  const cases: [string, () => ReturnType<typeof check>, number][] = [
    ['an attempt id that is not a UUID', () => check(support, ORG, { attempt: "1' or '1'='1", number: NUMBER }), 400],
    ['a certificate number that is not 20 digits', () => check(support, ORG, { attempt: openHere, number: '3000' }), 400],
    ['an extra field', () => check(support, ORG, { attempt: openHere, number: NUMBER, outcome: 'success' }), 400],
    ['no fields at all', () => check(support, ORG, {}), 400],
    ['an organization id that is not Facturapi\u2019s', () => check(support, '..%2Fadmin', { attempt: openHere, number: NUMBER }), 404],
    ['an account admin on another organization', () => check(admin, OTHER, { attempt: openElsewhere, number: NUMBER }), 403],
  ];
  it.each(cases)('%s is refused with a 4xx and sends nothing', async (_name, send, status) => {
    const before = writes();
    const res = await send();
    expect(res.status).toBe(status);
    expect(writes()).toBe(before);
  });

  it('then an attempt of another organization is not completed through this one', async () => {
    const res = await check(support, ORG, { attempt: openElsewhere, number: NUMBER });
    expect(res.status).toBe(200); // read: the number is not installed here
    expect(await outcomeOf(openElsewhere)).toBe('unknown');
  });

  it('then an attempt is completed only for its own certificate number', async () => {
    await check(support, ORG, { attempt: openHere, number: '30001000000900000078' });
    expect(await outcomeOf(openHere)).toBe('unknown');
    await check(support, ORG, { attempt: openHere, number: NUMBER });
    expect(await outcomeOf(openHere)).toBe('failure');
  });

  it('then a completed attempt is not completed again', async () => {
    const res = await check(support, ORG, { attempt: openHere, number: NUMBER });
    expect(res.status).toBe(200);
    expect(await outcomeOf(openHere)).toBe('failure');
  });
});
