import { afterEach, describe, expect, it } from 'vitest';
import { buildOrganizationWire, demoOrganizations, DEMO_ORGANIZATION_IDS, emptyCertificate, generatedOrganizations } from '../emulator/index.js';
import { createFacturapiClient, type FacturapiClient } from '../src/facturapi/client.js';
import { FacturapiUnavailableError } from '../src/facturapi/errors.js';
import { startTestApp, TEST_USER_KEY, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';

const NOW = FIXTURE_REFERENCE_DATE;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('organization search (support)', () => {
  it('when the search has characters that mean something in a URL, then Facturapi receives them as one q value', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const q = 'Gómez & Hijos&page=5#x';
    const res = await support.agent.get('/organizations').query({ q });
    expect(res.status).toBe(200);
    const list = t.emulator.received.filter((r) => r.method === 'GET' && r.path === '/v2/organizations').at(-1)!;
    expect(list.query.q).toBe(q);
    expect(list.query.page).toBe('1');
  });

  it('when there are more results than a page, then it paginates within Facturapi\u2019s limits', async () => {
    t = await startTestApp({ organizations: [...demoOrganizations(NOW), ...generatedOrganizations(45, NOW)] });
    const support = await t.signIn('support');
    const first = await support.agent.get('/organizations');
    expect(first.text).toContain('Página 1 de 3 (53 resultados)');
    const second = await support.agent.get('/organizations?page=2');
    expect(second.text).toContain('Página 2 de 3');
    const tooFar = await support.agent.get('/organizations?page=99');
    expect(tooFar.status).toBe(200);
    const pages = t.emulator.received.filter((r) => r.path === '/v2/organizations').map((r) => Number(r.query.page));
    expect(Math.max(...pages)).toBeLessThanOrEqual(30);
    expect(t.emulator.received.filter((r) => r.path === '/v2/organizations').every((r) => Number(r.query.limit) <= 100)).toBe(true);
  });

  it('when organizations are listed, then each certificate state has its badge', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const html = (await support.agent.get('/organizations')).text;
    for (const badge of ['badge-missing', 'badge-valid', 'badge-expiring', 'badge-expired']) expect(html).toContain(badge);
    expect(html).toContain('Vence en 10 días');
  });
});

/** Wraps the real client so that one page of the organization list fails, as Facturapi midway. */
function failingPage(client: FacturapiClient, page: number): FacturapiClient {
  return {
    ...client,
    listOrganizations: (query) => (query?.page === page ? Promise.reject(new FacturapiUnavailableError({ reason: 'server', status: 503 })) : client.listOrganizations(query)),
  };
}

describe('the expiry radar', () => {
  it('when there are several pages, then every organization is read, grouped and ordered by expiry with counts', async () => {
    t = await startTestApp({ organizations: generatedOrganizations(250, NOW) });
    const support = await t.signIn('support');
    const res = await support.agent.get('/radar');
    expect(res.status).toBe(200);
    const groups = [...res.text.matchAll(/data-group="(\w+)"/g)].map((m) => m[1]);
    const order = ['expired', 'missing', 'within30', 'within60', 'within90', 'later'];
    expect(groups.map((g) => order.indexOf(g!))).toEqual([...groups.map((g) => order.indexOf(g!))].sort((a, b) => a - b));
    const counts: Record<string, number> = Object.fromEntries([...res.text.matchAll(/data-group-count="(\w+)">([\d,]+)</g)].map((m) => [m[1], Number(m[2]!.replace(/,/g, ''))]));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(250);
    expect(counts.missing).toBe(42);
    const pages = t.emulator.received.filter((r) => r.path === '/v2/organizations' && r.query.limit === '100').map((r) => r.query.page).sort();
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('when Facturapi fails on one page, then the radar shows what it read and says the result is partial', async () => {
    t = await startTestApp({ organizations: generatedOrganizations(250, NOW), wrapFacturapi: (client) => failingPage(client, 2) });
    const support = await t.signIn('support');
    const res = await support.agent.get('/radar');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Resultado parcial');
    expect(res.text).toContain('(2 de 3 leídas)');
    expect([...res.text.matchAll(/data-group="/g)]).toHaveLength(100); // first page of 100 rows shown
    expect(res.text).toMatch(/data-group-count="missing">\d+/);
  });

  it('when the radar is exported, then the CSV has a BOM, keeps Ñ and neutralises formulas', async () => {
    const hostile = buildOrganizationWire({ id: '6b0000000000000000000001', createdAt: NOW, name: '=HYPERLINK("http://evil")', legalName: '+CMD|calc', taxId: null, certificate: emptyCertificate(), pendingSteps: ['certificate'] });
    t = await startTestApp({ organizations: [...demoOrganizations(NOW), hostile] });
    const support = await t.signIn('support');
    const res = await support.agent.get('/radar.csv').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const body = res.body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = body.toString('utf8');
    expect(text).toContain('FERRETERIA PEÑA');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain("'+CMD|calc");
    expect(text.split('\r\n')[0]).toContain('Organización,Razón social,RFC');
  });

  it('when a certificate is uploaded, then the radar and the organization page show the new state at once', async () => {
    t = await startTestApp({ env: { RADAR_CACHE_SECONDS: '3600' } });
    const support = await t.signIn('support');
    const before = await support.agent.get('/radar?group=missing');
    expect(before.text).toContain('CAFE ALTURA CHIAPANECA');
    const fx = standardFixtures(NOW);
    const res = await postUpload(support, DEMO_ORGANIZATION_IDS.noCertificate, fx.validCsd);
    expect(res.status).toBe(303);
    const page = await support.agent.get(res.headers.location!);
    expect(page.text).toContain('badge-valid');
    expect(page.text).toContain(fx.validCsd.certificateNumber);
    const after = await support.agent.get('/radar?group=missing');
    expect(after.text).not.toContain('CAFE ALTURA CHIAPANECA');
  });

  it('when an account admin asks for the radar or its export, then it is 403', async () => {
    t = await startTestApp();
    const admin = await t.signIn('admin');
    expect((await admin.agent.get('/radar')).status).toBe(403);
    expect((await admin.agent.get('/radar.csv')).status).toBe(403);
  });
});

describe('removing a certificate (support)', () => {
  const ORG = DEMO_ORGANIZATION_IDS.expired;

  it('when the RFC typed does not match, then nothing is removed and the attempt is audited', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const page = await support.agent.get(`/organizations/${ORG}/certificate/remove`);
    expect(page.text).toContain('TRANSPORTES DEL BAJIO');
    const res = await support.agent.post(`/organizations/${ORG}/certificate/remove`).type('form').send({ _csrf: support.csrf, confirm: 'XXX' });
    expect(res.status).toBe(400);
    expect(t.emulator.received.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    const { rows } = await t.audit.query({ action: 'certificate.delete', page: 1, pageSize: 5 });
    expect(rows[0]).toMatchObject({ outcome: 'failure', organizationId: ORG });
  });

  it('when the RFC is typed, then Facturapi removes it, the page shows no certificate and the removal is audited', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const res = await support.agent.post(`/organizations/${ORG}/certificate/remove`).type('form').send({ _csrf: support.csrf, confirm: 'tba070314r29' });
    expect(res.status).toBe(303);
    expect(t.emulator.received.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    const page = await support.agent.get(res.headers.location!);
    expect(page.text).toContain('badge-missing');
    expect(page.text).toContain('Se eliminó el CSD');
    const { rows } = await t.audit.query({ action: 'certificate.delete', page: 1, pageSize: 5 });
    expect(rows[0]).toMatchObject({ outcome: 'success', actorEmail: 'soporte@example.test', organizationId: ORG });
    expect(page.text).toContain('CSD eliminado'); // in the page's history
  });

  it('when an account admin tries to remove their own organization’s certificate, then it is 403', async () => {
    t = await startTestApp();
    const admin = await t.signIn('admin');
    const own = DEMO_ORGANIZATION_IDS.noCertificate;
    expect((await admin.agent.get(`/organizations/${own}/certificate/remove`)).status).toBe(403);
    expect((await admin.agent.post(`/organizations/${own}/certificate/remove`).type('form').send({ _csrf: admin.csrf, confirm: own })).status).toBe(403);
  });
});

describe('the audit page', () => {
  it('when filters are applied, then only matching events are listed, and an account admin sees only their organizations', async () => {
    t = await startTestApp();
    const fx = standardFixtures(NOW);
    await postUpload(await t.signIn('support'), DEMO_ORGANIZATION_IDS.expiresIn45Days, fx.validCsd); // rejected: previous RFC
    await postUpload(await t.signIn('admin'), DEMO_ORGANIZATION_IDS.noCertificate, fx.validCsd); // accepted
    t.clock.advance(3 * 24 * 3_600_000); // sessions have expired meanwhile: sign in again below
    await postUpload(await t.signIn('admin'), DEMO_ORGANIZATION_IDS.noCertificate, { ...fx.validCsd, password: 'wrong-password' });
    const support = await t.signIn('support');
    const admin = await t.signIn('admin');

    const failures = await support.agent.get('/audit?action=certificate.upload&outcome=failure');
    expect(failures.text).toContain('65a1c0de0000000000000003');
    expect(failures.text).toContain('private_key_password_incorrect');
    expect(failures.text).toContain('2 eventos');

    const byDay = await support.agent.get('/audit?action=certificate.upload&from=2026-01-14&to=2026-01-14');
    expect(byDay.text).toContain('2 eventos');

    const adminView = await admin.agent.get('/audit?action=certificate.upload');
    expect(adminView.text).toContain('2 eventos');
    expect(adminView.text).not.toContain('65a1c0de0000000000000003');
    const sneaky = await admin.agent.get(`/audit?organizationId=${DEMO_ORGANIZATION_IDS.expiresIn45Days}`);
    expect(sneaky.text).toContain('0 eventos');
    const csv = await admin.agent.get('/audit.csv');
    expect(csv.text).not.toContain('65a1c0de0000000000000003');
    expect(csv.text).toContain('65a1c0de0000000000000006');
  });

  it('when the organization page is opened, then it lists the latest uploads with who and on whose behalf', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const fx = standardFixtures(NOW);
    await postUpload(support, DEMO_ORGANIZATION_IDS.noCertificate, fx.validCsd);
    const page = await support.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`);
    expect(page.text).toContain('soporte@example.test');
    expect(page.text).toContain('por soporte, a nombre del cliente');
    expect(page.text).toContain(fx.validCsd.certificateNumber);
  });
});
