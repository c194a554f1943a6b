/**
 * Issue 9, item 5: a change at Facturapi (installing or removing a CSD) is never left without
 * its audit event. The attempt is written before anything is sent; when that write fails the
 * person gets a 503 and Facturapi receives nothing; the attempt is completed with the outcome
 * afterwards, and when only that completion fails the person still sees what really happened,
 * the attempt stays in the trail as "sent, outcome unknown", and the log says so loudly.
 * Through HTTP against the real app and the emulator, with an audit trail that fails like a
 * full disk (test/support/failing-audit.ts).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventView } from '../src/audit/audit-query.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { startTestApp, type SignedIn, type TestApp, type TestAppOptions } from './support/app-harness.js';
import { failingAudit, type AuditWrite } from './support/failing-audit.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const REMOVABLE = DEMO_ORGANIZATION_IDS.expired; // RFC TBA070314R29
const NOT_RECORDED = 'No pudimos escribir el registro de auditoría';
const UNKNOWN = 'Enviado, resultado desconocido';

let fx: StandardFixtures;
let t: TestApp | undefined;
beforeAll(() => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(shouldFail: (write: AuditWrite) => boolean, options: TestAppOptions = {}): Promise<{ app: TestApp; support: SignedIn }> {
  t = await startTestApp({ ...options, wrapAudit: (real) => failingAudit(real, shouldFail) });
  return { app: t, support: await t.signIn('support') };
}

const sent = (app: TestApp, method: string) => app.emulator.received.filter((r) => r.method === method);
async function events(app: TestApp, action: 'certificate.upload' | 'certificate.delete'): Promise<AuditEventView[]> {
  return (await app.audit.query({ action, page: 1, pageSize: 100 })).rows;
}
/** Log lines at level error, parsed. */
const errorLines = (app: TestApp) => app.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 'error');

describe('when an upload’s audit event cannot be written (disk full)', () => {
  it('then the upload is refused with 503 and a clear message, and Facturapi receives nothing', async () => {
    const { app, support } = await start((w) => w.action === 'certificate.upload');
    const res = await postUpload(support, ORG, fx.validCsd);

    expect(res.status).toBe(503);
    expect(res.text).toContain(NOT_RECORDED);
    expect(res.text).toContain('no se envió nada a Facturapi');
    expect(sent(app, 'PUT')).toHaveLength(0);
    expect(await events(app, 'certificate.upload')).toHaveLength(0);
    const page = await support.agent.get(`/organizations/${ORG}`);
    expect(page.text).toContain('badge-missing'); // still no certificate at Facturapi
  });
});

describe('when the audit trail works', () => {
  it('then the attempt is in the trail before Facturapi receives the certificate, and each upload ends as one entry', async () => {
    const seenByFacturapi: AuditEventView[][] = [];
    t = await startTestApp({
      wrapFacturapi: (client) => ({
        ...client,
        uploadCertificate: async (...args: Parameters<typeof client.uploadCertificate>) => {
          seenByFacturapi.push(await events(t!, 'certificate.upload'));
          return client.uploadCertificate(...args);
        },
      }),
    });
    const support = await t.signIn('support');
    const res = await postUpload(support, ORG, fx.validCsd);

    expect(res.status).toBe(303);
    expect(seenByFacturapi).toHaveLength(1);
    expect(seenByFacturapi[0]).toHaveLength(1);
    expect(seenByFacturapi[0]![0]).toMatchObject({ outcome: 'unknown', organizationId: ORG, detail: { result: 'sent', certificateNumber: fx.validCsd.certificateNumber } });

    const after = await events(t, 'certificate.upload');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: seenByFacturapi[0]![0]!.id, outcome: 'success', detail: { result: 'uploaded', certificateNumber: fx.validCsd.certificateNumber } });
    const page = await support.agent.get(res.headers.location!);
    expect(page.text.match(/<td[^>]*>Carga de CSD<\/td>/g)).toHaveLength(1);
    expect(page.text).not.toContain(UNKNOWN);
  });
});

describe('when only the completion of an upload’s audit event cannot be written', () => {
  it('after Facturapi accepted: the person sees the certificate installed, the attempt shows as sent with outcome unknown, and the log says so', async () => {
    const { app, support } = await start((w) => w.op === 'complete');
    const res = await postUpload(support, ORG, fx.validCsd);

    expect(res.status).toBe(303);
    expect(sent(app, 'PUT')).toHaveLength(1);
    const page = await support.agent.get(res.headers.location!);
    expect(page.text).toContain(`Facturapi aceptó el certificado ${fx.validCsd.certificateNumber}`);
    expect(page.text).toContain('badge-valid');

    const rows = await events(app, 'certificate.upload');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'unknown', organizationId: ORG, actorEmail: 'soporte@example.test', detail: { result: 'sent', certificateNumber: fx.validCsd.certificateNumber } });
    expect(page.text).toContain(UNKNOWN); // the organization page's history
    const audit = await support.agent.get('/audit?action=certificate.upload');
    expect(audit.text).toContain(UNKNOWN);
    expect(audit.text).toContain('1 evento');

    const loud = errorLines(app).find((l) => l.auditEventId === rows[0]!.id);
    expect(loud).toMatchObject({ organizationId: ORG, result: 'uploaded', certificateNumber: fx.validCsd.certificateNumber });
    expect(String(loud?.msg)).toMatch(/audit/i);
  });

  it('after Facturapi refused: the person sees Facturapi’s reason, and the attempt stays as sent with outcome unknown', async () => {
    const { app, support } = await start((w) => w.op === 'complete');
    // A refusal only Facturapi makes (another RFC installed is refused here, before sending).
    app.emulator.setFault({ kind: 'error', status: 400, code: 'certificate_fiel_rfc_mismatch' }, { times: 1, match: { method: 'PUT' } });
    const res = await postUpload(support, ORG, fx.validCsd);

    expect(res.status).toBe(422);
    expect(res.text).toContain('no coincide con el RFC de la e.firma');
    expect(res.text).toContain(UNKNOWN);
    const rows = await events(app, 'certificate.upload');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.outcome).toBe('unknown');
    expect(errorLines(app).some((l) => l.auditEventId === rows[0]!.id && l.result === 'rejected')).toBe(true);
  });
});

describe('removing a certificate', () => {
  const remove = (support: SignedIn) => support.agent.post(`/organizations/${REMOVABLE}/certificate/remove`).type('form').send({ _csrf: support.csrf, confirm: 'TBA070314R29' });

  it('when its audit event cannot be written, then it is refused with 503 and Facturapi receives nothing', async () => {
    const { app, support } = await start((w) => w.action === 'certificate.delete');
    const res = await remove(support);

    expect(res.status).toBe(503);
    expect(res.text).toContain(NOT_RECORDED);
    expect(sent(app, 'DELETE')).toHaveLength(0);
    expect(await events(app, 'certificate.delete')).toHaveLength(0);
  });

  it('when only the completion cannot be written, then the person is told it was removed, the attempt shows as sent with outcome unknown, and the log says so', async () => {
    const { app, support } = await start((w) => w.op === 'complete');
    const res = await remove(support);

    expect(res.status).toBe(303);
    expect(sent(app, 'DELETE')).toHaveLength(1);
    const page = await support.agent.get(res.headers.location!);
    expect(page.text).toContain('Se eliminó el CSD');
    expect(page.text).toContain('badge-missing');
    const rows = await events(app, 'certificate.delete');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'unknown', organizationId: REMOVABLE, detail: { result: 'sent', certificateNumber: '00001000000401230004' } });
    expect(page.text).toContain(UNKNOWN);
    expect(errorLines(app).some((l) => l.auditEventId === rows[0]!.id && l.result === 'removed')).toBe(true);
  });

  it('when everything works, then the removal ends as one successful entry', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    expect((await remove(support)).status).toBe(303);
    const rows = await events(t, 'certificate.delete');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', detail: { result: 'removed', certificateNumber: '00001000000401230004' } });
  });
});
