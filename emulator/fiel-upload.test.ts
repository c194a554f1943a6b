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

async function putFiel(id: string, pair: { cer: Buffer; key: Buffer; password: string }) {
  const form = new FormData();
  form.append('cer', new Blob([new Uint8Array(pair.cer)]), 'cer.cer');
  form.append('key', new Blob([new Uint8Array(pair.key)]), 'key.key');
  form.append('password', pair.password);
  const response = await fetch(`${emulator.url}/organizations/${id}/fiel`, { method: 'PUT', headers: { authorization: `Bearer ${TEST_USER_KEY}` }, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('Emulator e.firma upload (PUT /fiel)', () => {
  it('installs an e.firma of an organization without RFC: fiel filled, CSD and RFC untouched', async () => {
    const before = (await (await fetch(`${emulator.url}/organizations/${IDS.noCertificate}`, { headers: { authorization: `Bearer ${TEST_USER_KEY}` } })).json()) as Record<string, any>;
    const { status, body } = await putFiel(IDS.noCertificate, fixtures.fiel);
    expect(status).toBe(200);
    expect(body.fiel).toEqual({ has_certificate: true, updated_at: TEST_NOW.toISOString(), expires_at: fixtures.fiel.validTo.toISOString(), serial_number: fixtures.fiel.certificateNumber });
    expect(body.certificate).toEqual(before.certificate);
    expect(body.legal.tax_id).toBe(before.legal.tax_id);
  });

  it('refuses a CSD with fiel_required', async () => {
    const { status, body } = await putFiel(IDS.noCertificate, fixtures.validCsd);
    expect(status).toBe(400);
    expect(body.code).toBe('fiel_required');
  });

  it('refuses an e.firma of another RFC than the organization’s with certificate_fiel_rfc_mismatch', async () => {
    const { status, body } = await putFiel(IDS.expiresSoon, generateSatPair({ type: 'FIEL', rfc: 'FPE080512K73' }));
    expect(status).toBe(400);
    expect(body.code).toBe('certificate_fiel_rfc_mismatch');
  });

  it('the certificate endpoint still refuses an e.firma with csd_required', async () => {
    const form = new FormData();
    form.append('cer', new Blob([new Uint8Array(fixtures.fiel.cer)]), 'cer.cer');
    form.append('key', new Blob([new Uint8Array(fixtures.fiel.key)]), 'key.key');
    form.append('password', fixtures.fiel.password);
    const response = await fetch(`${emulator.url}/organizations/${IDS.noCertificate}/certificate`, { method: 'PUT', headers: { authorization: `Bearer ${TEST_USER_KEY}` }, body: form });
    expect(((await response.json()) as { code: string }).code).toBe('csd_required');
  });
});
