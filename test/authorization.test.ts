import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';

const OWN = DEMO_ORGANIZATION_IDS.noCertificate;
const OTHER = DEMO_ORGANIZATION_IDS.expiresIn45Days;
const fx = standardFixtures(FIXTURE_REFERENCE_DATE);

let t: TestApp;
let admin: SignedIn;
let support: SignedIn;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin');
  support = await t.signIn('support');
});
afterAll(async () => {
  await t.close();
});

describe('when nobody is signed in', () => {
  it.each(['/', '/organizations', `/organizations/${OWN}`, '/people', '/audit', '/radar'])('then %s sends the visitor to the login page', async (path) => {
    const res = await request(t.url).get(path).set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('then an upload is refused with 401 before anything is read or sent', async () => {
    const res = await request(t.url).post(`/organizations/${OWN}/certificate`).attach('cer', fx.validCsd.cer, 'a.cer');
    expect(res.status).toBe(401);
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it.each(['/healthz', '/login', '/public/app.css'])('then the public route %s is reachable', async (path) => {
    expect((await request(t.url).get(path)).status).toBe(200);
  });
});

describe('when an account admin of organization A reaches for organization B', () => {
  it('then the organization page is 403 and the attempt is audited', async () => {
    const res = await admin.agent.get(`/organizations/${OTHER}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('No tienes permiso');
    const { rows } = await t.audit.query({ action: 'access.denied', organizationId: OTHER, page: 1, pageSize: 10 });
    expect(rows.some((r) => r.actorEmail === 'admin@example.test')).toBe(true);
  });

  it('then an upload is 403, nothing is sent to Facturapi, and it is audited', async () => {
    const before = t.emulator.received.length;
    const res = await postUpload(admin, OTHER, fx.validCsd);
    expect(res.status).toBe(403);
    expect(t.emulator.received.slice(before).filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('then the organization list shows only their own organizations and no search', async () => {
    const res = await admin.agent.get('/organizations?q=Peña');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`/organizations/${OWN}`);
    expect(res.text).not.toContain(`/organizations/${OTHER}`);
    expect(res.text).not.toContain('role="search"');
  });

  it.each([['/people'], ['/radar']])('then the support-only page %s is 403', async (path) => {
    expect((await admin.agent.get(path)).status).toBe(403);
  });

  it('then managing people is 403', async () => {
    const res = await admin.agent.post('/people/invite').type('form').send({ _csrf: admin.csrf, email: 'x@example.test', name: 'X', organizationId: OTHER });
    expect(res.status).toBe(403);
  });

  it('then their own organization works', async () => {
    expect((await admin.agent.get(`/organizations/${OWN}`)).status).toBe(200);
    expect((await postUpload(admin, OWN, fx.validCsd)).status).toBe(303);
  });
});

describe('when support staff act', () => {
  it('then they can open and upload for any organization, and the audit says it was on the customer\u2019s behalf', async () => {
    const org = DEMO_ORGANIZATION_IDS.noCertificateEither;
    expect((await support.agent.get(`/organizations/${org}`)).status).toBe(200);
    expect((await postUpload(support, org, fx.validCsd)).status).toBe(303);
    const { rows } = await t.audit.query({ action: 'certificate.upload', organizationId: org, page: 1, pageSize: 10 });
    expect(rows[0]).toMatchObject({ outcome: 'success', actorEmail: 'soporte@example.test' });
    expect(rows[0]!.detail).toMatchObject({ onBehalfOfCustomer: true, certificateNumber: fx.validCsd.certificateNumber, rfc: 'EPR010101AB1' });
  });

  it('then they can search every organization', async () => {
    const res = await support.agent.get('/organizations?q=Peña');
    expect(res.status).toBe(200);
    expect(res.text).toContain('FERRETERIA PEÑA');
    expect(res.text).not.toContain('CAFE ALTURA');
  });
});
