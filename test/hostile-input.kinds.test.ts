/**
 * Hostile input for the e.firma's "check again" (POST /organizations/:id/fiel/check) and for the
 * one-time links of each credential kind: every malformed or misplaced form gets a 4xx, never a
 * 5xx; nothing is sent to Facturapi; no audit attempt is completed that should not be (another
 * organization's, the CSD's, one already completed); a link takes only its own kind's form.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { csrfFrom, startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const OTHER = DEMO_ORGANIZATION_IDS.expiresIn45Days;
const NUMBER = '30001000000900000088';
const LINK = /\/upload-requests\/([A-Za-z0-9_-]{43})/;

let fx: StandardFixtures;
let t: TestApp;
let sink: SmtpSink;
let support: SignedIn;
let admin: SignedIn;
let fielHere: string;
let fielElsewhere: string;
let csdHere: string;

beforeAll(async () => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
  sink = await startSmtpSink();
  t = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>' } });
  support = await t.signIn('support');
  admin = await t.signIn('admin');
  const attempt = (organizationId: string, action: 'fiel.upload' | 'certificate.upload') => t.audit.begin({ actor: null, organizationId, action, detail: { result: 'sent', certificateNumber: NUMBER } });
  fielHere = await attempt(ORG, 'fiel.upload');
  fielElsewhere = await attempt(OTHER, 'fiel.upload');
  csdHere = await attempt(ORG, 'certificate.upload');
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

const check = (who: SignedIn, org: string, form: Record<string, string | string[]>) => who.agent.post(`/organizations/${org}/fiel/check`).type('form').send({ _csrf: who.csrf, ...form });
const outcomeOf = async (id: string) => (await t.audit.query({ page: 1, pageSize: 500 })).rows.find((r) => r.id === id)?.outcome;
const writes = () => t.emulator.received.filter((r) => r.method !== 'GET').length;

describe('when the e.firma check-again form is malformed or hostile', () => {
  const cases: [string, () => PromiseLike<{ status: number }>, number][] = [
    ['an attempt id that is not a UUID', () => check(support, ORG, { attempt: "1' or '1'='1", number: NUMBER }), 400],
    ['a certificate number that is not 20 digits', () => check(support, ORG, { attempt: fielHere, number: '3000' }), 400],
    ['the attempt twice', () => check(support, ORG, { attempt: [fielHere, fielHere], number: NUMBER }), 400],
    ['an extra field', () => check(support, ORG, { attempt: fielHere, number: NUMBER, outcome: 'success' }), 400],
    ['no fields at all', () => check(support, ORG, {}), 400],
    ['no CSRF token', () => support.agent.post(`/organizations/${ORG}/fiel/check`).type('form').send({ attempt: fielHere, number: NUMBER }), 403],
    ['a JSON body', () => support.agent.post(`/organizations/${ORG}/fiel/check`).set('Content-Type', 'application/json').send(JSON.stringify({ _csrf: support.csrf, attempt: fielHere, number: NUMBER })), 403],
    ['an organization id that is not Facturapi\u2019s', () => check(support, '..%2Fadmin', { attempt: fielHere, number: NUMBER }), 404],
    ['an account admin on another organization', () => check(admin, OTHER, { attempt: fielElsewhere, number: NUMBER }), 403],
  ];
  it.each(cases)('%s is refused with a 4xx and sends nothing', async (_name, send, status) => {
    const before = writes();
    const res = await send();
    expect(res.status).toBe(status);
    expect(writes()).toBe(before);
  });

  it('then nobody signed out reaches it', async () => {
    const res = await request(t.url).post(`/organizations/${ORG}/fiel/check`).type('form').send({ attempt: fielHere, number: NUMBER });
    expect([302, 303, 401, 403]).toContain(res.status);
    expect(await outcomeOf(fielHere)).toBe('unknown');
  });

  it('then neither another organization\u2019s attempt nor the CSD\u2019s is completed through it, and a completed one is not completed again', async () => {
    expect((await check(support, ORG, { attempt: fielElsewhere, number: NUMBER })).status).toBe(200);
    expect(await outcomeOf(fielElsewhere)).toBe('unknown');
    expect((await check(support, ORG, { attempt: csdHere, number: NUMBER })).status).toBe(200);
    expect(await outcomeOf(csdHere)).toBe('unknown');
    await check(support, ORG, { attempt: fielHere, number: NUMBER });
    expect(await outcomeOf(fielHere)).toBe('failure');
    expect((await check(support, ORG, { attempt: fielHere, number: NUMBER })).status).toBe(200);
    expect(await outcomeOf(fielHere)).toBe('failure');
  });
});

describe('when a one-time link gets the other kind\u2019s form', () => {
  async function linkFor(credential: 'csd' | 'fiel'): Promise<string> {
    const before = sink.mails.length;
    const res = await support.agent.post(`/organizations/${ORG}/upload-requests`).type('form').send({ _csrf: support.csrf, email: `${credential}@example.test`, credential });
    expect(res.status).toBe(200); // the link is handed over once on this page
    const mails = await sink.waitFor(before + 1);
    return `/upload-requests/${LINK.exec(mails[before]!.text)![1]!}`;
  }
  async function post(path: string, fields: Record<string, string>) {
    const visitor = request.agent(t.url);
    const page = await visitor.get(path);
    let req = visitor.post(path).field('_csrf', csrfFrom(page.text))
      .attach('cer', fx.fiel.cer, { filename: 'FIEL.cer', contentType: 'application/x-x509-ca-cert' })
      .attach('key', fx.fiel.key, { filename: 'FIEL.key', contentType: 'application/octet-stream' })
      .field('password', fx.fiel.password);
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    return req;
  }

  it('then an e.firma link refuses the CSD form\u2019s "expires sooner" tick and an organization field, and a CSD link refuses the e.firma\u2019s tick (400, nothing sent)', async () => {
    const fiel = await linkFor('fiel');
    const csd = await linkFor('csd');
    const before = writes();
    const earlier = await post(fiel, { confirmFiel: 'yes', confirmEarlierExpiry: 'yes' });
    expect(earlier.status).toBe(400);
    expect(earlier.text).toContain('id="fiel-form"');
    expect((await post(fiel, { confirmFiel: 'yes', organizationId: DEMO_ORGANIZATION_IDS.validForYears })).status).toBe(400);
    const onCsd = await post(csd, { confirmFiel: 'yes' });
    expect(onCsd.status).toBe(400);
    expect(onCsd.text).toContain('id="upload-submit"');
    expect(onCsd.text).not.toContain('id="fiel-form"');
    expect(writes()).toBe(before);
    // The refusals left the e.firma link usable for its own form.
    expect((await post(fiel, { confirmFiel: 'yes' })).status).toBe(303);
    expect(writes()).toBe(before + 1);
  });
});
