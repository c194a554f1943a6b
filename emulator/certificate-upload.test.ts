import { createHash } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSatPair, standardFixtures, type StandardFixtures } from '../fixtures/index.js';
import type { RunningEmulator } from './emulator-server.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_NOW, TEST_USER_KEY } from './testing/emulator-fixture.js';

const IDS = DEMO_ORGANIZATION_IDS;
let fixtures: StandardFixtures;
let emulator: RunningEmulator;
beforeAll(() => {
  fixtures = standardFixtures(TEST_NOW);
});
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => emulator.close());

type Part = { name: string; data: Buffer | string };

async function put(id: string, parts: Part[]) {
  const form = new FormData();
  for (const part of parts) {
    if (typeof part.data === 'string') form.append(part.name, part.data);
    else form.append(part.name, new Blob([new Uint8Array(part.data)]), `${part.name}.bin`);
  }
  const response = await fetch(`${emulator.url}/organizations/${id}/certificate`, { method: 'PUT', headers: { authorization: `Bearer ${TEST_USER_KEY}` }, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const triple = (pair: { cer: Buffer; key: Buffer; password: string }): Part[] => [
  { name: 'cer', data: pair.cer },
  { name: 'key', data: pair.key },
  { name: 'password', data: pair.password },
];

describe('Emulator certificate upload', () => {
  it('installs a valid CSD: RFC, serial, expiry, pending step removed, production-ready', async () => {
    const pair = fixtures.validCsd;
    const { status, body } = await put(IDS.noCertificate, triple(pair));
    expect(status).toBe(200);
    expect(body.legal.tax_id).toBe(pair.rfc);
    expect(body.certificate).toEqual({ has_certificate: true, updated_at: TEST_NOW.toISOString(), expires_at: pair.validTo.toISOString(), serial_number: pair.certificateNumber });
    expect(body.pending_steps).toEqual([]);
    expect(body.is_production_ready).toBe(true);
    expect(emulator.getOrganization(IDS.noCertificate)).toEqual(body);
  });

  it('renews a certificate when the RFC matches the previous one', async () => {
    const pair = generateSatPair({ rfc: 'EKU9003173C9', certificateNumber: '30001000000900000077' });
    const { status, body } = await put(IDS.expiresSoon, triple(pair));
    expect(status).toBe(200);
    expect(body.certificate.serial_number).toBe('30001000000900000077');
  });

  it.each([
    ['validCsd', 'certificate_previous_rfc_mismatch', IDS.expiresIn45Days],
    ['fiel', 'csd_required', IDS.noCertificate],
    ['expired', 'certificate_expired', IDS.noCertificate],
    ['notYetValid', 'certificate_not_yet_valid', IDS.noCertificate],
    ['mismatched', 'private_key_certificate_mismatch', IDS.noCertificate],
  ] as const)('rejects the %s fixture with %s', async (fixture, code, id) => {
    const { status, body } = await put(id, triple(fixtures[fixture]));
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, status: 400, code });
    expect(typeof body.message).toBe('string');
  });

  it('rejects a wrong password with private_key_password_incorrect and leaves the organization alone', async () => {
    const { body } = await put(IDS.noCertificate, triple({ ...fixtures.validCsd, password: 'nope' }));
    expect(body.code).toBe('private_key_password_incorrect');
    expect(emulator.getOrganization(IDS.noCertificate)?.certificate.has_certificate).toBe(false);
  });

  it('rejects garbage files with certificate_files_invalid', async () => {
    const { body } = await put(IDS.noCertificate, triple({ cer: Buffer.from('hello'), key: Buffer.from('world'), password: 'x' }));
    expect(body.code).toBe('certificate_files_invalid');
  });

  it.each([
    [[], 'certificate_files_required'],
    [['password'], 'certificate_files_required'],
    [['key', 'password'], 'certificate_file_required'],
    [['cer', 'password'], 'private_key_file_required'],
    [['cer', 'key'], 'password_required'],
  ])('with only %j answers %s', async (names, code) => {
    const parts = triple(fixtures.validCsd).filter((part) => (names as string[]).includes(part.name));
    const { status, body } = await put(IDS.noCertificate, parts);
    expect(status).toBe(400);
    expect(body.code).toBe(code);
  });

  it('answers 413 payload_too_large for a file over 64 KiB', async () => {
    const { status, body } = await put(IDS.noCertificate, [{ name: 'cer', data: Buffer.alloc(64 * 1024 + 1) }, { name: 'key', data: fixtures.validCsd.key }, { name: 'password', data: 'x' }]);
    expect(status).toBe(413);
    expect(body.code).toBe('payload_too_large');
  });

  it('answers multipart_limit_exceeded for an extra part', async () => {
    const { status, body } = await put(IDS.noCertificate, [...triple(fixtures.validCsd), { name: 'pfx', data: Buffer.from('x') }]);
    expect(status).toBe(400);
    expect(body.code).toBe('multipart_limit_exceeded');
  });

  it('answers invalid_multipart_form_data for a body that is not multipart, or is cut short', async () => {
    const headers = { authorization: `Bearer ${TEST_USER_KEY}` };
    const url = `${emulator.url}/organizations/${IDS.noCertificate}/certificate`;
    const json = await fetch(url, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
    const cut = await fetch(url, { method: 'PUT', headers: { ...headers, 'content-type': 'multipart/form-data; boundary=XyZ' }, body: '--XyZ\r\nContent-Disposition: form-data; name="password"\r\n\r\nabc' });
    expect([json.status, ((await json.json()) as { code: string }).code]).toEqual([400, 'invalid_multipart_form_data']);
    expect([cut.status, ((await cut.json()) as { code: string }).code]).toEqual([400, 'invalid_multipart_form_data']);
  });

  it('answers organization_not_found for an unknown organization', async () => {
    const { status, body } = await put('ffffffffffffffffffffffff', triple(fixtures.validCsd));
    expect([status, body.code]).toEqual([404, 'organization_not_found']);
  });

  it('records fingerprints of what arrived, never the password or file bytes', async () => {
    const pair = { ...fixtures.validCsd, password: 'UnaContraseñaSecreta' };
    await put(IDS.noCertificate, triple(pair));
    const upload = emulator.received.at(-1)?.upload;
    expect(upload?.cer?.sha256).toBe(createHash('sha256').update(pair.cer).digest('hex'));
    expect(upload?.password).toEqual({ sha256: createHash('sha256').update(pair.password).digest('hex'), size: Buffer.byteLength(pair.password) });
    const recorded = JSON.stringify(emulator.received);
    expect(recorded).not.toContain('UnaContraseña');
    expect(recorded).not.toContain(TEST_USER_KEY);
  });
});

describe('Emulator certificate removal', () => {
  it('resets the certificate, re-adds the pending step and answers 200 with the organization', async () => {
    const response = await fetch(`${emulator.url}/organizations/${IDS.validForYears}/certificate`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_USER_KEY}` } });
    const body = (await response.json()) as Record<string, any>;
    expect(response.status).toBe(200);
    expect(body.certificate).toEqual({ has_certificate: false, updated_at: null, expires_at: null, serial_number: null });
    expect(body.pending_steps.map((step: { type: string }) => step.type)).toEqual(['certificate']);
    expect(body.is_production_ready).toBe(false);
  });

  it('then accepts a CSD with another RFC, since there is no previous certificate any more', async () => {
    await fetch(`${emulator.url}/organizations/${IDS.expiresIn45Days}/certificate`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_USER_KEY}` } });
    const { status } = await put(IDS.expiresIn45Days, triple(fixtures.validCsd));
    expect(status).toBe(200);
  });
});
