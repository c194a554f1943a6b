/**
 * Issue 9, item 18: an account admin reading their organization's audit (the audit page, its
 * CSV, the organization page's history) sees support staff as "Soporte de csd-relay": not their
 * IP address, user agent or e-mail. Support still sees everything. Through HTTP against the real
 * app, with client addresses given through a trusted proxy hop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';
import { TEST_USERS } from './support/users.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate; // the admin is a member
const SUPPORT_IP = '203.0.113.77';
const SUPPORT_AGENT = 'SupportDesk/9.9 (internal)';
const ADMIN_IP = '198.51.100.23';
const STAFF = 'Soporte de csd-relay';

let t: TestApp;
let support: SignedIn;
let admin: SignedIn;

beforeAll(async () => {
  t = await startTestApp({ env: { TRUST_PROXY_HOPS: '1' } });
  const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
  support = await t.signIn('support');
  admin = await t.signIn('admin');
  // Support uploads on the customer's behalf; the admin then tries with a wrong password.
  expect((await postUpload(support, ORG, fx.validCsd, { 'X-Forwarded-For': SUPPORT_IP, 'User-Agent': SUPPORT_AGENT })).status).toBe(303);
  expect((await postUpload(admin, ORG, { ...fx.validCsd, password: 'wrong-password' }, { 'X-Forwarded-For': ADMIN_IP })).status).toBe(422);
});
afterAll(async () => {
  await t.close();
});

function expectNoSupportDetails(text: string): void {
  expect(text).not.toContain(SUPPORT_IP);
  expect(text).not.toContain(SUPPORT_AGENT);
  expect(text).not.toContain(TEST_USERS.support.email);
}

describe('when an account admin reads their organization’s audit', () => {
  it('then the audit page names support staff, without their IP, user agent or e-mail', async () => {
    const res = await admin.agent.get(`/audit?organizationId=${ORG}&action=certificate.upload`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 eventos');
    expect(res.text).toContain(STAFF);
    expectNoSupportDetails(res.text);
    expect(res.text).toContain(ADMIN_IP); // their own organization's people are shown as before
  });

  it('then the CSV export does the same', async () => {
    const res = await admin.agent.get('/audit.csv?action=certificate.upload').buffer(true);
    const text = res.text ?? String(res.body);
    expect(res.status).toBe(200);
    expect(text).toContain(STAFF);
    expectNoSupportDetails(text);
    expect(text).toContain(ADMIN_IP);
  });

  it('then the organization page’s history does the same', async () => {
    const res = await admin.agent.get(`/organizations/${ORG}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(STAFF);
    expectNoSupportDetails(res.text);
  });
});

describe('when support reads the same audit', () => {
  it('then the page and the CSV still show the support person and their IP', async () => {
    const page = await support.agent.get(`/audit?organizationId=${ORG}&action=certificate.upload`);
    expect(page.text).toContain(SUPPORT_IP);
    expect(page.text).toContain(TEST_USERS.support.email);
    const csv = await support.agent.get('/audit.csv?action=certificate.upload').buffer(true);
    const text = csv.text ?? String(csv.body);
    expect(text).toContain(SUPPORT_IP);
    expect(text).toContain(TEST_USERS.support.email);
  });
});
