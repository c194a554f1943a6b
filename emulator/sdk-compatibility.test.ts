import facturapiModule from 'facturapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSatPair } from '../fixtures/index.js';
import type { RunningEmulator } from './emulator-server.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_NOW, TEST_USER_KEY } from './testing/emulator-fixture.js';

// The SDK ships CJS typings with `export default`: under NodeNext TypeScript sees the class at
// `.default`, while the runtime (vitest resolves the ESM build) hands over the class itself.
const Facturapi = ((facturapiModule as unknown as { default?: unknown }).default ?? facturapiModule) as typeof facturapiModule.default;
type Facturapi = InstanceType<typeof Facturapi>;

let emulator: RunningEmulator;
let sdk: Facturapi;
beforeAll(async () => {
  emulator = await startTestEmulator();
  sdk = new Facturapi(TEST_USER_KEY);
  // SDK v5 has no env variable or constructor option for the host; the BASE_URL setter is its test hook.
  sdk.BASE_URL = emulator.url;
});
afterAll(() => emulator.close());

describe('The official Facturapi SDK against the emulator', () => {
  it('uploads a CSD and reads the organization back', async () => {
    const pair = generateSatPair({ rfc: 'DTP180405H91', certificateNumber: '30001000000900000101' });
    const uploaded = await sdk.organizations.uploadCertificate(DEMO_ORGANIZATION_IDS.noCertificateEither, pair.cer, pair.key, pair.password);
    expect(uploaded.certificate).toMatchObject({ has_certificate: true, serial_number: '30001000000900000101' });
    const read = await sdk.organizations.retrieve(DEMO_ORGANIZATION_IDS.noCertificateEither);
    expect(read.legal).toMatchObject({ tax_id: 'DTP180405H91' });
    expect(read.certificate.updated_at).toBe(TEST_NOW.toISOString());
    expect(read.pending_steps.map((step) => step.type)).toEqual(['manifiesto']);
    const upload = emulator.received.find((request) => request.method === 'PUT')?.upload;
    expect(upload).toMatchObject({ cer: { filename: 'cer.cer', size: pair.cer.length }, key: { filename: 'key.key', size: pair.key.length } });
  });

  it('lists and searches organizations', async () => {
    const result = await sdk.organizations.list({ q: 'quetzal', limit: 5 });
    expect(result.total_results).toBe(1);
    expect(result.data[0]?.id).toBe(DEMO_ORGANIZATION_IDS.expiresIn80Days);
  });

  it('surfaces the emulator errors as the SDK FacturapiError with code, status and log id', async () => {
    const pair = generateSatPair({ rfc: 'EKU9003173C9' });
    const error = await sdk.organizations.uploadCertificate(DEMO_ORGANIZATION_IDS.expiresSoon, pair.cer, pair.key, 'bad password').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FacturapiError', status: 400, code: 'private_key_password_incorrect', message: 'La contraseña de la llave privada es incorrecta.' });
    expect((error as { logId: string }).logId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('deletes the certificate', async () => {
    await sdk.organizations.deleteCertificate(DEMO_ORGANIZATION_IDS.expired);
    expect(emulator.getOrganization(DEMO_ORGANIZATION_IDS.expired)?.certificate.has_certificate).toBe(false);
  });

  it('is refused with a 401 when its key is unknown', async () => {
    const stranger = new Facturapi('sk_user_NotAKnownKey');
    stranger.BASE_URL = emulator.url;
    await expect(stranger.organizations.list()).rejects.toMatchObject({ status: 401, code: 'user_key_invalid' });
  });
});
