import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSatPair } from '../../fixtures/index.js';
import { createFacturapiClient } from './client.js';
import { FacturapiInvalidIdError, FacturapiRejectedError, FacturapiUnauthorizedError, FacturapiUnavailableError } from './errors.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { captureLogger } from '../../test/support/log-capture.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_NOW, TEST_USER_KEY } from '../../emulator/testing/emulator-fixture.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const DAY_MS = 86_400_000;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.setFault(null);
  emulator.received.length = 0;
});

function client(overrides: { userKey?: string; logger?: ReturnType<typeof captureLogger>['logger'] } = {}) {
  return createFacturapiClient({ baseUrl: emulator.url, userKey: TEST_USER_KEY, timeoutMs: 3_000, ...overrides });
}

describe('Facturapi client against the emulator', () => {
  it('reads an organization into our camelCase shape with real Dates', async () => {
    const org = await client().getOrganization(DEMO_ORGANIZATION_IDS.expiresSoon);
    expect(org).toMatchObject({ id: DEMO_ORGANIZATION_IDS.expiresSoon, name: 'Escuela Kemper Urgate', legalName: 'ESCUELA KEMPER URGATE', rfc: 'EKU9003173C9', isProductionReady: true, pendingSteps: [] });
    expect(org.certificate.hasCertificate).toBe(true);
    expect(org.certificate.expiresAt?.getTime()).toBe(TEST_NOW.getTime() + 10 * DAY_MS);
    expect(org.createdAt).toBeInstanceOf(Date);
  });

  it('reports an organization without a certificate with nulls and its pending step', async () => {
    const org = await client().getOrganization(DEMO_ORGANIZATION_IDS.noCertificate);
    expect(org.rfc).toBeNull();
    expect(org.certificate).toEqual({ hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null });
    expect(org.pendingSteps.map((step) => step.type)).toEqual(['certificate']);
  });

  it('searches accent-insensitively and clamps page and limit to Facturapi limits before sending', async () => {
    const page = await client().listOrganizations({ q: ' pena ', page: 0, limit: 500 });
    expect(page.data.map((org) => org.name)).toEqual(['Ferretería Peña']);
    expect(page).toMatchObject({ page: 1, totalPages: 1, totalResults: 1 });
    expect(emulator.received.at(-1)?.query).toEqual({ q: 'pena', page: '1', limit: '100' });
    await client().listOrganizations({ page: 99 });
    expect(emulator.received.at(-1)?.query).toEqual({ page: '30' });
  });

  it('uploads a CSD and returns the organization Facturapi stored', async () => {
    const pair = generateSatPair({ rfc: 'CAC210630M55', certificateNumber: '30001000000900000042' });
    const org = await client().uploadCertificate(DEMO_ORGANIZATION_IDS.noCertificate, pair);
    expect(org.rfc).toBe('CAC210630M55');
    expect(org.certificate).toMatchObject({ hasCertificate: true, serialNumber: '30001000000900000042', expiresAt: pair.validTo, updatedAt: TEST_NOW });
    expect(org.pendingSteps).toEqual([]);
  });

  it('sends each multipart part byte-for-byte, with plain file names and a Content-Length', async () => {
    const upload = { cer: Buffer.from([0, 1, 2, 255, 13, 10, 45, 45]), key: Buffer.from('not really a key\r\n--'), password: ' contraseña Ñandú €1 ' };
    await expect(client().uploadCertificate(DEMO_ORGANIZATION_IDS.noCertificateEither, upload)).rejects.toBeInstanceOf(FacturapiRejectedError);
    const request = emulator.received.at(-1);
    expect(request?.upload).toEqual({
      cer: { sha256: sha256(upload.cer), size: upload.cer.length, filename: 'certificate.cer', mimeType: 'application/octet-stream' },
      key: { sha256: sha256(upload.key), size: upload.key.length, filename: 'private.key', mimeType: 'application/octet-stream' },
      password: { sha256: sha256(upload.password), size: Buffer.byteLength(upload.password) },
    });
    expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.contentLength).toBeGreaterThan(0);
    expect(request?.authorizationSha256).toBe(sha256(TEST_USER_KEY));
  });

  it('deletes a certificate and resolves on the 2xx status alone', async () => {
    await client().deleteCertificate(DEMO_ORGANIZATION_IDS.expired);
    expect(emulator.getOrganization(DEMO_ORGANIZATION_IDS.expired)?.certificate.has_certificate).toBe(false);
  });

  it('turns a certificate rejection into FacturapiRejectedError with the code and log id', async () => {
    const pair = generateSatPair({ rfc: 'EKU9003173C9' });
    const error = await client().uploadCertificate(DEMO_ORGANIZATION_IDS.expiresSoon, { ...pair, password: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FacturapiRejectedError);
    expect(error).toMatchObject({ status: 400, code: 'private_key_password_incorrect', message: 'La contraseña de la llave privada es incorrecta.' });
    expect((error as FacturapiRejectedError).logId).toMatch(/^[0-9a-f]{24}$/);
    expect(emulator.received).toHaveLength(1);
  });

  it('turns an unknown organization into a rejection coded organization_not_found', async () => {
    const error = await client().getOrganization('0123456789abcdef01234567').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FacturapiRejectedError', status: 404, code: 'organization_not_found' });
  });

  it('refuses an id that is not 24-hex without sending anything', async () => {
    await expect(client().getOrganization('../organizations?x=1')).rejects.toBeInstanceOf(FacturapiInvalidIdError);
    await expect(client().deleteCertificate('65a1c0de000000000000000g')).rejects.toBeInstanceOf(FacturapiInvalidIdError);
    expect(emulator.received).toHaveLength(0);
  });

  it('reports a bad user key as FacturapiUnauthorizedError and logs it loudly without the key', async () => {
    const capture = captureLogger();
    const wrongKey = 'sk_user_wrong_key_must_not_leak_42';
    const error = await client({ userKey: wrongKey, logger: capture.logger }).listOrganizations().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FacturapiUnauthorizedError);
    expect(error).toMatchObject({ status: 401, code: 'user_key_invalid' });
    const [line] = capture.lines();
    expect(line).toMatchObject({ level: 50, msg: 'Facturapi rejected our user key; check FACTURAPI_USER_KEY', status: 401, path: '/organizations' });
    expect(capture.text()).not.toContain(wrongKey);
  });

  it('never logs the key, the password or a request body, whatever happens', async () => {
    const capture = captureLogger();
    const logged = client({ logger: capture.logger });
    const pair = generateSatPair({ rfc: 'DTP180405H91', password: 'SecretPassword-Ñ-123' });
    await logged.uploadCertificate(DEMO_ORGANIZATION_IDS.noCertificateEither, pair);
    await logged.uploadCertificate(DEMO_ORGANIZATION_IDS.noCertificateEither, { ...pair, password: 'OtherSecret-987' }).catch(() => undefined);
    emulator.setFault({ kind: 'reset' });
    await logged.listOrganizations({ q: 'query-text' }).catch(() => undefined);
    const text = capture.text();
    expect(capture.lines().length).toBeGreaterThanOrEqual(5);
    for (const secret of [TEST_USER_KEY, 'Bearer', 'SecretPassword', 'OtherSecret', 'query-text', pair.cer.toString('base64').slice(0, 40)]) {
      expect(text).not.toContain(secret);
    }
    for (const line of capture.lines()) {
      expect(Object.keys(line).sort()).toEqual(['attempt', 'code', 'durationMs', 'level', 'logId', 'method', 'msg', 'path', 'pid', 'hostname', 'status', 'time'].sort());
    }
  });

  it('ignores HTTP_PROXY and talks to Facturapi directly', async () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    const { startScriptedServer } = await import('../../test/support/scripted-server.js');
    const proxy = await startScriptedServer((_req, res) => res.writeHead(502).end('proxy'));
    try {
      process.env.HTTP_PROXY = process.env.http_proxy = `http://127.0.0.1:${proxy.port}`;
      delete process.env.NO_PROXY;
      delete process.env.no_proxy;
      const page = await client().listOrganizations({ limit: 1 });
      expect(page.data).toHaveLength(1);
      expect(proxy.count).toBe(0);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await proxy.close();
    }
  });

  it('keeps secrets out of the errors it throws', async () => {
    emulator.setFault({ kind: 'status', status: 503, json: true });
    const error = await createFacturapiClient({ baseUrl: emulator.url, userKey: TEST_USER_KEY, timeoutMs: 2_000, retry: { maxAttempts: 1 } })
      .getOrganization(DEMO_ORGANIZATION_IDS.expired)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FacturapiUnavailableError);
    const serialized = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as Error).stack);
    expect(serialized).not.toContain(TEST_USER_KEY);
    expect(error).not.toHaveProperty('config');
    expect(error).not.toHaveProperty('cause');
  });
});
