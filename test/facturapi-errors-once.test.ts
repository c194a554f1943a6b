/**
 * Issue 15, point 2: Facturapi's errors are mapped to a page once, in the error handler, and the
 * organization routes (list, page, radar, certificate removal) share one loader that refuses an
 * id of the wrong shape before anything is sent. Through HTTP against the real app and the
 * emulator: what the person sees, what reached Facturapi and what the audit trail says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { startTestApp, type TestApp } from './support/app-harness.js';

const UNAVAILABLE = 'Facturapi no respondió a tiempo o no está disponible';
const NOT_FOUND = 'No encontramos esa organización.';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const sent = (app: TestApp, method: string) => app.emulator.received.filter((r) => r.method === method);

describe('Facturapi errors, mapped once', () => {
  it('when Facturapi is down while an account admin lists their organizations, then the page says so with a 503, not a generic 500', async () => {
    t = await startTestApp();
    const admin = await t.signIn('admin');
    t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'GET' } });
    const res = await admin.agent.get('/organizations');
    expect(res.status).toBe(503);
    expect(res.text).toContain(UNAVAILABLE);
  });

  it('when Facturapi is down, then the organization page and the radar say so with a 503', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'GET' } });
    for (const path of [`/organizations/${DEMO_ORGANIZATION_IDS.expired}`, '/radar', '/radar.csv', '/organizations?q=x']) {
      const res = await support.agent.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(res.text).toContain(UNAVAILABLE);
    }
  });

  it('when an organization id is well formed but unknown to Facturapi, then every organization route answers 404 with the organization message', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const unknown = 'ffffffffffffffffffffffff';
    for (const res of [await support.agent.get(`/organizations/${unknown}`), await support.agent.get(`/organizations/${unknown}/certificate/remove`)]) {
      expect(res.status).toBe(404);
      expect(res.text).toContain(NOT_FOUND);
    }
  });

  it('when removing a certificate fails at Facturapi, then the page says Facturapi is unavailable, the attempt is completed as failed, and the certificate stays', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const org = DEMO_ORGANIZATION_IDS.expired; // RFC TBA070314R29
    t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'DELETE' } });
    const res = await support.agent.post(`/organizations/${org}/certificate/remove`).type('form').send({ _csrf: support.csrf, confirm: 'TBA070314R29' });
    expect(res.status).toBe(503);
    expect(res.text).toContain(UNAVAILABLE);
    expect(sent(t, 'DELETE').length).toBeGreaterThan(0);
    const { rows } = await t.audit.query({ action: 'certificate.delete', page: 1, pageSize: 5 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'failure', organizationId: org, detail: { result: 'failed', reason: 'FacturapiUnavailableError', certificateNumber: '00001000000401230004' } });
    t.emulator.setFault(null);
    const page = (await support.agent.get(`/organizations/${org}`)).text;
    // The CSD's badge (the e.firma's own "Sin e.firma" badge is another section).
    expect(page).toMatch(/id="status-title">[^<]*<span class="badge badge-expired">/);
    // The history says why in words, not the error's class name.
    expect(page).toContain('Facturapi no respondió o no estaba disponible');
  });
});

describe('the organization loader', () => {
  it('when an organization id is not Facturapi’s shape, then the page, the removal form and the removal itself are 404 and nothing is sent', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const before = t.emulator.received.length;
    for (const bad of ['65A1C0DE0000000000000005', 'not-an-id', '65a1c0de000000000000000']) {
      const responses = [
        await support.agent.get(`/organizations/${bad}`),
        await support.agent.get(`/organizations/${bad}/certificate/remove`),
        await support.agent.post(`/organizations/${bad}/certificate/remove`).type('form').send({ _csrf: support.csrf, confirm: 'x' }),
      ];
      for (const res of responses) {
        expect(res.status).toBe(404);
        expect(res.text).toContain(NOT_FOUND);
      }
    }
    expect(t.emulator.received.length).toBe(before);
    expect((await t.audit.query({ action: 'certificate.delete', page: 1, pageSize: 5 })).rows).toHaveLength(0);
  });

  it('when the organization has no certificate, then the removal is refused with a 409, nothing is sent and nothing audited', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const org = DEMO_ORGANIZATION_IDS.noCertificate;
    const res = await support.agent.post(`/organizations/${org}/certificate/remove`).type('form').send({ _csrf: support.csrf, confirm: org });
    expect(res.status).toBe(409);
    expect(res.text).toContain('no tiene un CSD que eliminar');
    expect(sent(t, 'DELETE')).toHaveLength(0);
    expect((await t.audit.query({ action: 'certificate.delete', page: 1, pageSize: 5 })).rows).toHaveLength(0);
  });

  it('when the confirmation is sent twice (an array), then it is a 400 and nothing is sent', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const org = DEMO_ORGANIZATION_IDS.expired;
    const res = await support.agent.post(`/organizations/${org}/certificate/remove`).type('form').send(`_csrf=${encodeURIComponent(support.csrf)}&confirm=TBA070314R29&confirm=TBA070314R29`);
    expect(res.status).toBe(400);
    expect(sent(t, 'DELETE')).toHaveLength(0);
  });
});
